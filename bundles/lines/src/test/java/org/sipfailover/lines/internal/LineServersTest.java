// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.testkit.lines.TestLines;
import org.sipfailover.testkit.time.VirtualScheduler;

/** A line's servers: first hops, registrars standing in for missing ones, addresses with the line's transport. */
class LineServersTest {

    private static LineServers servers(LineConfig config) {
        return new LineServers(new LineContext(config, new VirtualScheduler()));
    }

    private static LineConfig.Builder proxiesOnly() {
        return TestLines.proxies("l1", "10.0.0.1:5060", "10.0.0.2:5060")
                .transport(Transport.TCP)
                .sipOutbound(true)
                .policy("p");
    }

    @Test
    void aLineWithoutRegistrarsRegistersAtItsProxiesOverItsTransport() {
        LineServers servers = servers(proxiesOnly().build());

        ServerRef registrar = servers.registrarRef(Rank.BACKUP);

        assertThat(registrar).isEqualTo(ServerRef.of(ServerRole.PROXY, Rank.BACKUP));
        assertThat(servers.firstHop(new Binding(1, Rank.BACKUP, Rank.BACKUP, null)))
                .isEqualTo(registrar);
        assertThat(servers.address(registrar).transport()).isEqualTo(Transport.TCP);
        assertThat(servers.address(registrar).host()).isEqualTo("10.0.0.2");
    }

    @Test
    void anOutboundProxyIsTheFirstHopAndOneAddressNamesEveryServerThere() {
        LineServers servers = servers(proxiesOnly()
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.parse("10.0.0.1:5060"))
                .server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, ServerAddress.parse("10.0.0.9:5060"))
                .build());

        assertThat(servers.firstHop(new Binding(1, Rank.PRIMARY, Rank.PRIMARY, Rank.PRIMARY)))
                .isEqualTo(ServerRef.of(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY));
        assertThat(servers.refsAt(servers.address(ServerRef.of(ServerRole.PROXY, Rank.PRIMARY))))
                .containsExactlyInAnyOrder(
                        ServerRef.of(ServerRole.PROXY, Rank.PRIMARY), ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY));
    }

    @Test
    void aPlacementIsUsableOnlyWithConfiguredServersAndTheLinesKindOfRegId() {
        LineServers servers = servers(proxiesOnly().build());

        assertThat(servers.usable(Placement.of(new Binding(1, Rank.BACKUP, Rank.BACKUP, null))))
                .isTrue();
        assertThat(servers.usable(Placement.of(new Binding(1, Rank.PRIMARY, Rank.PRIMARY, Rank.PRIMARY))))
                .as("no outbound proxy configured")
                .isFalse();
        assertThat(servers.usable(Placement.of(new Binding(0, Rank.PRIMARY, Rank.PRIMARY, null))))
                .as("reg-id 0 on a line with SIP outbound")
                .isFalse();
        assertThat(servers.usable(Placement.NONE)).isTrue();
    }
}
