// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.dns.embed.DnsResolvers;
import org.sipfailover.dns.embed.EmbeddedResolver;
import org.sipfailover.outbound.embed.FlowManagers;
import org.sipfailover.policy.embed.Policies;

/** The bundles' embed packages that {@link SipFailover} builds on: their settings and their refusals. */
class EmbedPackagesTest {

    @TempDir
    Path work;

    @Test
    void everyBuiltInPolicyIsMadeByItsNameAndAnUnknownNameIsRefusedWithTheKnownOnes() {
        assertThat(Policies.all()).extracting(FailoverPolicy::name).containsExactlyElementsOf(Policies.names());
        assertThat(Policies.names()).contains("aastra", "redundant-asymmetric", "redundant-symmetric", "dual-flow");
        assertThat(Policies.named("dual-flow").name()).isEqualTo("dual-flow");
        assertThatThrownBy(() -> Policies.named("nokia"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nokia")
                .hasMessageContaining("aastra");
    }

    @Test
    void aResolverTakesTheKeysOfItsConfigurationAndRefusesAnUnknownOrInvalidOneByName() {
        try (EmbeddedResolver r = DnsResolvers.create(List.of("127.0.0.1:5353"), Duration.ofMillis(500), 1);
                EmbeddedResolver s = DnsResolvers.create(Map.of("servers", "127.0.0.1", "maxTargets", "8"))) {
            assertThat(r).isNotNull();
            assertThat(s).isNotNull();
        }
        assertThatThrownBy(() -> DnsResolvers.create(Map.of("nameservers", "127.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nameservers:");
        assertThatThrownBy(() -> DnsResolvers.create(Map.of("attempts", "two")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("attempts:");
        assertThatThrownBy(() -> DnsResolvers.create(Map.of("attempts", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attempts");
    }

    @Test
    void aFlowManagerRefusesAKeyThatIsNoSettingByName() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            assertThatThrownBy(() -> FlowManagers.create(
                            Map.of("localAdress", "127.0.0.1"),
                            work.resolve("instance-id"),
                            () -> null,
                            new ExecutorScheduler(executor, Clock.systemUTC(), Throwable::printStackTrace)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("localAdress:");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void sipFailoverNeedsADataDirectory() {
        assertThatThrownBy(() -> SipFailover.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dataDirectory");
    }
}
