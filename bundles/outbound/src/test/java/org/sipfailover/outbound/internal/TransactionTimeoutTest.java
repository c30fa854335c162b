// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.flow.ProbeResult;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.FailureCause;
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
 * A flow's own transaction time-out ({@link FlowSpec#transactionTimeout()}, from a line's Aastra
 * {@code sip transaction timer} or AudioCodes {@code outgoing_request_no_response_timeout_ms}) against a
 * frozen Kamailio: shorter than the flow manager's, it ends a request sooner; longer, it waits for an answer
 * the manager's would have given up on.
 */
@RealServers
class TransactionTimeoutTest {

    @TempDir
    Path work;

    private RealTimeFlowManager flows;
    private Kamailio kamailio;
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();

    private void start(int managerTimeoutMillis) throws Exception {
        flows = new RealTimeFlowManager(
                work, Map.of("localAddress", "127.0.0.1", "transactionTimeoutMillis", managerTimeoutMillis));
        kamailio = Kamailio.start(KamailioConfig.builder().address("127.0.0.1").build(), work.resolve("kamailio"));
    }

    @AfterEach
    void stop() {
        if (flows != null) {
            flows.close();
        }
        if (kamailio != null) {
            kamailio.close();
        }
    }

    private Flow open(Transport t, Duration transactionTimeout) {
        FlowSpec spec = FlowSpec.builder(
                        "line1",
                        ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY),
                        new ServerAddress("127.0.0.1", kamailio.port(), t))
                .regId(1)
                .outbound(true)
                .keepAlive(Duration.ofSeconds(120), Duration.ofSeconds(10))
                .transactionTimeout(transactionTimeout)
                .build();
        return flows.manager.open(spec, events::add);
    }

    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"UDP", "TCP"})
    void aFlowsShorterTimeoutEndsAProbeToAFrozenServerLongBeforeTheManagersWould(Transport t) throws Exception {
        start(30_000);
        Flow flow = open(t, Duration.ofMillis(1500));
        Poll.until(Duration.ofSeconds(10), () -> flow.state() == FlowState.UP, () -> "the flow up; events " + events);
        kamailio.pause();
        try {
            long sent = System.nanoTime();
            CompletableFuture<ProbeResult> probe = flow.probe().toCompletableFuture();
            // the manager's 30 s would leave the probe open for the whole of this wait
            Poll.until(Duration.ofSeconds(10), probe::isDone, () -> "the probe to end at the flow's 1.5 s");
            Duration took = Duration.ofNanos(System.nanoTime() - sent);

            assertThat(probe.join().cause()).isEqualTo(FailureCause.PROBE_TIMEOUT);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        } finally {
            kamailio.resume();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"UDP", "TCP"})
    void aFrozenRegistrarFailsTheRegistrationAtTheFlowsTimeout(Transport t) throws Exception {
        start(30_000);
        Flow flow = open(t, Duration.ofMillis(1500));
        kamailio.pause();
        try {
            Registration reg = flow.register(new RegisterRequest(
                    "sip:alice@example.test",
                    ServerAddress.of("example.test", 0),
                    null,
                    Duration.ofSeconds(300),
                    Duration.ofSeconds(15),
                    null));

            Poll.until(
                    Duration.ofSeconds(10),
                    () -> events.stream().anyMatch(e -> e.kind() == FlowEvent.Kind.FAILED),
                    () -> "the flow failed at the 1.5 s time-out; events " + events);
            // over UDP the flow's first OPTIONS, sent as it opens, may be the request that times out first
            assertThat(events)
                    .filteredOn(e -> e.kind() == FlowEvent.Kind.FAILED)
                    .first()
                    .extracting(FlowEvent::cause)
                    .isIn(FailureCause.TRANSACTION_TIMEOUT, FailureCause.PROBE_TIMEOUT);
            assertThat(reg.isRegistered()).isFalse();
        } finally {
            kamailio.resume();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"UDP", "TCP"})
    void aFlowsLongerTimeoutWaitsForAnAnswerTheManagersWouldHaveGivenUpOn(Transport t) throws Exception {
        start(1000);
        Flow flow = open(t, Duration.ofSeconds(8));
        if (t == Transport.TCP) {
            // connected first: the point is the answer's wait, not the connect's (bounded by the manager's)
            Poll.until(Duration.ofSeconds(10), () -> flow.state() == FlowState.UP, () -> "the flow up; " + events);
        }
        kamailio.pause();
        Registration reg;
        try {
            reg = flow.register(new RegisterRequest(
                    "sip:bob@example.test",
                    ServerAddress.of("example.test", 0),
                    null,
                    Duration.ofSeconds(300),
                    Duration.ofSeconds(15),
                    null));
            // frozen for three times the manager's time-out, well within the flow's
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            Poll.until(
                    Duration.ofSeconds(5),
                    () -> System.nanoTime() >= until || failed(),
                    () -> "3 s frozen, or a failure");
        } finally {
            kamailio.resume();
        }

        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered once resumed; events " + events);
        assertThat(events)
                .noneMatch(e -> e.kind() == FlowEvent.Kind.FAILED || e.kind() == FlowEvent.Kind.REGISTRATION_FAILED);
        assertThat(kamailio.bindings("bob@example.test")).hasSize(1);
    }

    private boolean failed() {
        return events.stream().anyMatch(e -> e.kind() == FlowEvent.Kind.FAILED);
    }
}
