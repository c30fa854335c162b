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
 * A transaction time-out shorter than UDP's Timer K (5 s): an answered REGISTER lingers in the stack past
 * it, and neither that deadline nor a late time-out from the stack may then count as a failure of the flow.
 */
@RealServers
class ShortTransactionLifetimeTest {

    @TempDir
    Path work;

    private RealTimeFlowManager flows;
    private Kamailio kamailio;

    @BeforeEach
    void start() throws Exception {
        flows = new RealTimeFlowManager(work, Map.of("transactionTimeoutMillis", 2000));
        kamailio = Kamailio.start(KamailioConfig.builder().address("127.0.0.1").build(), work.resolve("kamailio"));
    }

    @AfterEach
    void stop() {
        flows.close();
        kamailio.close();
    }

    @Test
    void anAnsweredUdpRegisterIsNotTakenForATimeoutWhenItOutlivesTheBound() {
        List<FlowEvent> events = new CopyOnWriteArrayList<>();
        Flow flow = flows.manager.open(
                FlowSpec.builder(
                                "line1",
                                ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY),
                                new ServerAddress("127.0.0.1", kamailio.port(), Transport.UDP))
                        .regId(1)
                        .outbound(true)
                        .keepAlive(Duration.ofSeconds(60), Duration.ofSeconds(5))
                        .build(),
                events::add);
        Registration reg = flow.register(new RegisterRequest(
                "sip:alice@example.test",
                ServerAddress.of("example.test", 0),
                null,
                Duration.ofSeconds(300),
                Duration.ofSeconds(15),
                null));
        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered; events " + events);

        // the answered REGISTER lingers for Timer K (5 s), past the 2 s bound: wait for a failure, or for the
        // window to close without one
        java.time.Instant registered = java.time.Instant.now();
        Poll.until(
                Duration.ofSeconds(15),
                () -> failed(events)
                        || Duration.between(registered, java.time.Instant.now()).compareTo(Duration.ofSeconds(7)) > 0,
                () -> "a failure or the end of Timer K; events " + events);
        assertThat(events)
                .noneMatch(e -> e.kind() == FlowEvent.Kind.FAILED || e.kind() == FlowEvent.Kind.REGISTRATION_FAILED);
        assertThat(reg.isRegistered()).isTrue();
        assertThat(kamailio.bindings("alice@example.test")).hasSize(1);
    }

    private static boolean failed(List<FlowEvent> events) {
        return events.stream()
                .anyMatch(e -> e.kind() == FlowEvent.Kind.FAILED || e.kind() == FlowEvent.Kind.REGISTRATION_FAILED);
    }
}
