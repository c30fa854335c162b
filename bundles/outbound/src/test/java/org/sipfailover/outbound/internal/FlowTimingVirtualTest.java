// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.flow.KeepAliveState;
import org.sipfailover.api.flow.ProbeResult;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.dns.embed.DnsResolvers;
import org.sipfailover.dns.embed.EmbeddedResolver;
import org.sipfailover.testkit.Configs;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.time.VirtualScheduler;

/**
 * Keep-alive, pong deadline and recovery back-off in virtual time: the flow manager's every timer runs on a
 * {@link VirtualScheduler}, so a 2-minute back-off takes no time and its edges are hit to the millisecond. The
 * SIP stack still uses real sockets to a {@link LoopbackRegistrar} that counts what arrives; its answers come
 * in real time and reach the flows through the scheduler, so the test pumps the scheduler ({@link #pump})
 * while it waits for them, and moves virtual time only with {@code advance}.
 *
 * <p>Random draws are pinned to either end of their range ({@link Draw}) so that the edges of each window
 * are shown exactly, or left random to show that the window holds.
 */
class FlowTimingVirtualTest {

    private static final Duration FLOW_TIMER = Duration.ofSeconds(10);
    private static final Duration PONG_TIMEOUT = Duration.ofSeconds(5);
    /** RFC 5626 §4.5's base-time when all flows have failed (one flow here: it is all of them). */
    private static final Duration BASE_ALL_FAILED = Duration.ofSeconds(30);
    /** How long, in real time, to wait for the network. */
    private static final Duration REAL = Duration.ofSeconds(10);

    private static final Duration MILLI = Duration.ofMillis(1);

    /** Where random draws land in their range. */
    enum Draw {
        EARLIEST,
        LATEST,
        RANDOM;

        RandomGenerator generator() {
            SplittableRandom r = new SplittableRandom(5626);
            if (this == RANDOM) {
                return r;
            }
            return new RandomGenerator() {
                @Override
                public long nextLong() {
                    return r.nextLong();
                }

                @Override
                public long nextLong(long bound) {
                    return Draw.this == EARLIEST ? 0 : bound - 1;
                }
            };
        }
    }

    /** The flow manager's transaction time-out in these tests. */
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(1);
    /** How far the clock moves at a time while a recovery attempt is awaited. */
    private static final Duration ATTEMPT_STEP = Duration.ofMillis(100);

    @TempDir
    Path work;

    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();
    private EmbeddedResolver resolver;
    private LoopbackRegistrar peer;
    private FlowManagerCore manager;
    private Flow flow;

    private void start(Draw draw) throws Exception {
        peer = LoopbackRegistrar.start((int) FLOW_TIMER.toSeconds());
        resolver = DnsResolvers.create(Map.of());
        // the shortest transaction time-out allowed: an unanswered REGISTER fails one second later on this
        // test's clock (the flow's deadline runs on the manager's scheduler)
        manager = new FlowManagerCore(
                Configs.of(OutboundConfig.class, Map.of("localAddress", "127.0.0.1", "transactionTimeoutMillis", (int)
                        TRANSACTION_TIMEOUT.toMillis())),
                work.resolve("data/instance-id"),
                () -> resolver,
                clock,
                draw.generator());
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        if (resolver != null) {
            resolver.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    static Stream<Arguments> transportsAndDraws() {
        return Stream.of(Transport.TCP, Transport.UDP)
                .flatMap(t -> Stream.of(Draw.values()).map(d -> Arguments.of(t, d)));
    }

    @org.junit.jupiter.api.Test
    void aRegIdIsOneFlowPerLineAndFirstHopAndFreeAgainOnceItsFlowIsClosed() throws Exception {
        start(Draw.EARLIEST);
        java.util.function.Function<Integer, FlowSpec> spec = regId -> FlowSpec.builder(
                        "line1",
                        ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY),
                        new ServerAddress("127.0.0.1", peer.port(), Transport.TCP))
                .regId(regId)
                .outbound(true)
                .keepAlive(Duration.ofSeconds(120), PONG_TIMEOUT)
                .build();
        Flow first = manager.open(spec.apply(1), events::add);
        Flow other = manager.open(spec.apply(2), events::add);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> manager.open(spec.apply(1), events::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reg-id 1 is already in use");
        first.close();
        Flow again = manager.open(spec.apply(1), events::add);

        assertThat(manager.flows()).containsExactlyInAnyOrder(other, again);
    }

    /** Runs what falls due now (the stack's callbacks land there) until {@code cond} holds, in real time. */
    private void pump(BooleanSupplier cond, Supplier<String> what) {
        Poll.until(
                REAL,
                () -> {
                    clock.runDue();
                    return cond.getAsBoolean();
                },
                what);
    }

    private List<FlowEvent> eventsOf(FlowEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }

    private int keepAlivesAtPeer(Transport t) {
        return t == Transport.UDP ? peer.stunRequests() : peer.pings();
    }

    /** A flow registered at the peer, which gave it a Flow-Timer of 10 s; returns when it went up. */
    private Instant registered(Transport t) {
        FlowSpec spec = FlowSpec.builder(
                        "line1",
                        ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY),
                        new ServerAddress("127.0.0.1", peer.port(), t))
                .regId(1)
                .outbound(true)
                .keepAlive(Duration.ofSeconds(120), PONG_TIMEOUT)
                .recovery(BASE_ALL_FAILED, Duration.ofSeconds(90), Duration.ofSeconds(1800))
                .build();
        flow = manager.open(spec, events::add);
        Registration reg = flow.register(new RegisterRequest(
                "sip:alice@example.test",
                ServerAddress.of("example.test", 0),
                null,
                Duration.ofSeconds(3600),
                Duration.ofSeconds(15),
                null));
        pump(() -> reg.isRegistered() && !eventsOf(FlowEvent.Kind.UP).isEmpty(), () -> "registered; events " + events);
        assertThat(flow.keepAliveInterval()).isEqualTo(FLOW_TIMER);
        assertThat(keepAlivesAtPeer(t)).isZero();
        return eventsOf(FlowEvent.Kind.UP).get(0).at();
    }

    /**
     * Waits until everything the flow has sent so far has been counted by the peer: an OPTIONS over the same
     * flow (same connection, or same UDP socket pair) is read after it, and its answer has come back.
     */
    private void barrier() {
        CompletableFuture<ProbeResult> probe = flow.probe().toCompletableFuture();
        pump(probe::isDone, () -> "the barrier probe's answer");
        assertThat(probe.join().status()).isEqualTo(200);
    }

    private static Duration percent(Duration d, int p) {
        return d.multipliedBy(p).dividedBy(100);
    }

    /** RFC 5626 §4.4.1: the keep-alive goes out between 80 % and 100 % of the Flow-Timer. */
    @ParameterizedTest(name = "{0}, {1} draw")
    @MethodSource("transportsAndDraws")
    void aKeepAliveGoesOutBetweenEightyAndHundredPercentOfTheFlowTimer(Transport t, Draw draw) throws Exception {
        start(draw);
        Instant up = registered(t);
        Instant earliest = up.plus(percent(FLOW_TIMER, 80));
        Instant latest = up.plus(FLOW_TIMER);

        clock.advanceTo(earliest.minus(MILLI));
        barrier();
        assertThat(keepAlivesAtPeer(t)).as("keep-alives before 80 %").isZero();
        if (draw == Draw.LATEST) {
            clock.advanceTo(latest.minus(MILLI));
            barrier();
            assertThat(keepAlivesAtPeer(t))
                    .as("keep-alives before 100 % with the latest draw")
                    .isZero();
        }
        clock.advanceTo(draw == Draw.EARLIEST ? earliest : latest);
        pump(
                () -> keepAlivesAtPeer(t) >= 1,
                () -> "a keep-alive at the peer by " + (draw == Draw.EARLIEST ? 80 : 100) + " %");
        barrier();
        assertThat(keepAlivesAtPeer(t)).as("keep-alives by 100 %").isEqualTo(1);

        // answered: its deadline passes without a failure, and the next one is not due before 80 % again
        clock.advance(PONG_TIMEOUT);
        assertThat(manager.keepAlivesAnswered()).isEqualTo(1);
        assertThat(flow.state()).isEqualTo(FlowState.UP);
        assertThat(eventsOf(FlowEvent.Kind.FAILED)).isEmpty();
        assertThat(keepAlivesAtPeer(t)).isEqualTo(1);
        assertThat(clock.errors()).isEmpty();
    }

    /** RFC 5626 §4.4.1: no pong (or STUN answer) by the deadline after the ping is a failure, and not before. */
    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"TCP", "UDP"})
    void withThePeerFrozenTheFlowFailsExactlyAtThePongDeadline(Transport t) throws Exception {
        start(Draw.EARLIEST);
        Instant ping = registered(t).plus(percent(FLOW_TIMER, 80));
        peer.pause();

        clock.advanceTo(ping);
        pump(() -> keepAlivesAtPeer(t) == 1, () -> "the keep-alive at the frozen peer");
        clock.advanceTo(ping.plus(PONG_TIMEOUT).minus(MILLI));
        assertThat(eventsOf(FlowEvent.Kind.FAILED))
                .as("failures before the deadline")
                .isEmpty();
        assertThat(flow.state()).isEqualTo(FlowState.UP);

        clock.advanceTo(ping.plus(PONG_TIMEOUT));

        assertThat(eventsOf(FlowEvent.Kind.FAILED)).singleElement().satisfies(e -> {
            assertThat(e.cause()).isEqualTo(t == Transport.UDP ? FailureCause.STUN_TIMEOUT : FailureCause.PONG_TIMEOUT);
            assertThat(e.at()).isEqualTo(ping.plus(PONG_TIMEOUT));
        });
        assertThat(flow.state()).isEqualTo(FlowState.RECOVERING);
        assertThat(manager.keepAlivesAnswered()).isZero();
        assertThat(clock.errors()).isEmpty();
    }

    /** Another line's flow over the same TCP connection to the peer, registered now (virtual time). */
    private Flow registeredFlow(String lineId, Duration pongTimeout) {
        Flow f = manager.open(
                FlowSpec.builder(
                                lineId,
                                ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY),
                                new ServerAddress("127.0.0.1", peer.port(), Transport.TCP))
                        .regId(1)
                        .outbound(true)
                        .keepAlive(Duration.ofSeconds(120), pongTimeout)
                        .recovery(BASE_ALL_FAILED, Duration.ofSeconds(90), Duration.ofSeconds(1800))
                        .build(),
                events::add);
        Registration reg = f.register(new RegisterRequest(
                "sip:" + lineId + "@example.test",
                ServerAddress.of("example.test", 0),
                null,
                Duration.ofSeconds(3600),
                Duration.ofSeconds(15),
                null));
        pump(() -> reg.isRegistered() && f.state() == FlowState.UP, () -> lineId + " registered; events " + events);
        return f;
    }

    /**
     * Flows over one TCP connection share its silence: when one flow's pong deadline passes with nothing read
     * since the ping, every other flow over the connection whose own pong deadline that silence covers fails
     * with it, whatever its own keep-alive phase; a flow with a longer pong deadline waits for its own.
     */
    @org.junit.jupiter.api.Test
    void aSilentConnectionFailsTheFlowsOverItWhosePongDeadlineTheSilenceCovers() throws Exception {
        start(Draw.EARLIEST);
        Instant up = clock.now();
        Flow first = registeredFlow("first", PONG_TIMEOUT);
        Flow patient = registeredFlow("patient", PONG_TIMEOUT.multipliedBy(2));
        clock.advance(Duration.ofSeconds(3));
        // its keep-alive comes 3 s after the others': within half an interval of their ping, so it shares it
        Flow later = registeredFlow("later", PONG_TIMEOUT);
        peer.pause();

        Instant ping = up.plus(percent(FLOW_TIMER, 80));
        clock.advanceTo(ping);
        pump(() -> peer.pings() == 1, () -> "the shared keep-alive at the frozen peer");
        clock.advanceTo(ping.plus(PONG_TIMEOUT));

        assertThat(first.state()).isEqualTo(FlowState.RECOVERING);
        // alone, it would have failed at its own keep-alive plus the pong deadline: 3 s later
        assertThat(later.state()).isEqualTo(FlowState.RECOVERING);
        assertThat(events)
                .filteredOn(e -> e.flow() == later && e.kind() == FlowEvent.Kind.FAILED)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.cause()).isEqualTo(FailureCause.PONG_TIMEOUT);
                    assertThat(e.at()).isEqualTo(ping.plus(PONG_TIMEOUT));
                });
        assertThat(patient.state())
                .as("a pong deadline longer than the silence so far")
                .isEqualTo(FlowState.UP);

        clock.advanceTo(ping.plus(PONG_TIMEOUT.multipliedBy(2)));
        assertThat(patient.state()).isEqualTo(FlowState.RECOVERING);
        assertThat(clock.errors()).isEmpty();
    }

    /**
     * {@link Flow#keepAlive()}: the method that runs over the transport, the Flow-Timer as the interval, the
     * virtual instant of each ping and of its answer; an unanswered ping leaves the pong behind it, and the
     * failure at its deadline turns the keep-alive off while the last ping and pong stay visible.
     */
    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"TCP", "UDP"})
    void theKeepAliveStateShowsEachPingAndItsAnswerAtTheirVirtualInstants(Transport t) throws Exception {
        start(Draw.EARLIEST);
        KeepAliveState.Method method = t == Transport.UDP ? KeepAliveState.Method.STUN : KeepAliveState.Method.CRLF;
        Instant ping = registered(t).plus(percent(FLOW_TIMER, 80));
        assertThat(flow.keepAlive())
                .isEqualTo(new KeepAliveState(method, FLOW_TIMER, Optional.empty(), Optional.empty()));

        clock.advanceTo(ping);
        // virtual time stands still while the answer travels: it arrives at the ping's instant
        pump(() -> flow.keepAlive().lastPong().isPresent(), () -> "the answer to the first keep-alive");
        assertThat(flow.keepAlive())
                .isEqualTo(new KeepAliveState(method, FLOW_TIMER, Optional.of(ping), Optional.of(ping)));

        peer.pause();
        Instant second = ping.plus(percent(FLOW_TIMER, 80));
        clock.advanceTo(second);
        pump(() -> keepAlivesAtPeer(t) == 2, () -> "the second keep-alive at the frozen peer");
        assertThat(flow.keepAlive())
                .isEqualTo(new KeepAliveState(method, FLOW_TIMER, Optional.of(second), Optional.of(ping)));

        clock.advanceTo(second.plus(PONG_TIMEOUT));
        assertThat(flow.state()).isEqualTo(FlowState.RECOVERING);
        assertThat(flow.keepAlive())
                .isEqualTo(new KeepAliveState(
                        KeepAliveState.Method.NONE, FLOW_TIMER, Optional.of(second), Optional.of(ping)));
        assertThat(clock.errors()).isEmpty();
    }

    /**
     * RFC 5626 §4.5: after the n-th failure in a row the next attempt comes after a wait drawn between 50 % and
     * 100 % of min(max-time, base-time * 2^n); with one flow (all flows failed) base-time is 30 s: [30, 60] s
     * after the first failure, [60, 120] s after the second. Before the window: no attempt; by its end: one.
     */
    @ParameterizedTest(name = "{0}, {1} draw")
    @MethodSource("transportsAndDraws")
    void recoveryAttemptsWaitPerRfc5626Section45(Transport t, Draw draw) throws Exception {
        start(draw);
        RecoveryBackoff backoff =
                new RecoveryBackoff(BASE_ALL_FAILED, Duration.ofSeconds(90), Duration.ofSeconds(1800));
        Instant up = registered(t);
        peer.pause();
        // the keep-alive is out by 100 % of the Flow-Timer, and unanswered by its deadline
        clock.advanceTo(up.plus(FLOW_TIMER));
        pump(() -> keepAlivesAtPeer(t) == 1, () -> "the keep-alive at the frozen peer");
        clock.advance(PONG_TIMEOUT);
        assertThat(eventsOf(FlowEvent.Kind.FAILED)).hasSize(1);
        int registers = peer.transactions("REGISTER");
        awaitClosedConnectionGone();

        // first failure: upper bound 60 s; the attempt finds the peer still frozen and fails too
        Instant failed1 = eventsOf(FlowEvent.Kind.FAILED).get(0).at();
        assertThat(backoff.upperBound(1, true)).isEqualTo(Duration.ofSeconds(60));
        attemptWithin(failed1, window(draw, backoff.upperBound(1, true)), registers);
        clock.advance(TRANSACTION_TIMEOUT);
        pump(() -> eventsOf(FlowEvent.Kind.FAILED).size() == 2, () -> "the attempt to time out; events " + events);
        assertThat(eventsOf(FlowEvent.Kind.FAILED).get(1).cause()).isEqualTo(FailureCause.TRANSACTION_TIMEOUT);
        awaitClosedConnectionGone();

        // second failure in a row: upper bound 120 s; the peer answers again
        Instant failed2 = eventsOf(FlowEvent.Kind.FAILED).get(1).at();
        assertThat(backoff.upperBound(2, true)).isEqualTo(Duration.ofSeconds(120));
        peer.resume();
        attemptWithin(failed2, window(draw, backoff.upperBound(2, true)), registers + 1);
        pump(() -> eventsOf(FlowEvent.Kind.REGISTERED).size() == 2, () -> "registered again; events " + events);
        barrier();
        assertThat(peer.transactions("REGISTER")).isEqualTo(registers + 2);
        assertThat(flow.state()).isEqualTo(FlowState.UP);
        assertThat(clock.errors()).isEmpty();
    }

    /**
     * Waits until JAIN-SIP's reader of the TCP connection that the failed flow closed has ended. The stack
     * reuses its channel object for the next connection to the same peer, and that reader, as it ends, closes
     * whatever socket the channel holds by then (ConnectionOrientedMessageChannel.run, close()): the new
     * connection, if the attempt came first. In real time the back-off leaves it seconds to end; in virtual
     * time the attempt follows the failure within milliseconds, so the test lets it end first.
     */
    private void awaitClosedConnectionGone() {
        pump(
                () -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(th -> th.isAlive() && th.getName().equals("TCPMessageChannelThread")),
                () -> "the stack's reader of the closed connection to end");
    }

    /** The wait's window: [upper / 2, upper], pinned to one end by the draw. */
    private static Duration[] window(Draw draw, Duration upper) {
        Duration lower = upper.dividedBy(2);
        return switch (draw) {
            case EARLIEST -> new Duration[] {lower, lower};
            case LATEST -> new Duration[] {upper, upper};
            case RANDOM -> new Duration[] {lower, upper};
        };
    }

    /**
     * Up to 1 ms before the window the flow still waits (it has not even started to connect) and the peer has
     * seen no new REGISTER; by the window's end exactly one new REGISTER has reached it.
     */
    private void attemptWithin(Instant failedAt, Duration[] window, int registersBefore) {
        clock.advanceTo(failedAt.plus(window[0]).minus(MILLI));
        assertThat(flow.state()).as("state just before the back-off window").isEqualTo(FlowState.RECOVERING);
        assertThat(peer.transactions("REGISTER")).isEqualTo(registersBefore);

        // through the window in steps well under the transaction time-out, which runs on this clock too: time
        // stops soon after the attempt, before the attempt's REGISTER could time out
        Instant end = failedAt.plus(window[1]);
        while (flow.state() == FlowState.RECOVERING && clock.now().isBefore(end)) {
            Instant next = clock.now().plus(ATTEMPT_STEP);
            clock.advanceTo(next.isAfter(end) ? end : next);
        }
        assertThat(flow.state()).as("state at the end of the back-off window").isNotEqualTo(FlowState.RECOVERING);
        pump(() -> peer.transactions("REGISTER") >= registersBefore + 1, () -> "the new REGISTER at the peer");
        assertThat(peer.transactions("REGISTER")).isEqualTo(registersBefore + 1);
    }
}
