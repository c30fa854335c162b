// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.sip.Binding;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * Flows against a real Kamailio 5.6 registrar with the outbound module, started by the test on loopback,
 * with real faults: kill -9, SIGSTOP, restart.
 */
@RealServers
class FlowsAgainstKamailioTest {

    private static final ServerRef REGISTRAR = ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY);

    @TempDir
    Path work;

    private RealTimeFlowManager flows;
    private FlowManagerCore manager;
    private Kamailio kamailio;
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        flows = new RealTimeFlowManager(work, Map.of("localAddress", "127.0.0.1"));
        manager = flows.manager;
    }

    @AfterEach
    void stop() {
        flows.close();
        if (kamailio != null) {
            kamailio.close();
        }
    }

    private Kamailio kamailio(int flowTimer) throws Exception {
        kamailio = Kamailio.start(
                KamailioConfig.builder()
                        .address("127.0.0.1")
                        .flowTimer(flowTimer)
                        .build(),
                work.resolve("kamailio"));
        return kamailio;
    }

    private Flow open(Transport t, Duration keepAlive) {
        FlowSpec spec = FlowSpec.builder("line1", REGISTRAR, new ServerAddress("127.0.0.1", kamailio.port(), t))
                .regId(1)
                .outbound(true)
                .keepAlive(keepAlive, Duration.ofSeconds(1))
                .recovery(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1))
                .build();
        return manager.open(spec, events::add);
    }

    @Test
    void aRegistrationWithInstanceAndRegIdGetsRequireOutboundAndTheFlowTimerIsUsed() throws Exception {
        kamailio(25);
        Flow flow = open(Transport.TCP, Duration.ofSeconds(120));

        Registration reg = flow.register(TestLines.alice());
        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered; events " + events);
        List<Binding> bindings = kamailio.bindings("alice@example.test");

        assertThat(reg.outboundAccepted()).isTrue();
        assertThat(reg.flowTimer()).contains(Duration.ofSeconds(25));
        assertThat(flow.keepAliveInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(bindings).singleElement().satisfies(b -> {
            assertThat(b.instance()).contains(manager.instanceId());
            assertThat(b.regId()).isEqualTo(1);
            assertThat(b.contact()).contains(";ob");
        });
        assertThat(TestLines.ofKind(events, FlowEvent.Kind.UP)).hasSize(1);
    }

    @Test
    void killDashNineIsSeenAtOnceOverTcpAndTheFlowComesBackWhenKamailioDoes() throws Exception {
        kamailio(25);
        Flow flow = open(Transport.TCP, Duration.ofSeconds(120));
        Registration reg = flow.register(TestLines.alice());
        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered; events " + events);

        kamailio.kill();
        // far inside any keep-alive interval: the connection's end is the news
        Poll.until(
                Duration.ofSeconds(2),
                () -> !TestLines.ofKind(events, FlowEvent.Kind.FAILED).isEmpty(),
                () -> "the flow to fail after kill -9; events " + events);
        FlowEvent failed = TestLines.ofKind(events, FlowEvent.Kind.FAILED).get(0);
        kamailio.restart();
        Poll.until(
                Duration.ofSeconds(15),
                () -> reg.isRegistered()
                        && !kamailio.bindings("alice@example.test").isEmpty(),
                () -> "re-registered after the restart; events " + events);

        assertThat(failed.cause()).isIn(FailureCause.CONNECTION_RESET, FailureCause.CONNECTION_REFUSED);
        assertThat(TestLines.ofKind(events, FlowEvent.Kind.REGISTERED)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(kamailio.bindings("alice@example.test"))
                .singleElement()
                .satisfies(b -> assertThat(b.regId()).isEqualTo(1));
    }

    @Test
    void sigstopIsDetectedByTheMissingCrlfPongOverTcp() throws Exception {
        kamailio(0);
        Flow flow = open(Transport.TCP, Duration.ofSeconds(1));
        Registration reg = flow.register(TestLines.alice());
        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered; events " + events);
        // pongs come back while Kamailio runs: three keep-alive rounds and no failure
        Poll.until(Duration.ofSeconds(10), () -> manager.keepAlivesAnswered() >= 3, () -> "three answered pings");
        assertThat(TestLines.ofKind(events, FlowEvent.Kind.FAILED)).isEmpty();

        kamailio.pause();
        Poll.until(
                Duration.ofSeconds(5),
                () -> !TestLines.ofKind(events, FlowEvent.Kind.FAILED).isEmpty(),
                () -> "a pong time-out after SIGSTOP; events " + events);
        kamailio.resume();

        assertThat(TestLines.ofKind(events, FlowEvent.Kind.FAILED).get(0).cause())
                .isEqualTo(FailureCause.PONG_TIMEOUT);
    }

    @Test
    void overUdpStunAnswersKeepTheFlowAndSigstopIsDetectedByTheStunDeadline() throws Exception {
        kamailio(0);
        Flow flow = open(Transport.UDP, Duration.ofSeconds(1));
        Registration reg = flow.register(TestLines.alice());
        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered; events " + events);
        Poll.until(Duration.ofSeconds(10), () -> manager.keepAlivesAnswered() >= 3, () -> "three STUN answers");
        assertThat(TestLines.ofKind(events, FlowEvent.Kind.FAILED)).isEmpty();

        kamailio.pause();
        Poll.until(
                Duration.ofSeconds(5),
                () -> !TestLines.ofKind(events, FlowEvent.Kind.FAILED).isEmpty(),
                () -> "a STUN time-out after SIGSTOP; events " + events);
        kamailio.resume();

        assertThat(TestLines.ofKind(events, FlowEvent.Kind.FAILED).get(0).cause())
                .isEqualTo(FailureCause.STUN_TIMEOUT);
    }

    @Test
    void unregisterRemovesTheBinding() throws Exception {
        kamailio(25);
        Flow flow = open(Transport.UDP, Duration.ofSeconds(120));
        Registration reg = flow.register(TestLines.alice());
        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered; events " + events);

        reg.unregister().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(kamailio.bindings("alice@example.test")).isEmpty();
        assertThat(reg.isRegistered()).isFalse();
    }
}
