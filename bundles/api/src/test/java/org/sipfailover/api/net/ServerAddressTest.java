// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerAddressTest {

    @Test
    void seedRuleClassification() {
        // FQDN + port 0 -> SRV; FQDN + port -> A only; literal -> no DNS at all
        assertThat(ServerAddress.of("ana.aastra.com", 0).usesSrv()).isTrue();
        assertThat(ServerAddress.of("ana.aastra.com", 5060).usesSrv()).isFalse();
        assertThat(ServerAddress.of("192.0.2.10", 0).usesSrv()).isFalse();
        assertThat(ServerAddress.of("192.0.2.10", 0).isIpLiteral()).isTrue();
        assertThat(ServerAddress.of("2001:db8::1", 0).isIpLiteral()).isTrue();
    }

    @Test
    void normalisesCaseTrailingDotAndBrackets() {
        assertThat(ServerAddress.of("PBX-A.Example.COM.", 0).host()).isEqualTo("pbx-a.example.com");
        assertThat(ServerAddress.of("[2001:DB8::1]", 5060).host()).isEqualTo("2001:db8::1");
    }

    @Test
    void parsesTextForms() {
        assertThat(ServerAddress.parse("sbc1.example.com:5061;transport=TLS"))
                .isEqualTo(new ServerAddress("sbc1.example.com", 5061, Transport.TLS));
        assertThat(ServerAddress.parse("[2001:db8::1]:5070")).isEqualTo(ServerAddress.of("2001:db8::1", 5070));
        assertThat(ServerAddress.parse("2001:db8::1")).isEqualTo(ServerAddress.of("2001:db8::1", 0));
        assertThat(ServerAddress.parse("example.com")).isEqualTo(ServerAddress.of("example.com", 0));
        ServerAddress a = new ServerAddress("2001:db8::1", 5070, Transport.TCP);
        assertThat(ServerAddress.parse(a.toString())).isEqualTo(a);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "exa mple.com",
                "-bad.example.com",
                "bad..example.com",
                "999.1.1.1",
                "1.2.3",
                "a_very_long_label_that_goes_on_and_on_and_on_and_on_and_on_and_on_and_on.example.com",
                "ex!ample.com"
            })
    void malformedHostIsRejectedNamingIt(String host) {
        assertThatThrownBy(() -> ServerAddress.of(host, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + host + "'");
    }

    @Test
    void malformedPortAndTransportAreRejectedNamingThem() {
        assertThatThrownBy(() -> ServerAddress.of("example.com", 65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
        assertThatThrownBy(() -> ServerAddress.of("example.com", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> ServerAddress.parse("example.com:50x0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("50x0");
        assertThatThrownBy(() -> ServerAddress.parse("example.com;transport=sctp"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sctp");
        assertThatThrownBy(() -> Transport.parse("ws")).hasMessageContaining("'ws'");
    }

    @Test
    void transportDefaults() {
        assertThat(Transport.TLS.defaultPort()).isEqualTo(5061);
        assertThat(Transport.UDP.defaultPort()).isEqualTo(5060);
        assertThat(Transport.TCP.srvPrefix()).isEqualTo("_sip._tcp");
        assertThat(Transport.TLS.srvPrefix()).isEqualTo("_sips._tcp");
        assertThat(Transport.UDP.naptrService()).isEqualTo("SIP+D2U");
    }
}
