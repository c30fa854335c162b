// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.testkit.flows.RecordingFlowManager;
import org.sipfailover.testkit.lines.TestLines;
import org.sipfailover.testkit.time.VirtualScheduler;

/**
 * The reconciler's order of work, in virtual time, with a policy the test steers and a flow manager that
 * records what it is asked: new bindings first, the old ones removed only once the new ones are registered
 * (or at once when they are dead), subscriptions moved after the registration, nothing unregistered that
 * would remove the new binding, and the placement kept across a restart.
 */
class ReconcilerTest {

    private static final Placement PRIMARY = Placement.of(new Binding(1, Rank.PRIMARY, Rank.PRIMARY, null));
    private static final Placement BACKUP = Placement.of(new Binding(1, Rank.BACKUP, Rank.BACKUP, null));

    @TempDir
    Path work;

    private final VirtualScheduler time = new VirtualScheduler();
    private final RecordingFlowManager flows = RecordingFlowManager.scripted(time);
    private final List<String> events = new ArrayList<>();
    private final Steered policy = new Steered();
    private PlacementStore store;

    /** A policy that places the line where the test says, and watches the primary while elsewhere. */
    private static final class Steered implements FailoverPolicy {
        Placement next = PRIMARY;
        int decisions;
        RuntimeException failure;

        @Override
        public String name() {
            return "steered";
        }

        @Override
        public Decision decide(PolicyInput input) {
            decisions++;
            if (failure != null) {
                throw failure;
            }
            return new Decision(
                    next,
                    next.equals(PRIMARY) ? Set.of() : Set.of(ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY)),
                    null,
                    "the test says so");
        }
    }

    @BeforeEach
    void store() {
        store = new PlacementStore(work);
    }

    @AfterEach
    void closeStore() {
        store.close(5000); // its writer thread must be done with the folder before the folder goes
    }

    private static LineConfig.Builder config() {
        return TestLines.proxiesAndRegistrars("l1", "10.0.0.1:5060", "10.0.0.2:5060")
                .transport(Transport.TCP)
                .sipOutbound(true)
                .policy("steered");
    }

    private LineRuntime start(LineConfig config) {
        LineRuntime line = new LineRuntime.Builder(config, flows, time, store, (topic, p) -> events.add(topic)).build();
        line.start(policy);
        time.runDue();
        return line;
    }

    private void steer(LineRuntime line, Placement to) {
        policy.next = to;
        line.force(org.sipfailover.api.policy.Trigger.FORCED_FAILOVER);
        time.runDue();
    }

    private void registeredAt(String host) {
        flows.flowTo(host).registered();
        time.runDue();
    }

    @Test
    void aMoveRegistersTheNewBindingBeforeTheOldOneIsRemoved() {
        LineRuntime line = start(config().build());
        registeredAt("10.0.0.1");
        assertThat(line.isRegistered()).isTrue();
        flows.log().clear();

        steer(line, BACKUP);
        // and the primary, now watched, gets a flow of the shared probes (reg-id 0)
        assertThat(flows.log())
                .filteredOn(s -> !s.startsWith("probe"))
                .containsExactly(
                        "open 10.0.0.2 reg-id 1",
                        "register sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 1",
                        "open 10.0.0.1 reg-id 0");
        // the old binding still holds the line while the new one is on its way
        assertThat(flows.log()).noneMatch(s -> s.startsWith("unregister"));

        registeredAt("10.0.0.2");
        assertThat(flows.log()).contains("unregister sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 1");
        // the primary's binding flow goes once the removal is done: the policy watches the primary through the
        // probes' flow
        assertThat(flows.log()).contains("close 10.0.0.1 reg-id 1").doesNotContain("close 10.0.0.1 reg-id 0");
        assertThat(line.isRegistered()).isTrue();
        assertThat(line.placement()).isEqualTo(BACKUP);
        assertThat(events).contains(LineEvents.TOPIC_TRANSITION, LineEvents.TOPIC_REGISTERED);
    }

    @Test
    void aDeadOldBindingIsLetGoAtOnce() {
        LineRuntime line = start(config().build());
        registeredAt("10.0.0.1");
        flows.flowTo("10.0.0.1").failed();
        time.runDue();
        assertThat(line.health()
                        .get(ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY))
                        .state())
                .isEqualTo(HealthState.GREY);
        flows.log().clear();

        steer(line, BACKUP);

        assertThat(flows.log())
                .containsSubsequence(
                        "register sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 1",
                        "unregister sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 1");
        assertThat(line.isRegistered()).isFalse();
    }

    @Test
    void theSameAorAtTheSameRegistrarThroughAnotherOutboundProxyIsNotUnregistered() {
        LineConfig config = config().server(
                        ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, ServerAddress.parse("10.0.1.1:5060"))
                .server(ServerRole.OUTBOUND_PROXY, Rank.BACKUP, ServerAddress.parse("10.0.1.2:5060"))
                .build();
        Placement viaPrimary = Placement.of(new Binding(1, Rank.PRIMARY, Rank.PRIMARY, Rank.PRIMARY));
        Placement viaBackup = Placement.of(new Binding(1, Rank.PRIMARY, Rank.PRIMARY, Rank.BACKUP));
        policy.next = viaPrimary;
        LineRuntime line = start(config);
        registeredAt("10.0.1.1");
        flows.log().clear();

        steer(line, viaBackup);
        registeredAt("10.0.1.2");

        // the registrar replaced the binding (same instance and reg-id): an unregister would remove the new one
        assertThat(flows.log()).noneMatch(s -> s.startsWith("unregister"));
        assertThat(flows.log()).contains("close 10.0.1.1 reg-id 1");
        assertThat(line.isRegistered()).isTrue();
    }

    @Test
    void subscriptionsMoveOnceTheNewBindingIsRegisteredNewDialogFirst() {
        LineRuntime line = start(config().subscription(
                        new SubscriptionConfig(SubscriptionKind.BLF, "sip:bob@example.test", Duration.ofSeconds(600)))
                .build());
        assertThat(flows.log()).noneMatch(s -> s.startsWith("subscribe"));
        registeredAt("10.0.0.1");
        assertThat(flows.log()).contains("subscribe sip:bob@example.test as sip:1001@10.0.0.1 over 10.0.0.1 reg-id 1");
        flows.log().clear();

        steer(line, BACKUP);
        assertThat(flows.log()).noneMatch(s -> s.startsWith("subscribe") || s.startsWith("unsubscribe"));
        registeredAt("10.0.0.2");

        assertThat(flows.log())
                .containsSubsequence(
                        "subscribe sip:bob@example.test as sip:1001@10.0.0.2 over 10.0.0.2 reg-id 1",
                        "unsubscribe sip:bob@example.test as sip:1001@10.0.0.1 over 10.0.0.1 reg-id 1");
    }

    /**
     * A vendor file's BLF or MWI target is a bare extension ({@code 1002}): the resource is that user at the
     * active proxy's domain, the primary's and then the backup's. (Sent as it was, "1002" made no Request-URI:
     * every SUBSCRIBE failed, and took its flow down with it.)
     */
    @Test
    void aBareSubscriptionTargetIsTheUserAtTheActiveProxysDomain() {
        LineRuntime line = start(
                config().subscription(new SubscriptionConfig(SubscriptionKind.BLF, "1002", Duration.ofSeconds(600)))
                        .subscription(new SubscriptionConfig(
                                SubscriptionKind.MWI, "vm@voicemail.test", Duration.ofSeconds(600)))
                        .build());
        registeredAt("10.0.0.1");
        assertThat(flows.log())
                .contains(
                        "subscribe sip:1002@10.0.0.1 as sip:1001@10.0.0.1 over 10.0.0.1 reg-id 1",
                        "subscribe sip:vm@voicemail.test as sip:1001@10.0.0.1 over 10.0.0.1 reg-id 1");
        flows.log().clear();

        steer(line, BACKUP);
        registeredAt("10.0.0.2");
        assertThat(flows.log())
                .contains(
                        "subscribe sip:1002@10.0.0.2 as sip:1001@10.0.0.2 over 10.0.0.2 reg-id 1",
                        "subscribe sip:vm@voicemail.test as sip:1001@10.0.0.2 over 10.0.0.2 reg-id 1");
    }

    @Test
    void subscriptionResources() {
        assertThat(SubscriptionMover.resource("1002", "sip:1001@10.0.0.2")).isEqualTo("sip:1002@10.0.0.2");
        assertThat(SubscriptionMover.resource("*97", "sip:1001@[2001:db8::1]")).isEqualTo("sip:*97@[2001:db8::1]");
        assertThat(SubscriptionMover.resource("bob@example.test", "sip:1001@10.0.0.2"))
                .isEqualTo("sip:bob@example.test");
        assertThat(SubscriptionMover.resource("sips:bob@example.test", "sip:1001@10.0.0.2"))
                .isEqualTo("sips:bob@example.test");
        assertThat(SubscriptionMover.resource("tel:+15551234", "sip:1001@10.0.0.2"))
                .isEqualTo("tel:+15551234");
    }

    @Test
    void theWatchedPrimaryIsProbedEveryProbeInterval() {
        LineRuntime line = start(config().probeInterval(Duration.ofSeconds(5)).build());
        registeredAt("10.0.0.1");
        steer(line, BACKUP);
        registeredAt("10.0.0.2");
        flows.log().clear();

        time.advance(Duration.ofSeconds(15));

        assertThat(flows.log().stream().filter(s -> s.equals("probe 10.0.0.1 reg-id 0")))
                .hasSize(3);
        assertThat(line.health()
                        .get(ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY))
                        .state())
                .isEqualTo(HealthState.UP);
    }

    @Test
    void aWatchedServerWhoseFlowIsRecoveringIsTriedAgainAtTheProbeInterval() {
        LineRuntime line = start(config().probeInterval(Duration.ofSeconds(2)).build());
        registeredAt("10.0.0.1");
        steer(line, BACKUP);
        registeredAt("10.0.0.2");
        flows.flowTo("10.0.0.1").failed();
        time.runDue();
        flows.log().clear();

        // the flow's own back-off would wait tens of seconds; the probe interval is what the policy asked for
        time.advance(Duration.ofSeconds(2));

        assertThat(flows.log()).containsSubsequence("close 10.0.0.1 reg-id 0", "open 10.0.0.1 reg-id 0");
        assertThat(flows.flowTo("10.0.0.1").state()).isEqualTo(FlowState.UP);
        assertThat(line.placement()).isEqualTo(BACKUP);
    }

    @Test
    void aSavedPlacementIsSeenAtOnceAndOnDiskOnceFlushed() {
        store.save("l9", BACKUP);
        assertThat(store.load("l9")).isEqualTo(BACKUP);

        store.flush(5000);

        assertThat(new PlacementStore(work).load("l9")).isEqualTo(BACKUP);
        store.delete("l9");
        assertThat(store.load("l9")).isEqualTo(Placement.NONE);
        assertThat(new PlacementStore(work).load("l9")).isEqualTo(Placement.NONE);
    }

    @Test
    void aPolicyThatFailsLeavesTheLineWhereItIs() {
        LineRuntime line = start(config().build());
        registeredAt("10.0.0.1");
        flows.log().clear();
        policy.failure = new IllegalStateException("bug");

        steer(line, BACKUP);

        assertThat(flows.log()).isEmpty();
        assertThat(line.placement()).isEqualTo(PRIMARY);
        assertThat(line.isRegistered()).isTrue();
    }

    @Test
    void theLineStartsFromItsSavedPlacement() {
        LineRuntime first = start(config().build());
        registeredAt("10.0.0.1");
        steer(first, BACKUP);
        java.util.concurrent.CompletableFuture<Void> closed =
                first.close(LineRuntime.Ending.HAND_OVER).toCompletableFuture();
        time.runDue();
        assertThat(closed).isDone();
        flows.log().clear();

        FailoverPolicy keep = new FailoverPolicy() {
            @Override
            public String name() {
                return "keep";
            }

            @Override
            public Decision decide(PolicyInput input) {
                return Decision.stay(input.current(), "keep");
            }
        };
        LineRuntime again = new LineRuntime.Builder(config().build(), flows, time, store, (t, p) -> {}).build();
        again.start(keep);
        time.runDue();

        assertThat(again.placement()).isEqualTo(BACKUP);
        assertThat(flows.log()).contains("register sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 1");
    }

    @Test
    void aMoveIsOneTransitionAndNoUnregisteredEventWhileTheOldBindingHolds() {
        LineRuntime line = start(config().build());
        registeredAt("10.0.0.1");
        events.clear();

        steer(line, BACKUP);
        registeredAt("10.0.0.2");

        assertThat(events)
                .filteredOn(t -> !t.equals(LineEvents.TOPIC_HEALTH))
                .containsExactly(LineEvents.TOPIC_TRANSITION, LineEvents.TOPIC_REGISTERED);
    }

    @Test
    void aBindingLostInPlaceIsAnUnregisteredEvent() {
        LineRuntime line = start(config().build());
        registeredAt("10.0.0.1");
        events.clear();
        policy.next = PRIMARY; // the policy keeps the line where it is: the binding is lost, not moved

        flows.flowTo("10.0.0.1").failed();
        time.runDue();

        assertThat(line.isRegistered()).isFalse();
        assertThat(events).contains(LineEvents.TOPIC_UNREGISTERED).doesNotContain(LineEvents.TOPIC_TRANSITION);
    }

    @Test
    void aShutDownUnregistersAndKeepsTheSavedPlacementForTheNextStart() {
        LineRuntime line = start(config().build());
        registeredAt("10.0.0.1");
        steer(line, BACKUP);
        registeredAt("10.0.0.2");
        flows.log().clear();

        line.close(LineRuntime.Ending.SHUT_DOWN);
        time.runDue();

        assertThat(flows.log()).contains("unregister sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 1");
        assertThat(store.load("l1")).isEqualTo(BACKUP);
    }

    @Test
    void aDeletedLineUnregistersAndForgetsItsPlacement() {
        LineRuntime line = start(config().build());
        registeredAt("10.0.0.1");
        flows.log().clear();

        line.close(LineRuntime.Ending.DELETE);
        time.runDue();

        assertThat(flows.log()).contains("unregister sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 1");
        assertThat(store.load("l1")).isEqualTo(Placement.NONE);
    }

    @Test
    void aHandOverLeavesTheBindingsForTheNextInstance() {
        LineRuntime line = start(config().build());
        registeredAt("10.0.0.1");
        flows.log().clear();

        line.close(LineRuntime.Ending.HAND_OVER);
        time.runDue();

        assertThat(flows.log()).noneMatch(s -> s.startsWith("unregister"));
        assertThat(store.load("l1")).isEqualTo(PRIMARY);
    }
}
