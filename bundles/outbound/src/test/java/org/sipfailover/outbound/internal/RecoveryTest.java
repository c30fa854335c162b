// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.time.VirtualScheduler;

class RecoveryTest {

    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final Recovery recovery = new Recovery(
            new RecoveryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofSeconds(1800)),
            scheduler,
            new SplittableRandom(5626));
    private final TargetCursor cursor = new TargetCursor();
    private final List<String> attempts = new ArrayList<>();

    private static ResolvedTarget target(int last) throws Exception {
        return new ResolvedTarget(
                "sip.example.com",
                InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last}),
                5060,
                Transport.TCP,
                0,
                0);
    }

    private Duration fail(FailureCause cause, Duration retryAfter) {
        return recovery.plan(
                cause, retryAfter, true, cursor, () -> attempts.add("next target"), () -> attempts.add("whole server"));
    }

    @Test
    void transportTroubleTriesTheNextTargetAtOnce() throws Exception {
        cursor.reset(List.of(target(1), target(2)));

        assertThat(fail(FailureCause.CONNECTION_RESET, null)).isZero();
        scheduler.runDue();

        assertThat(attempts).containsExactly("next target");
        assertThat(cursor.current()).isEqualTo(target(2));
        assertThat(recovery.consecutiveFailures()).isEqualTo(1);
        assertThat(scheduler.errors()).isEmpty();
    }

    /** RFC 5626 §4.5: with no target left, the whole server again after 50-100 % of base-time * 2^failures. */
    @Test
    void withNoTargetLeftTheWholeServerIsTriedAfterTheBackOff() throws Exception {
        cursor.reset(List.of(target(1)));

        Duration wait = fail(FailureCause.PONG_TIMEOUT, null);

        assertThat(wait).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        scheduler.advance(wait.minusMillis(1));
        assertThat(attempts).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(attempts).containsExactly("whole server");
        assertThat(scheduler.errors()).isEmpty();
    }

    @Test
    void aServerThatAnsweredIsNotWalkedAndItsRetryAfterIsKeptWhenLonger() throws Exception {
        cursor.reset(List.of(target(1), target(2)));

        Duration wait = fail(FailureCause.SERVICE_UNAVAILABLE, Duration.ofSeconds(600));

        assertThat(wait).isEqualTo(Duration.ofSeconds(600));
        scheduler.advance(wait);
        assertThat(attempts).containsExactly("whole server");
        assertThat(Recovery.transportTrouble(FailureCause.SERVICE_UNAVAILABLE)).isFalse();
        assertThat(Recovery.transportTrouble(FailureCause.DNS_FAILURE)).isFalse();
        assertThat(Recovery.transportTrouble(FailureCause.AUTHENTICATION_FAILED))
                .isFalse();
        assertThat(Recovery.transportTrouble(FailureCause.REJECTED)).isFalse();
        assertThat(Recovery.transportTrouble(FailureCause.CONNECTION_REFUSED)).isTrue();
    }

    @Test
    void aShorterRetryAfterDoesNotShortenTheBackOff() throws Exception {
        cursor.reset(List.of(target(1)));

        assertThat(fail(FailureCause.SERVICE_UNAVAILABLE, Duration.ofSeconds(1)))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void failuresCountUntilTheFlowIsUpAndACancelledAttemptNeverRuns() throws Exception {
        cursor.reset(List.of(target(1)));
        fail(FailureCause.CONNECTION_RESET, null);
        recovery.cancel();
        fail(FailureCause.CONNECTION_RESET, null);
        recovery.cancel();

        assertThat(recovery.consecutiveFailures()).isEqualTo(2);
        scheduler.advance(Duration.ofHours(1));
        assertThat(attempts).isEmpty();
        recovery.succeeded();
        assertThat(recovery.consecutiveFailures()).isZero();
    }
}
