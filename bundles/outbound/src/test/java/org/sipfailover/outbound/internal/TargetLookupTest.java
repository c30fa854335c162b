// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolutionSource;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.time.VirtualScheduler;

class TargetLookupTest {

    private static final ServerAddress SERVER = ServerAddress.of("sip.example.com", 0);

    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final List<String> outcomes = new ArrayList<>();

    private static ResolvedTarget target(int last, Transport transport) throws Exception {
        return new ResolvedTarget(
                "sip.example.com",
                InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last}),
                5060,
                transport,
                0,
                0);
    }

    private static ServerResolver answering(CompletionStage<Resolution> answer) {
        return new ServerResolver() {
            @Override
            public Resolution resolve(ServerAddress address) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<Resolution> resolveAsync(ServerAddress address) {
                return answer;
            }
        };
    }

    private void lookUp(ServerResolver resolver) {
        new TargetLookup(() -> resolver, scheduler, t -> t == Transport.TCP, () -> List.of(Transport.TCP))
                .start(
                        SERVER,
                        usable -> outcomes.add("found " + usable),
                        (cause, detail) -> outcomes.add(cause + ": " + detail));
    }

    @Test
    void keepsTheTargetsOverATransportOfferedInTheResolversOrder() throws Exception {
        List<ResolvedTarget> all =
                List.of(target(1, Transport.UDP), target(2, Transport.TCP), target(3, Transport.TCP));
        lookUp(answering(
                CompletableFuture.completedFuture(Resolution.of(SERVER, all, Instant.MAX, ResolutionSource.DNS))));

        assertThat(outcomes).as("delivered on the scheduler's thread").isEmpty();
        scheduler.runDue();

        assertThat(outcomes).containsExactly("found " + List.of(all.get(1), all.get(2)));
    }

    @Test
    void noTargetOverATransportOfferedIsRefusedNamingTheTransportsOffered() throws Exception {
        lookUp(answering(CompletableFuture.completedFuture(
                Resolution.of(SERVER, List.of(target(1, Transport.UDP)), Instant.MAX, ResolutionSource.DNS))));
        scheduler.runDue();

        assertThat(outcomes)
                .containsExactly(FailureCause.CONNECTION_REFUSED + ": no target of " + SERVER
                        + " uses a transport this stack offers [TCP]");
    }

    @Test
    void aFailedResolutionSaysWhy() {
        lookUp(answering(CompletableFuture.completedFuture(
                Resolution.failed(SERVER, Instant.MAX, ResolutionSource.DNS, "NXDOMAIN"))));
        lookUp(answering(CompletableFuture.completedFuture(null)));
        lookUp(answering(CompletableFuture.failedFuture(new IllegalStateException("boom"))));
        scheduler.runDue();

        assertThat(outcomes)
                .containsExactly(
                        FailureCause.DNS_FAILURE + ": NXDOMAIN",
                        FailureCause.DNS_FAILURE + ": no resolution",
                        FailureCause.DNS_FAILURE + ": java.lang.IllegalStateException: boom");
    }

    @Test
    void withoutAResolverTheLookupFailsAtOnce() {
        lookUp(null);

        assertThat(outcomes).containsExactly(FailureCause.DNS_FAILURE + ": no ServerResolver service");
    }
}
