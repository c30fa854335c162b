// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.testkit.time.VirtualScheduler;

/** The double reports what the real flow manager reports, in its order, on the scheduler. */
class RecordingFlowManagerTest {

    private final VirtualScheduler time = new VirtualScheduler();
    private final List<FlowEvent.Kind> events = new CopyOnWriteArrayList<>();

    private static FlowSpec spec(int regId) {
        return FlowSpec.builder(
                        "l1", ServerRef.of(ServerRole.PROXY, Rank.PRIMARY), ServerAddress.parse("10.0.0.1:5060"))
                .regId(regId)
                .outbound(regId != 0)
                .build();
    }

    private static RegisterRequest request() {
        return new RegisterRequest(
                "sip:1001@10.0.0.1",
                ServerAddress.parse("10.0.0.1:5060"),
                null,
                Duration.ofSeconds(600),
                Duration.ofSeconds(60),
                null);
    }

    @Test
    void aScriptedFlowWaitsForTheRegistrarThenReportsUpBeforeRegisteredAndLosesItsBindingOnFailure() {
        RecordingFlowManager flows = RecordingFlowManager.scripted(time);
        Flow flow = flows.open(spec(1), e -> events.add(e.kind()));
        Registration r = flow.register(request());
        time.runDue();
        assertThat(flow.state()).isEqualTo(FlowState.CONNECTING);
        assertThat(events).isEmpty();

        flows.flowTo("10.0.0.1").registered();
        assertThat(events)
                .as("delivered on the scheduler, as the real flow manager does")
                .isEmpty();
        time.runDue();
        assertThat(events).containsExactly(FlowEvent.Kind.UP, FlowEvent.Kind.REGISTERED);
        assertThat(r.isRegistered()).isTrue();

        flows.flowTo("10.0.0.1").failed();
        time.runDue();
        assertThat(flow.state()).isEqualTo(FlowState.RECOVERING);
        assertThat(r.isRegistered()).isFalse();
        flows.flowTo("10.0.0.1").registered();
        r.unregister();
        flow.close();
        time.runDue();

        assertThat(events)
                .containsExactly(
                        FlowEvent.Kind.UP,
                        FlowEvent.Kind.REGISTERED,
                        FlowEvent.Kind.FAILED,
                        FlowEvent.Kind.UP,
                        FlowEvent.Kind.REGISTERED,
                        FlowEvent.Kind.UNREGISTERED,
                        FlowEvent.Kind.CLOSED);
        assertThat(flows.flows()).isEmpty();
        assertThat(flows.log())
                .containsExactly(
                        "open 10.0.0.1 reg-id 1",
                        "register sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 1",
                        "unregister sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 1",
                        "close 10.0.0.1 reg-id 1");
    }

    @Test
    void aFlowWithNothingToRegisterComesUpOnItsFirstTurn() {
        Flow flow = RecordingFlowManager.scripted(time).open(spec(0), e -> events.add(e.kind()));
        time.runDue();

        assertThat(flow.state()).isEqualTo(FlowState.UP);
        assertThat(events).containsExactly(FlowEvent.Kind.UP);
    }

    @Test
    void anInstantManagerAnswersEveryRegisterOnTheNextTurnAndRecordsNothing() {
        RecordingFlowManager flows = RecordingFlowManager.instant(time);
        Flow flow = flows.open(spec(1), e -> events.add(e.kind()));
        Registration first = flow.register(request());
        time.runDue();
        Registration second = flow.register(request());
        time.runDue();

        assertThat(events).containsExactly(FlowEvent.Kind.UP, FlowEvent.Kind.REGISTERED, FlowEvent.Kind.REGISTERED);
        assertThat(first.isRegistered()).isTrue();
        assertThat(second.isRegistered()).isTrue();
        assertThat(flows.log()).isEmpty();
        assertThat(flows.opened()).isEmpty();
    }

    @Test
    void aRegIdIsOneFlowPerFirstHop() {
        RecordingFlowManager flows = RecordingFlowManager.scripted(time);
        flows.open(spec(1), e -> {});

        assertThatThrownBy(() -> flows.open(spec(1), e -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reg-id 1 is already in use");
        flows.open(spec(0), e -> {});
        flows.open(spec(0), e -> {});
        assertThat(flows.flows()).hasSize(3);
    }
}
