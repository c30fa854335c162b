// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.flow.ProbeResult;
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

/** {@link Flow#probe()}: one OPTIONS over the flow, against a real Kamailio that answers or is frozen. */
@RealServers
class OptionsProbesTest {

    /** Short, so that an unanswered probe ends within the test (Timer B/F bound). */
    private static final int TRANSACTION_TIMEOUT_MILLIS = 2000;

    @TempDir
    Path work;

    private RealTimeFlowManager flows;
    private FlowManagerCore manager;
    private Kamailio kamailio;
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        flows = new RealTimeFlowManager(
                work, Map.of("localAddress", "127.0.0.1", "transactionTimeoutMillis", TRANSACTION_TIMEOUT_MILLIS));
        manager = flows.manager;
        kamailio = Kamailio.start(KamailioConfig.builder().address("127.0.0.1").build(), work.resolve("kamailio"));
    }

    @AfterEach
    void stop() {
        flows.close();
        kamailio.close();
    }

    /** A flow with nothing to register: an OPTIONS brings it up. Keep-alives far off, so only probes talk. */
    private Flow upFlow(Transport t) {
        FlowSpec spec = FlowSpec.builder(
                        "line1",
                        ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY),
                        new ServerAddress("127.0.0.1", kamailio.port(), t))
                .regId(1)
                .outbound(true)
                .keepAlive(Duration.ofSeconds(120), Duration.ofSeconds(10))
                .build();
        Flow flow = manager.open(spec, events::add);
        Poll.until(Duration.ofSeconds(10), () -> flow.state() == FlowState.UP, () -> "the flow up; events " + events);
        return flow;
    }

    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"UDP", "TCP"})
    void kamailioAnswersTheProbe(Transport t) throws Exception {
        Flow flow = upFlow(t);

        ProbeResult r = flow.probe().toCompletableFuture().get(TRANSACTION_TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS);

        assertThat(r.answered()).isTrue();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.cause()).isNull();
        assertThat(r.roundTrip()).isNotNull().isBetween(Duration.ZERO, Duration.ofMillis(TRANSACTION_TIMEOUT_MILLIS));
    }

    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"UDP", "TCP"})
    void aFrozenKamailioGivesAProbeTimeoutWithinTheTransactionTimeout(Transport t) throws Exception {
        Flow flow = upFlow(t);
        kamailio.pause();
        try {
            long sent = System.nanoTime();
            CompletableFuture<ProbeResult> probe = flow.probe().toCompletableFuture();
            // the transaction time-out, plus a second for the stack's timer granularity
            Poll.until(
                    Duration.ofMillis(TRANSACTION_TIMEOUT_MILLIS + 1000),
                    probe::isDone,
                    () -> "the probe to end within the transaction time-out");
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            ProbeResult r = probe.join();

            assertThat(r.answered()).isFalse();
            assertThat(r.cause()).isEqualTo(FailureCause.PROBE_TIMEOUT);
            assertThat(r.status()).isZero();
            assertThat(r.roundTrip()).isNull();
            // it waited for the answer rather than giving up at once
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(TRANSACTION_TIMEOUT_MILLIS / 2));
        } finally {
            kamailio.resume();
        }
    }
}
