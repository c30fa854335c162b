// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.flow.KeepAliveState;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.time.VirtualScheduler;

class KeepAliveTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration PONG_TIMEOUT = Duration.ofSeconds(10);
    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final List<String> failures = new ArrayList<>();
    private final KeepAlive keepAlive = new KeepAlive(
            new Object(),
            true,
            INTERVAL,
            PONG_TIMEOUT,
            scheduler,
            new SplittableRandom(5626),
            (gen, cause, detail) -> failures.add(gen + " " + cause + " " + detail));
    private final InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5060);

    @Test
    void anUnansweredPingFailsTheFlowAtThePongDeadline() {
        AtomicBoolean after = new AtomicBoolean();
        keepAlive.armPongDeadline(1, () -> false, FailureCause.PONG_TIMEOUT, "no pong", () -> after.set(true));

        scheduler.advance(PONG_TIMEOUT.minusMillis(1));
        assertThat(failures).isEmpty();
        scheduler.advance(Duration.ofMillis(1));

        assertThat(failures).containsExactly("1 PONG_TIMEOUT no pong");
        assertThat(after).isTrue();
        assertThat(scheduler.errors()).isEmpty();
    }

    @Test
    void anAnsweredOrCancelledPingFailsNothing() {
        keepAlive.armPongDeadline(1, () -> true, FailureCause.PONG_TIMEOUT, "answered", () -> {});
        keepAlive.armPongDeadline(1, () -> false, FailureCause.STUN_TIMEOUT, "cancelled", () -> {});
        keepAlive.cancelPongDeadlines();

        scheduler.advance(Duration.ofMinutes(1));

        assertThat(failures).isEmpty();
    }

    /** RFC 5626 §4.4.1: the next ping at 80-100 % of the interval; none at all without SIP outbound. */
    @Test
    void pingsAreScheduledWithinTheIntervalOnlyWithOutbound() {
        List<Integer> pings = new ArrayList<>();
        keepAlive.schedule(null, () -> pings.add(1));
        scheduler.advance(INTERVAL.multipliedBy(8).dividedBy(10).minusMillis(1));
        assertThat(pings).isEmpty();
        scheduler.advance(INTERVAL.dividedBy(5).plusMillis(1));
        assertThat(pings).containsExactly(1);

        keepAlive.schedule(null, () -> pings.add(2));
        keepAlive.cancelPing();
        KeepAlive without = new KeepAlive(
                new Object(),
                false,
                INTERVAL,
                PONG_TIMEOUT,
                scheduler,
                new SplittableRandom(1),
                (gen, cause, detail) -> {});
        without.schedule(null, () -> pings.add(3));
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(pings).containsExactly(1);
    }

    @Test
    void thePongOfTheCurrentConnectionIsShownOnlyAfterAPing() {
        keepAlive.newConnection(7, peer, INTERVAL);
        keepAlive.show(7, KeepAliveState.Method.CRLF, INTERVAL);
        keepAlive.received(peer);
        assertThat(keepAlive.state().lastPong()).isEmpty();

        keepAlive.pinged(7);
        scheduler.advance(Duration.ofSeconds(2));
        keepAlive.received(new InetSocketAddress("127.0.0.2", 5060));
        assertThat(keepAlive.state().lastPong()).isEmpty();
        keepAlive.received(peer);

        KeepAliveState s = keepAlive.state();
        assertThat(s.method()).isEqualTo(KeepAliveState.Method.CRLF);
        assertThat(s.lastPing()).contains(VirtualScheduler.DEFAULT_START);
        assertThat(s.lastPong()).contains(VirtualScheduler.DEFAULT_START.plusSeconds(2));
    }

    @Test
    void anOlderGenerationChangesNothingShown() {
        keepAlive.newConnection(2, peer, INTERVAL);
        keepAlive.show(1, KeepAliveState.Method.STUN, INTERVAL);
        keepAlive.pinged(1);

        assertThat(keepAlive.state().method()).isEqualTo(KeepAliveState.Method.NONE);
        assertThat(keepAlive.state().lastPing()).isEmpty();
    }

    @Test
    void theMethodFollowsTheTransport() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        assertThat(keepAlive.method(new ResolvedTarget("a", lo, 5060, Transport.TCP, 0, 0)))
                .isEqualTo(KeepAliveState.Method.CRLF);
        assertThat(keepAlive.method(new ResolvedTarget("a", lo, 5060, Transport.UDP, 0, 0)))
                .isEqualTo(KeepAliveState.Method.STUN);
        assertThat(keepAlive.method(null)).isEqualTo(KeepAliveState.Method.NONE);
    }
}
