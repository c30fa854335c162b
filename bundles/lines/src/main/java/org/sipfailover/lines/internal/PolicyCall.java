// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.Trigger;
import org.sipfailover.api.time.Cancellable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line's policy, the placement it decided on, and the timer it asked for.
 *
 * <p>It asks the policy on every occasion (start, swap, new configuration, drill, idle, observation, timer) and
 * keeps the chosen placement saved across restarts. Owned by the lane: every method but {@link #name()} runs on
 * it; the policy is volatile for readers.
 */
final class PolicyCall {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyCall.class);

    private final LineContext line;
    private final PlacementStore store;
    private final LineServers servers;
    private final BindingReconciler bindings;
    private final LineObservations health;
    private final ProbeWatches probes;
    private final LineViews views;
    /** Publishes the line's snapshots. */
    private final Runnable publish;
    /** Turns the placement into SIP work. */
    private final Runnable reconcile;

    private volatile FailoverPolicy policy;
    private volatile boolean callInProgress;
    private boolean started;
    private Placement current = Placement.NONE;
    private Cancellable reconsider;
    /** When {@link #reconsider} runs, as the last decision asked; null for none. */
    private Instant reconsiderAt;

    PolicyCall(
            LineContext line,
            PlacementStore store,
            LineServers servers,
            BindingReconciler bindings,
            LineObservations health,
            ProbeWatches probes,
            LineViews views,
            Runnable publish,
            Runnable reconcile) {
        this.line = line;
        this.store = Objects.requireNonNull(store, "store");
        this.servers = servers;
        this.bindings = bindings;
        this.health = health;
        this.probes = probes;
        this.views = views;
        this.publish = publish;
        this.reconcile = reconcile;
    }

    /** The name of the policy deciding now, or what the line waits for; for readers on any thread. */
    String name() {
        FailoverPolicy p = policy;
        return p == null ? "none (waiting for " + line.config().policy() + ")" : p.name();
    }

    /** Starts the line with a policy (or none yet: it waits for one, registering nothing). */
    void start(FailoverPolicy initialPolicy) {
        policy = initialPolicy;
        started = true;
        Placement saved = store.load(line.id());
        current = servers.usable(saved) ? saved : Placement.NONE;
        if (!current.isNone()) {
            LOG.info("line {}: starting from its saved placement {}", line.id(), current);
        }
        if (initialPolicy == null) {
            LOG.info(
                    "line {}: no failover policy named '{}' yet; waiting for one",
                    line.id(),
                    line.config().policy());
            publish.run();
            return;
        }
        if (validates(initialPolicy)) {
            decide(Trigger.START, null);
        }
    }

    /** Hands the line another policy (or none), with the current placement and health. */
    void swap(FailoverPolicy next) {
        FailoverPolicy before = policy;
        policy = next;
        if (next == null || !started || line.closed()) {
            if (next == null && before != null) {
                LOG.warn(
                        "line {}: policy {} is gone; the line keeps its bindings until another comes",
                        line.id(),
                        before.name());
            }
            publish.run();
            return;
        }
        if (!validates(next)) {
            return;
        }
        LOG.info("line {}: policy {} replaces {}", line.id(), next.name(), before == null ? "none" : before.name());
        decide(before == null && current.isNone() ? Trigger.START : Trigger.POLICY_SWAPPED, null);
    }

    /** Takes a configuration in place, and asks the policy again. */
    void reconfigure(LineConfig next) {
        line.config(next);
        if (policy != null && started && !line.closed() && validates(policy)) {
            decide(Trigger.CONFIG_CHANGED, null);
        }
    }

    /** An operator's drill, or any occasion a running line asks its policy on. */
    void force(Trigger trigger) {
        if (policy != null && started && !line.closed()) {
            decide(trigger, null);
        }
    }

    /** Notes whether a call is in progress; the end of one is an occasion to fail back ({@link Trigger#IDLE}). */
    void callInProgress(boolean inProgress) {
        boolean was = callInProgress;
        callInProgress = inProgress;
        if (was && !inProgress) {
            force(Trigger.IDLE);
        }
    }

    /** The placement the line has decided on. */
    Placement current() {
        return current;
    }

    /** Whether a policy accepts the line's configuration; logs why not. */
    private boolean validates(FailoverPolicy p) {
        try {
            p.validate(line.config());
            return true;
        } catch (IllegalArgumentException e) {
            LOG.error("line {}: refused by policy {}: {}", line.id(), p.name(), e.getMessage());
            return false;
        }
    }

    void decide(Trigger trigger, HealthObservation observation) {
        decide(trigger, observation, true);
    }

    /**
     * @param changedSomething false for an observation that changed no server's health: when the policy then
     *     decides as before, there is nothing to reconcile (ten thousand lines hear every shared probe answer)
     */
    void decide(Trigger trigger, HealthObservation observation, boolean changedSomething) {
        FailoverPolicy p = policy;
        if (p == null || line.closed()) {
            publish.run();
            return;
        }
        Decision d;
        try {
            d = p.decide(new PolicyInput(
                    line.config(),
                    current,
                    bindings.live(current),
                    health.snapshot(),
                    line.now(),
                    trigger,
                    observation,
                    callInProgress));
        } catch (RuntimeException e) {
            // a policy bug must not take the line down: it keeps what it has
            LOG.error("line {}: policy {} failed to decide on {}: {}", line.id(), p.name(), trigger, e.toString(), e);
            publish.run();
            return;
        }
        if (!servers.usable(d.desired())) {
            LOG.error(
                    "line {}: policy {} chose {}, which needs a server the line does not have; ignored",
                    line.id(),
                    p.name(),
                    d.desired());
            publish.run();
            return;
        }
        if (!changedSomething
                && trigger == Trigger.OBSERVATION
                && d.desired().equals(current)
                && d.probes().equals(probes.wanted())
                && Objects.equals(d.reconsiderAt(), reconsiderAt)
                && (reconsiderAt == null || reconsiderAt.isAfter(line.now()))) {
            views.publishHealth(health.snapshot());
            return;
        }
        if (!d.desired().equals(current)) {
            Placement from = current;
            current = d.desired();
            views.record(new LineTransition(line.now(), line.id(), from, current, p.name(), d.reason()));
            LOG.info("line {}: {} -> {} ({}, {})", line.id(), from, current, p.name(), d.reason());
            store.save(line.id(), current);
            publish.run(); // before the event: a handler that asks the line sees the new placement
            views.post(
                    LineEvents.TOPIC_TRANSITION,
                    Map.of(
                            LineEvents.FROM,
                            from.toString(),
                            LineEvents.TO,
                            current.toString(),
                            LineEvents.CAUSE,
                            d.reason(),
                            LineEvents.POLICY,
                            p.name()));
        }
        probes.want(d.probes());
        LineContext.cancel(reconsider);
        reconsider = null;
        reconsiderAt = d.reconsiderAt();
        if (d.reconsiderAt() != null) {
            Duration wait = Duration.between(line.now(), d.reconsiderAt());
            reconsider = line.schedule(
                    () -> {
                        if (!line.closed()) {
                            decide(Trigger.TIMER, null);
                        }
                    },
                    wait.isNegative() ? Duration.ZERO : wait);
        }
        reconcile.run();
    }

    /** Forgets the saved placement, for a line that is deleted. */
    void forgetSaved() {
        store.delete(line.id());
    }

    /** Stops the timer, for a line that closes. */
    void cancelTimer() {
        LineContext.cancel(reconsider);
    }
}
