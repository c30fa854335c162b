// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ResolverSettingsTest {

    @Test
    void parsesServersWithAndWithoutPorts() {
        assertThat(ResolverSettings.parseServers(new String[] {"127.0.0.1:5353", "127.0.0.2", "[::1]:53", " "}))
                .containsExactly(
                        new InetSocketAddress("127.0.0.1", 5353),
                        new InetSocketAddress("127.0.0.2", 53),
                        new InetSocketAddress("::1", 53));
    }

    @Test
    void malformedServerIsRefusedNamingTheKeyAndValue() {
        assertThatThrownBy(() -> ResolverSettings.parseServers(new String[] {"127.0.0.1:99999"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("servers")
                .hasMessageContaining("127.0.0.1:99999");
        assertThatThrownBy(() -> ResolverSettings.parseServers(new String[] {"127.0.0.1:53;transport=tcp"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("servers");
    }

    @Test
    void invalidBoundsAreRefusedNamingTheKey() {
        ResolverSettings d = ResolverSettings.defaults(java.util.List.of());
        assertThatThrownBy(() -> new ResolverSettings(
                        d.servers(),
                        java.time.Duration.ZERO,
                        d.attempts(),
                        d.maxCacheEntries(),
                        d.maxTtlSeconds(),
                        d.maxNegativeTtlSeconds(),
                        d.staleWindow(),
                        d.staleTtl(),
                        d.refreshAheadPercent(),
                        d.maxRecords(),
                        d.maxTargets(),
                        d.maxCnameChain()))
                .hasMessageStartingWith("timeoutMillis");
        assertThatThrownBy(() -> new ResolverSettings(
                        d.servers(),
                        d.timeout(),
                        d.attempts(),
                        d.maxCacheEntries(),
                        d.maxTtlSeconds(),
                        d.maxNegativeTtlSeconds(),
                        d.staleWindow(),
                        d.staleTtl(),
                        100,
                        d.maxRecords(),
                        d.maxTargets(),
                        d.maxCnameChain()))
                .hasMessageStartingWith("refreshAheadPercent");
    }
}
