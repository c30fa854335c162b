// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.flow.KeepAliveState;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * {@link Flow#keepAlive()} against a real Kamailio with the outbound module, in real time with a 1 s
 * keep-alive: what an operator sees of a flow's pings and pongs.
 */
@RealServers
class KeepAliveStateTest {

    private static final ServerRef REGISTRAR = ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path work;

    private RealTimeFlowManager flows;
    private Kamailio kamailio;
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        flows = new RealTimeFlowManager(work, Map.of());
    }

    @AfterEach
    void stop() {
        flows.close();
        if (kamailio != null) {
            kamailio.close();
        }
    }

    /** @param flowTimer the Flow-Timer Kamailio gives, 0 for none */
    private void kamailio(int flowTimer) throws Exception {
        kamailio = Kamailio.start(
                KamailioConfig.builder()
                        .address("127.0.0.1")
                        .flowTimer(flowTimer)
                        .build(),
                work.resolve("kamailio"));
    }

    private Flow registered(Transport t, boolean outbound) {
        FlowSpec spec = FlowSpec.builder("line1", REGISTRAR, new ServerAddress("127.0.0.1", kamailio.port(), t))
                .regId(outbound ? 1 : 0)
                .outbound(outbound)
                .keepAlive(KEEP_ALIVE, Duration.ofSeconds(1))
                .recovery(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60))
                .build();
        Flow flow = flows.manager.open(spec, events::add);
        Registration reg = flow.register(TestLines.alice());
        // the registration completes before the flow hears of it: wait for both
        Poll.until(
                DEADLINE,
                () -> reg.isRegistered() && flow.state() == FlowState.UP,
                () -> "registered over a flow that is up; events " + events);
        return flow;
    }

    /** Polls until a pong has come back after the ping it answers; returns that snapshot. */
    private static KeepAliveState answeredPing(Flow flow) {
        KeepAliveState[] seen = new KeepAliveState[1];
        Poll.until(
                DEADLINE,
                () -> {
                    seen[0] = flow.keepAlive();
                    return seen[0].lastPing().isPresent()
                            && seen[0].lastPong().isPresent()
                            && !seen[0].lastPong()
                                    .get()
                                    .isBefore(seen[0].lastPing().get());
                },
                () -> "a ping and its pong; last seen " + seen[0]);
        return seen[0];
    }

    @Test
    void aTcpFlowShowsCrlfWithAPongAfterItsPingAndNoneOnceFailed() throws Exception {
        kamailio(0);
        Instant before = Instant.now();
        Flow flow = registered(Transport.TCP, true);

        KeepAliveState ka = answeredPing(flow);

        assertThat(ka.method()).isEqualTo(KeepAliveState.Method.CRLF);
        assertThat(ka.interval()).isEqualTo(KEEP_ALIVE);
        assertThat(ka.lastPing().get()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        // the pong of a loopback ping comes within the pong time-out, never before its ping
        assertThat(Duration.between(ka.lastPing().get(), ka.lastPong().get())).isLessThan(Duration.ofSeconds(1));

        // frozen: the next ping goes unanswered, the flow fails, and no keep-alive runs while it recovers
        kamailio.pause();
        try {
            Poll.until(
                    DEADLINE,
                    () -> flow.keepAlive().method() == KeepAliveState.Method.NONE,
                    () -> "no keep-alive after the pong time-out; " + flow.keepAlive() + ", events " + events);
            assertThat(flow.state()).isIn(FlowState.RECOVERING, FlowState.CONNECTING);
            KeepAliveState failed = flow.keepAlive();
            assertThat(failed.lastPing().get()).isAfter(failed.lastPong().get());
        } finally {
            kamailio.resume();
        }
    }

    @Test
    void flowsOverOneConnectionShareItsPingsAndEachSeesThePongs() throws Exception {
        kamailio(0);
        List<FlowImpl> all = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            FlowSpec spec = FlowSpec.builder(
                            "line" + i, REGISTRAR, new ServerAddress("127.0.0.1", kamailio.port(), Transport.TCP))
                    .regId(1)
                    .outbound(true)
                    .keepAlive(KEEP_ALIVE, Duration.ofSeconds(1))
                    .recovery(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60))
                    .build();
            Flow flow = flows.manager.open(spec, events::add);
            flow.register(new RegisterRequest(
                    "sip:u" + i + "@example.test",
                    ServerAddress.of("example.test", 0),
                    null,
                    Duration.ofSeconds(300),
                    Duration.ofSeconds(15),
                    null));
            all.add((FlowImpl) flow);
        }
        Poll.until(DEADLINE, () -> all.stream().allMatch(f -> f.state() == FlowState.UP), () -> "20 flows up");
        long pingsBefore = flows.manager.pingsSent();

        // every flow's keep-alive is answered three times over...
        Poll.until(
                DEADLINE,
                () -> all.stream().allMatch(f -> f.keepAlivesAnswered() >= 3),
                () -> "three answered keep-alives per flow; "
                        + all.stream().map(FlowImpl::keepAlivesAnswered).toList());

        // ...from about two pings per interval over their one connection, not one per flow and interval
        long pings = flows.manager.pingsSent() - pingsBefore;
        assertThat(pings).isPositive().isLessThan(20 * 3 / 2);
        assertThat(all).allSatisfy(f -> assertThat(f.state()).isEqualTo(FlowState.UP));
    }

    @Test
    void aUdpFlowShowsStunWithTheAnswerToItsBindingRequest() throws Exception {
        kamailio(0);
        Flow flow = registered(Transport.UDP, true);

        KeepAliveState ka = answeredPing(flow);

        assertThat(ka.method()).isEqualTo(KeepAliveState.Method.STUN);
        assertThat(ka.interval()).isEqualTo(KEEP_ALIVE);
        assertThat(Duration.between(ka.lastPing().get(), ka.lastPong().get())).isLessThan(Duration.ofSeconds(1));
        // the pings go on: a later round replaces the first
        Poll.until(
                DEADLINE,
                () -> flow.keepAlive().lastPong().get().isAfter(ka.lastPong().get()),
                () -> "a later STUN answer than " + ka);
    }

    @Test
    void theIntervalIsTheRegistrarsFlowTimer() throws Exception {
        kamailio(25);
        Flow flow = registered(Transport.TCP, true);

        // the first ping is due at 80 % of the 25 s Flow-Timer at the earliest: none yet
        assertThat(flow.keepAlive())
                .isEqualTo(new KeepAliveState(
                        KeepAliveState.Method.CRLF,
                        Duration.ofSeconds(25),
                        java.util.Optional.empty(),
                        java.util.Optional.empty()));

        flow.close();
        assertThat(flow.keepAlive().method()).isEqualTo(KeepAliveState.Method.NONE);
    }

    @Test
    void withoutSipOutboundNoKeepAliveRunsWhileRegistered() throws Exception {
        kamailio(0);
        Flow flow = registered(Transport.TCP, false);

        assertThat(flow.state()).isEqualTo(FlowState.UP);
        assertThat(flow.keepAlive())
                .isEqualTo(new KeepAliveState(
                        KeepAliveState.Method.NONE,
                        KEEP_ALIVE,
                        java.util.Optional.empty(),
                        java.util.Optional.empty()));
    }
}
