// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.line.SubscriptionState;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.policy.Trigger;
import org.sipfailover.api.time.Scheduler;

/**
 * One line: its policy decides the placement ({@link PolicyCall}), and the reconciler here turns the difference
 * between the bindings the line has and the placement it should have into SIP work through the
 * {@link FlowManager}: bindings ({@link BindingReconciler}), subscriptions ({@link SubscriptionMover}), probes
 * ({@link ProbeWatches}), the DNS TTL ({@link DnsTtlWatch}), over the line's flows ({@link LineFlows}).
 *
 * <p>A plain class, so that a host without OSGi (a test, a benchmark, an embedding application) can run
 * lines too; the lines bundle runs it from {@link LineComponent}. A {@link Builder} makes one.
 *
 * <p>Every change of state runs on the line's lane, a serial {@link Scheduler} (one of a few threads the
 * bundle's lines share, always the same for a line; virtual in tests): flow events, probe answers, timers
 * and host calls are all handed to it, so nothing here takes a lock. Readers get immutable snapshots
 * ({@link LineViews}).
 *
 * <p>The order of the work never leaves the line without a binding when it can be avoided: the new
 * bindings are registered first; the old ones are removed only once every new one is registered, or at
 * once when they are dead anyway. Subscriptions move to the active binding's proxy once that binding is
 * registered, new dialog first, then the old one ended.
 */
public final class LineRuntime implements LineStatus {

    /** Where line events go: EventAdmin in OSGi, a list in tests. */
    @FunctionalInterface
    public interface EventSink {
        void post(String topic, Map<String, Object> properties);
    }

    private final LineContext line;
    private final LineFlows flows;
    private final BindingReconciler bindings;
    private final SubscriptionMover subscriptions;
    private final ProbeWatches probes;
    private final DnsTtlWatch dns;
    private final LineViews views;
    private final LineObservations observations;
    private final PolicyCall policy;

    private LineRuntime(Builder b) {
        line = new LineContext(b.config, b.lane);
        LineServers servers = new LineServers(line);
        flows = new LineFlows(line, b.flows, servers);
        bindings = new BindingReconciler(line, servers, flows);
        views = new LineViews(line, b.events);
        subscriptions = new SubscriptionMover(line, flows, views);
        observations = new LineObservations(line, servers, bindings, views, this::decide, this::reconcile);
        probes = new ProbeWatches(
                line,
                servers,
                b.flows,
                b.serverProbes != null ? b.serverProbes : new ServerProbes(b.lane),
                bindings,
                observations::observe);
        dns = new DnsTtlWatch(line, servers, b.resolver, observations::observe);
        flows.wire(observations::onFlowEvent, bindings, subscriptions);
        policy = new PolicyCall(
                line, b.store, servers, bindings, observations, probes, views, this::publish, this::reconcile);
    }

    /** The one way to build a line: its mandatory collaborators, then the optional ones set on it. */
    public static final class Builder {
        private final LineConfig config;
        private final FlowManager flows;
        private final Scheduler lane;
        private final PlacementStore store;
        private final EventSink events;
        private Supplier<ServerResolver> resolver = () -> null;
        private ServerProbes serverProbes;

        /**
         * @param config the line's configuration
         * @param flows the flow manager
         * @param lane a serial scheduler: tasks never run concurrently
         * @param store where the placement is kept across restarts
         * @param events where transition, registration and health events go
         */
        public Builder(LineConfig config, FlowManager flows, Scheduler lane, PlacementStore store, EventSink events) {
            this.config = Objects.requireNonNull(config, "config");
            this.flows = Objects.requireNonNull(flows, "flows");
            this.lane = Objects.requireNonNull(lane, "lane");
            this.store = Objects.requireNonNull(store, "store");
            this.events = Objects.requireNonNull(events, "events");
        }

        /**
         * @param resolver the current resolver, read when the line looks its server up again for {@code dns-ttl}
         *     failback; may give {@code null}; without one the line never looks up
         */
        public Builder resolver(Supplier<ServerResolver> resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** @param probes the OPTIONS probes this line shares with others; without them it probes alone */
        Builder serverProbes(ServerProbes probes) {
            this.serverProbes = Objects.requireNonNull(probes, "serverProbes");
            return this;
        }

        public LineRuntime build() {
            return new LineRuntime(this);
        }
    }

    // ---- the host's side ------------------------------------------------------------------------------------

    /** Starts the line with a policy (or none yet: it waits for one, registering nothing). */
    public void start(FailoverPolicy initialPolicy) {
        line.onLane(() -> policy.start(initialPolicy));
    }

    /**
     * Hands the line another policy (or none). The new one gets the current placement and health with
     * {@link Trigger#POLICY_SWAPPED}: nothing is re-registered unless it decides on another placement.
     */
    public void swapPolicy(FailoverPolicy next) {
        line.onLane(() -> policy.swap(next));
    }

    /**
     * Applies a configuration change that keeps the line's servers, user and transport (timers, policy,
     * failback): the policy is asked again with {@link Trigger#CONFIG_CHANGED}.
     */
    public void reconfigure(LineConfig next) {
        line.onLane(() -> policy.reconfigure(next));
    }

    @Override
    public void forceFailover() {
        force(Trigger.FORCED_FAILOVER);
    }

    @Override
    public void forceFailback() {
        force(Trigger.FORCED_FAILBACK);
    }

    /** An operator's drill: {@link Trigger#FORCED_FAILOVER} or {@link Trigger#FORCED_FAILBACK}. */
    public void force(Trigger trigger) {
        line.onLane(() -> policy.force(trigger));
    }

    @Override
    public void setCallInProgress(boolean inProgress) {
        line.onLane(() -> policy.callInProgress(inProgress));
    }

    /** How a line ends: what becomes of its bindings and its saved placement. */
    public enum Ending {
        /**
         * The bundle is stopped or updated, or the line's policy or flow manager goes: the bindings stay
         * registered, to be taken over by the next instance of the line (same instance-id and reg-id), and the
         * placement stays saved.
         */
        HAND_OVER(false, false),
        /** The framework (the process) stops: the bindings are removed; the placement stays saved for the next start. */
        SHUT_DOWN(true, false),
        /** The line is deleted: the bindings are removed and the placement forgotten. */
        DELETE(true, true);

        final boolean unregister;
        final boolean forget;

        Ending(boolean unregister, boolean forget) {
            this.unregister = unregister;
            this.forget = forget;
        }
    }

    /**
     * Stops the line; completes when its unregistrations (if any) ended and its flows are closed.
     *
     * @param ending what becomes of the bindings and the saved placement
     */
    public CompletionStage<Void> close(Ending ending) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        line.lane().execute(() -> {
            try {
                if (line.closed()) {
                    done.complete(null);
                    return;
                }
                line.markClosed();
                policy.cancelTimer();
                dns.cancel();
                probes.cancelAll();
                List<CompletableFuture<Void>> removals = new ArrayList<>();
                if (ending.unregister) {
                    subscriptions.unsubscribeAll(removals);
                    bindings.unregisterAll(removals);
                }
                if (ending.forget) {
                    policy.forgetSaved();
                }
                List<Flow> open = flows.open();
                CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
                        .orTimeout(10, TimeUnit.SECONDS)
                        .whenComplete((v, e) -> {
                            open.forEach(Flow::close);
                            done.complete(null);
                        });
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    // ---- LineStatus -----------------------------------------------------------------------------------------

    @Override
    public String lineId() {
        return line.id();
    }

    @Override
    public LineConfig config() {
        return line.config();
    }

    @Override
    public Placement placement() {
        return views.placement();
    }

    @Override
    public Set<Binding> liveBindings() {
        return views.live();
    }

    @Override
    public String policyName() {
        return policy.name();
    }

    @Override
    public Map<ServerRef, ServerHealth> health() {
        return views.health();
    }

    @Override
    public List<LineTransition> transitions() {
        return views.transitions();
    }

    @Override
    public List<SubscriptionState> subscriptions() {
        return views.subscriptions();
    }

    // ---- reconciling ------------------------------------------------------------------------------------------

    private void reconcile() {
        if (line.closed()) {
            return;
        }
        Placement current = policy.current();
        Set<Binding> live = bindings.reconcile(current);
        boolean allLive = !current.isNone() && live.containsAll(current.bindings());
        subscriptions.reconcile(current, live);
        probes.reconcile();
        dns.watch(current.activeBinding());
        flows.closeIdle();
        // the views first: whoever hears the event below and asks the line sees what the event says
        publish();
        views.registered(allLive, current);
    }

    private void decide(Trigger trigger, HealthObservation observation, boolean changedSomething) {
        policy.decide(trigger, observation, changedSomething);
    }

    private void publish() {
        Placement current = policy.current();
        views.publish(current, bindings.live(current), observations.snapshot());
    }

    @Override
    public String toString() {
        return "Line[" + line.id() + " " + views.placement() + "]";
    }
}
