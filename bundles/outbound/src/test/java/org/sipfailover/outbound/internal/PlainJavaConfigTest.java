// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link FlowManagerCore#config}: the flow manager's configuration for hosts without SCR. */
class PlainJavaConfigTest {

    @Test
    void givenPropertiesTypedOrAsTextWinAndTheRestAreTheDefaults() {
        OutboundConfig c = FlowManagerCore.config(
                Map.of("localAddress", "192.0.2.10", "tcpPort", "5070", "transactionTimeoutMillis", 3000));

        assertThat(c.localAddress()).isEqualTo("192.0.2.10");
        assertThat(c.tcpPort()).isEqualTo(5070);
        assertThat(c.transactionTimeoutMillis()).isEqualTo(3000);
        assertThat(c.udpPort()).isZero();
        assertThat(c.tlsPort()).isEqualTo(-1);
        assertThat(c.userAgent()).isEqualTo("sip-failover");
        assertThat(c.annotationType()).isEqualTo(OutboundConfig.class);
    }

    @Test
    void theTrustStorePasswordIsReadUnderItsPropertyNameAndNeverShown() {
        OutboundConfig c = FlowManagerCore.config(Map.of(".trustStorePassword", "s3cret-pw"));

        assertThat(c._trustStorePassword()).isEqualTo("s3cret-pw");
        assertThat(c.toString()).doesNotContain("s3cret-pw");
    }

    @Test
    void anUnknownKeyOrAMalformedNumberIsRefusedByName() {
        assertThatThrownBy(() -> FlowManagerCore.config(Map.of("localAdress", "127.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localAdress");
        assertThatThrownBy(() -> FlowManagerCore.config(Map.of("tcpPort", "50x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tcpPort");
    }
}
