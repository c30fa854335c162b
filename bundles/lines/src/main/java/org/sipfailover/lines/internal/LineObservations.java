// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.policy.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line's health fan-out: its {@link HealthBook}, fed by flow events, probe answers and DNS.
 *
 * <p>What it hears of an address is recorded for every configured server there, a HEALTH event is posted for
 * each change, and the policy is asked. Owned by the lane.
 */
final class LineObservations {

    private static final Logger LOG = LoggerFactory.getLogger(LineObservations.class);

    /** Asks the line's policy ({@link PolicyCall#decide(Trigger, HealthObservation, boolean)}). */
    @FunctionalInterface
    interface Decider {
        void decide(Trigger trigger, HealthObservation observation, boolean changedSomething);
    }

    private final LineContext line;
    private final LineServers servers;
    private final BindingReconciler bindings;
    private final LineViews views;
    private final Decider policy;
    private final Runnable reconcile;
    private final HealthBook health = new HealthBook();

    LineObservations(
            LineContext line,
            LineServers servers,
            BindingReconciler bindings,
            LineViews views,
            Decider policy,
            Runnable reconcile) {
        this.line = line;
        this.servers = servers;
        this.bindings = bindings;
        this.views = views;
        this.policy = policy;
        this.reconcile = reconcile;
    }

    /** The servers' health, as the line remembers it. */
    Map<ServerRef, ServerHealth> snapshot() {
        return health.snapshot();
    }

    /** An event of one of the line's open flows. */
    void onFlowEvent(LineFlows.Slot slot, FlowEvent e) {
        Instant at = line.now();
        switch (e.kind()) {
            case UP ->
                observeAt(
                        slot.key.address(),
                        HealthObservation.success(
                                slot.server, at, HealthObservation.Source.FLOW, "flow up: " + e.detail()),
                        Trigger.OBSERVATION);
            case FAILED ->
                observeAt(
                        slot.key.address(),
                        new HealthObservation(
                                slot.server,
                                at,
                                HealthObservation.Source.FLOW,
                                e.cause() == null ? FailureCause.CONNECTION_RESET : e.cause(),
                                e.retryAfter(),
                                e.detail()),
                        Trigger.OBSERVATION);
            case REGISTERED -> {
                observeAt(
                        slot.key.address(),
                        HealthObservation.success(
                                slot.server, at, HealthObservation.Source.TRANSACTION, "registered " + e.detail()),
                        null);
                policy.decide(Trigger.REGISTRATION, null, true);
            }
            case REGISTRATION_FAILED -> {
                if (e.cause() != FailureCause.FIRST_HOP_LACKS_OUTBOUND) {
                    // the registrar refused or did not answer: its failure, not the outbound proxy's in front of
                    // it (a dead first hop shows in the flow's own FAILED event)
                    for (ServerAddress a : bindings.registrarsOver(slot)) {
                        observeAt(
                                a,
                                new HealthObservation(
                                        slot.server,
                                        at,
                                        HealthObservation.Source.TRANSACTION,
                                        e.cause() == null ? FailureCause.REJECTED : e.cause(),
                                        e.retryAfter(),
                                        e.detail()),
                                null);
                    }
                }
                policy.decide(Trigger.REGISTRATION, null, true);
            }
            default -> reconcile.run();
        }
    }

    /** What a probe or the DNS told of an address: an observation of every server there, the policy asked. */
    void observe(ServerAddress address, HealthObservation o) {
        observeAt(address, o, Trigger.OBSERVATION);
    }

    /**
     * Records an observation for every configured server at an address (one Kamailio is often the proxy and the
     * registrar), then, with a trigger, asks the policy once per server there.
     */
    void observeAt(ServerAddress address, HealthObservation o, Trigger trigger) {
        List<HealthObservation> changed = new ArrayList<>();
        boolean anyChanged = false;
        for (ServerRef ref : servers.refsAt(address)) {
            HealthObservation mine =
                    new HealthObservation(ref, o.at(), o.source(), o.cause(), o.retryAfter(), o.detail());
            ServerHealth h = health.observe(ref, mine);
            if (h != null) {
                anyChanged = true;
                // DEBUG: a dead server turns every line's health of it at once, thousands of lines in a burst;
                // the transition that follows says why at INFO, and the HEALTH event carries it
                LOG.debug("line {}: {} is {} ({})", line.id(), ref, h.state(), o.detail());
                views.post(
                        LineEvents.TOPIC_HEALTH,
                        Map.of(
                                LineEvents.SERVER,
                                ref.toString(),
                                LineEvents.HEALTH,
                                h.state().name(),
                                LineEvents.CAUSE,
                                String.valueOf(o.isSuccess() ? "up: " + o.detail() : o.cause() + ": " + o.detail())));
            }
            changed.add(mine);
        }
        if (trigger != null) {
            if (changed.isEmpty()) {
                reconcile.run();
            }
            for (HealthObservation c : changed) {
                policy.decide(trigger, c, anyChanged);
            }
        }
    }
}
