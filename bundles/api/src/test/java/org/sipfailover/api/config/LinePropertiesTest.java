// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRole;

/** The server keys of the ConfigAdmin form of a line: public contract, read by policies and the shell. */
class LinePropertiesTest {

    @Test
    void serverKeysNameTheRoleAndTheBackup() {
        assertThat(LineProperties.serverKey(ServerRole.PROXY, Rank.PRIMARY)).isEqualTo("proxy");
        assertThat(LineProperties.serverKey(ServerRole.PROXY, Rank.BACKUP)).isEqualTo("proxy.backup");
        assertThat(LineProperties.serverKey(ServerRole.REGISTRAR, Rank.BACKUP)).isEqualTo("registrar.backup");
        assertThat(LineProperties.serverKey(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY))
                .isEqualTo("outboundProxy");
    }
}
