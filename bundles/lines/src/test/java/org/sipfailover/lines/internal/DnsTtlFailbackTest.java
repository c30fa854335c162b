// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolutionSource;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.flows.RecordingFlowManager;
import org.sipfailover.testkit.time.VirtualScheduler;

/**
 * {@code dns-ttl} failback, in virtual time with the real {@code aastra} policy: on the backup, with the
 * primary up again for longer than the hold-off, the line stays until the TTL of the backup's DNS answer
 * ends; then it looks its servers up again and returns to the primary.
 */
class DnsTtlFailbackTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    @TempDir
    Path work;

    private PlacementStore store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close(5000); // its writer thread must be done with the folder before the folder goes
        }
    }

    @Test
    void theLineReturnsToThePrimaryWhenTheTtlOfTheServerInUseEnds() throws Exception {
        VirtualScheduler time = new VirtualScheduler();
        RecordingFlowManager flows = RecordingFlowManager.scripted(time);
        AtomicInteger lookups = new AtomicInteger();
        ServerResolver resolver = new ServerResolver() {
            @Override
            public Resolution resolve(ServerAddress address) {
                lookups.incrementAndGet();
                try {
                    return Resolution.of(
                            address,
                            List.of(new ResolvedTarget(
                                    address.host(), InetAddress.getByName("192.0.2.2"), 5060, Transport.TCP, 0, 0)),
                            time.now().plus(TTL),
                            ResolutionSource.DNS);
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public CompletionStage<Resolution> resolveAsync(ServerAddress address) {
                return CompletableFuture.completedFuture(resolve(address));
            }
        };
        LineConfig config = LineConfig.builder("l1")
                .user("1001")
                .transport(Transport.TCP)
                .sipOutbound(true)
                .policy("aastra")
                .probeInterval(Duration.ofSeconds(10))
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("pbx1.example.test:5060"))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.parse("pbx2.example.test:5060"))
                .failback(FailbackMode.DNS_TTL, Duration.ofSeconds(30), Duration.ofHours(1), true)
                .build();
        store = new PlacementStore(work);
        LineRuntime line = new LineRuntime.Builder(config, flows, time, store, (t, p) -> {})
                .resolver(() -> resolver)
                .build();
        line.start(Policies.named("aastra"));
        time.runDue();
        flows.flowTo("pbx1.example.test").registered();
        time.runDue();
        flows.flowTo("pbx1.example.test").failed();
        time.runDue();
        flows.flowTo("pbx2.example.test").registered();
        time.runDue();
        assertThat(line.placement().activeBinding().orElseThrow().proxy()).isEqualTo(Rank.BACKUP);
        // looked up once on the primary, once on the backup: the server in use each time
        assertThat(lookups.get()).isEqualTo(2);

        // the primary answers its probes from now on; well past the hold-off, the line still waits for the TTL
        flows.flowTo("pbx1.example.test").registered();
        time.advance(TTL.minusSeconds(10));
        assertThat(line.placement().activeBinding().orElseThrow().proxy()).isEqualTo(Rank.BACKUP);

        time.advance(Duration.ofSeconds(20));
        assertThat(line.placement().activeBinding().orElseThrow().proxy()).isEqualTo(Rank.PRIMARY);
    }
}
