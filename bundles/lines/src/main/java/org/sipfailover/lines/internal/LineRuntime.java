package org.sipfailover.lines.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.flow.SubscribeRequest;
import org.sipfailover.api.flow.Subscription;
import org.sipfailover.api.flow.SubscriptionListener;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.policy.Trigger;
import org.sipfailover.api.time.Cancellable;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line: its policy decides the placement, and the reconciler here turns the difference between the
 * bindings the line has and the placement it should have into SIP work through the {@link FlowManager}.
 *
 * <p>A plain class, so that a host without OSGi (a test, a benchmark, an embedding application) can run
 * lines too; the lines bundle runs it from {@link LineComponent}.
 *
 * <p>Every change of state runs on the line's lane, a serial {@link Scheduler} (one of a few threads the
 * bundle's lines share, always the same for a line; virtual in tests): flow events, probe answers, timers
 * and host calls are all handed to it, so nothing here takes a lock. Readers get immutable snapshots.
 *
 * <p>The order of the work never leaves the line without a binding when it can be avoided: the new
 * bindings are registered first; the old ones are removed only once every new one is registered, or at
 * once when they are dead anyway. Subscriptions move to the active binding's proxy once that binding is
 * registered, new dialog first, then the old one ended.
 */
public final class LineRuntime implements LineStatus {

    private static final Logger LOG = LoggerFactory.getLogger(LineRuntime.class);
    /** How many transitions {@link #transitions()} keeps. */
    static final int TRANSITION_HISTORY = 64;

    /** Where line events go: EventAdmin in OSGi, a list in tests. */
    @FunctionalInterface
    public interface EventSink {
        void post(String topic, Map<String, Object> properties);
    }

    /** A flow of this line: to one server address, with one reg-id. */
    private record FlowKey(ServerAddress address, int regId) {
    }

    private final class FlowSlot {
        final FlowKey key;
        final ServerRef server;
        Flow flow;
        /** Unregistrations under way over this flow: it stays open until they end. */
        int pendingRemovals;

        FlowSlot(FlowKey key, ServerRef server) {
            this.key = key;
            this.server = server;
        }
    }

    private static final class BindingSlot {
        final Binding binding;
        final FlowSlot flow;
        final Registration registration;
        final String aor;

        BindingSlot(Binding binding, FlowSlot flow, Registration registration, String aor) {
            this.binding = binding;
            this.flow = flow;
            this.registration = registration;
            this.aor = aor;
        }
    }

    private final class SubSlot implements SubscriptionListener {
        final SubscriptionConfig config;
        final FlowSlot flow;
        final String subscriber;
        Subscription subscription;
        boolean ending;

        SubSlot(SubscriptionConfig config, FlowSlot flow, String subscriber) {
            this.config = config;
            this.flow = flow;
            this.subscriber = subscriber;
        }

        @Override
        public void onNotify(Subscription s, String contentType, byte[] body) {
            LOG.debug("line {}: NOTIFY for {} ({} bytes)", config().id(), config.target(), body.length);
        }

        @Override
        public void onTerminated(Subscription s, String reason) {
            LOG.info("line {}: subscription to {} ended: {}", config().id(), config.target(), reason);
        }
    }

    private final FlowManager flows;
    /** For {@code dns-ttl} failback: when the TTL of the server in use ends. May give {@code null}. */
    private final java.util.function.Supplier<org.sipfailover.api.dns.ServerResolver> resolver;
    private final Scheduler lane;
    private final PlacementStore store;
    private final EventSink events;
    private final ServerProbes serverProbes;
    private volatile LineConfig config;
    private volatile FailoverPolicy policy;
    private volatile boolean callInProgress;

    // ---- owned by the lane -------------------------------------------------------------------------------
    private Placement current = Placement.NONE;
    private final HealthBook health = new HealthBook();
    private final Map<FlowKey, FlowSlot> flowSlots = new LinkedHashMap<>();
    private final Map<Binding, BindingSlot> bindings = new LinkedHashMap<>();
    private final List<SubSlot> subscriptions = new ArrayList<>();
    private Set<ServerRef> probes = Set.of();
    /** The shared probes this line watches: one per address its policy wants probed. */
    private final Map<ServerProbes.Key, Cancellable> probeWatches = new HashMap<>();
    /** The servers' addresses with the line's transport, for {@link #addressesOf}. */
    private final Map<ServerRef, ServerAddress> addresses = new HashMap<>();
    private LineConfig addressesOf;
    private Cancellable reconsider;
    /** When {@link #reconsider} runs, as the last decision asked; null for none. */
    private Instant reconsiderAt;
    private Cancellable dnsTimer;
    private ServerAddress dnsWatched;
    private boolean wasRegistered;
    /** The placement the last REGISTERED event announced. */
    private Placement registeredPlacement = Placement.NONE;
    private boolean started;
    private boolean closed;
    private final ArrayDeque<LineTransition> history = new ArrayDeque<>();

    // ---- snapshots for readers -----------------------------------------------------------------------------
    private volatile Placement placementView = Placement.NONE;
    private volatile Set<Binding> liveView = Set.of();
    private volatile Map<ServerRef, ServerHealth> healthView = Map.of();
    private volatile List<LineTransition> transitionsView = List.of();

    /**
     * @param config the line's configuration
     * @param flows the flow manager
     * @param lane a serial scheduler: tasks never run concurrently
     * @param store where the placement is kept across restarts
     * @param events where transition, registration and health events go
     */
    public LineRuntime(LineConfig config, FlowManager flows, Scheduler lane, PlacementStore store, EventSink events) {
        this(config, flows, () -> null, lane, store, events);
    }

    /**
     * @param resolver the current resolver, read when the line looks its server up again for {@code dns-ttl}
     *     failback; may give {@code null}
     */
    public LineRuntime(LineConfig config, FlowManager flows,
            java.util.function.Supplier<org.sipfailover.api.dns.ServerResolver> resolver, Scheduler lane,
            PlacementStore store, EventSink events) {
        this(config, flows, resolver, lane, store, events, new ServerProbes(lane));
    }

    /**
     * @param serverProbes the OPTIONS probes this line shares with others (a line of its own probes alone)
     */
    public LineRuntime(LineConfig config, FlowManager flows,
            java.util.function.Supplier<org.sipfailover.api.dns.ServerResolver> resolver, Scheduler lane,
            PlacementStore store, EventSink events, ServerProbes serverProbes) {
        this.serverProbes = Objects.requireNonNull(serverProbes, "serverProbes");
        this.config = Objects.requireNonNull(config, "config");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.flows = Objects.requireNonNull(flows, "flows");
        this.lane = Objects.requireNonNull(lane, "lane");
        this.store = Objects.requireNonNull(store, "store");
        this.events = Objects.requireNonNull(events, "events");
    }

    // ---- the host's side ------------------------------------------------------------------------------------

    /** Starts the line with a policy (or none yet: it waits for one, registering nothing). */
    public void start(FailoverPolicy initialPolicy) {
        onLane(() -> {
            policy = initialPolicy;
            started = true;
            Placement saved = store.load(config.id());
            current = usable(saved) ? saved : Placement.NONE;
            if (!current.isNone()) {
                LOG.info("line {}: starting from its saved placement {}", config.id(), current);
            }
            if (initialPolicy == null) {
                LOG.info("line {}: no failover policy named '{}' yet; waiting for one", config.id(), config.policy());
                publish();
                return;
            }
            if (validates(initialPolicy)) {
                decide(Trigger.START, null);
            }
        });
    }

    /**
     * Hands the line another policy (or none). The new one gets the current placement and health with
     * {@link Trigger#POLICY_SWAPPED}: nothing is re-registered unless it decides on another placement.
     */
    public void swapPolicy(FailoverPolicy next) {
        onLane(() -> {
            FailoverPolicy before = policy;
            policy = next;
            if (next == null || !started || closed) {
                if (next == null && before != null) {
                    LOG.warn("line {}: policy {} is gone; the line keeps its bindings until another comes",
                            config.id(), before.name());
                }
                publish();
                return;
            }
            if (!validates(next)) {
                return;
            }
            LOG.info("line {}: policy {} replaces {}", config.id(), next.name(), before == null ? "none" : before.name());
            decide(before == null && current.isNone() ? Trigger.START : Trigger.POLICY_SWAPPED, null);
        });
    }

    /**
     * Applies a configuration change that keeps the line's servers, user and transport (timers, policy,
     * failback): the policy is asked again with {@link Trigger#CONFIG_CHANGED}.
     */
    public void reconfigure(LineConfig next) {
        onLane(() -> {
            config = next;
            if (policy != null && started && !closed && validates(policy)) {
                decide(Trigger.CONFIG_CHANGED, null);
            }
        });
    }

    /** Whether a new configuration can be applied in place (the same servers, user, credentials, transport). */
    static boolean appliesInPlace(LineConfig a, LineConfig b) {
        return a.id().equals(b.id()) && a.user().equals(b.user()) && a.servers().equals(b.servers())
                && a.transport().equals(b.transport()) && a.credentials().equals(b.credentials())
                && a.sipOutbound() == b.sipOutbound() && a.subscriptions().equals(b.subscriptions())
                && a.persistentTls() == b.persistentTls() && a.symmetricUdp() == b.symmetricUdp();
    }

    @Override
    public void forceFailover() {
        force(Trigger.FORCED_FAILOVER);
    }

    @Override
    public void forceFailback() {
        force(Trigger.FORCED_FAILBACK);
    }

    /**
     * Whether two configurations give the same flows and registrations: the settings a flow or a registration
     * takes when it is opened (keep-alive, pong deadline, transaction time-out, recovery back-off, registration period and renewal,
     * display name), which a running one does not change.
     */
    static boolean sameFlowSettings(LineConfig a, LineConfig b) {
        return a.keepAliveInterval().equals(b.keepAliveInterval()) && a.pongTimeout().equals(b.pongTimeout())
                && a.transactionTimeout().equals(b.transactionTimeout())
                && a.recoveryBaseAllFailed().equals(b.recoveryBaseAllFailed())
                && a.recoveryBaseSomeOk().equals(b.recoveryBaseSomeOk()) && a.recoveryMax().equals(b.recoveryMax())
                && a.registrationPeriod().equals(b.registrationPeriod())
                && a.registrationRenewal().equals(b.registrationRenewal())
                && a.displayName().equals(b.displayName());
    }

    /** An operator's drill: {@link Trigger#FORCED_FAILOVER} or {@link Trigger#FORCED_FAILBACK}. */
    public void force(Trigger trigger) {
        onLane(() -> {
            if (policy != null && started && !closed) {
                decide(trigger, null);
            }
        });
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
        boolean unregister = ending.unregister;
        CompletableFuture<Void> done = new CompletableFuture<>();
        lane.execute(() -> {
            try {
                if (closed) {
                    done.complete(null);
                    return;
                }
                closed = true;
                cancel(reconsider);
                cancel(dnsTimer);
                probeWatches.values().forEach(LineRuntime::cancel);
                probeWatches.clear();
                List<CompletableFuture<Void>> removals = new ArrayList<>();
                if (unregister) {
                    for (SubSlot s : subscriptions) {
                        if (s.subscription != null) {
                            removals.add(s.subscription.unsubscribe().toCompletableFuture());
                        }
                    }
                    for (BindingSlot b : bindings.values()) {
                        removals.add(b.registration.unregister().toCompletableFuture());
                    }
                }
                if (ending.forget) {
                    store.delete(config.id());
                }
                List<Flow> open = flowSlots.values().stream().map(f -> f.flow).filter(Objects::nonNull).toList();
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
        return config.id();
    }

    @Override
    public LineConfig config() {
        return config;
    }

    @Override
    public Placement placement() {
        return placementView;
    }

    @Override
    public Set<Binding> liveBindings() {
        return liveView;
    }

    @Override
    public String policyName() {
        FailoverPolicy p = policy;
        return p == null ? "none (waiting for " + config.policy() + ")" : p.name();
    }

    @Override
    public Map<ServerRef, ServerHealth> health() {
        return healthView;
    }

    @Override
    public List<LineTransition> transitions() {
        return transitionsView;
    }

    @Override
    public void setCallInProgress(boolean inProgress) {
        onLane(() -> {
            boolean was = callInProgress;
            callInProgress = inProgress;
            if (was && !inProgress && policy != null && started && !closed) {
                decide(Trigger.IDLE, null);
            }
        });
    }

    // ---- deciding ---------------------------------------------------------------------------------------------

    private boolean validates(FailoverPolicy p) {
        try {
            p.validate(config);
            return true;
        } catch (IllegalArgumentException e) {
            LOG.error("line {}: refused by policy {}: {}", config.id(), p.name(), e.getMessage());
            return false;
        }
    }

    private void decide(Trigger trigger, HealthObservation observation) {
        decide(trigger, observation, true);
    }

    /**
     * @param changedSomething false for an observation that changed no server's health: when the policy then
     *     decides as before, there is nothing to reconcile (ten thousand lines hear every shared probe answer)
     */
    private void decide(Trigger trigger, HealthObservation observation, boolean changedSomething) {
        FailoverPolicy p = policy;
        if (p == null || closed) {
            publish();
            return;
        }
        Decision d;
        try {
            d = p.decide(new PolicyInput(config, current, live(), health.snapshot(), lane.now(), trigger, observation,
                    callInProgress));
        } catch (RuntimeException e) {
            // a policy bug must not take the line down: it keeps what it has
            LOG.error("line {}: policy {} failed to decide on {}: {}", config.id(), p.name(), trigger, e.toString(), e);
            publish();
            return;
        }
        if (!usable(d.desired())) {
            LOG.error("line {}: policy {} chose {}, which needs a server the line does not have; ignored",
                    config.id(), p.name(), d.desired());
            publish();
            return;
        }
        if (!changedSomething && trigger == Trigger.OBSERVATION && d.desired().equals(current)
                && d.probes().equals(probes) && Objects.equals(d.reconsiderAt(), reconsiderAt)
                && (reconsiderAt == null || reconsiderAt.isAfter(lane.now()))) {
            healthView = health.snapshot();
            return;
        }
        if (!d.desired().equals(current)) {
            Placement from = current;
            current = d.desired();
            LineTransition t = new LineTransition(lane.now(), config.id(), from, current, p.name(), d.reason());
            history.addLast(t);
            while (history.size() > TRANSITION_HISTORY) {
                history.removeFirst();
            }
            LOG.info("line {}: {} -> {} ({}, {})", config.id(), from, current, p.name(), d.reason());
            store.save(config.id(), current);
            publish(); // before the event: a handler that asks the line sees the new placement
            post(LineEvents.TOPIC_TRANSITION, Map.of(LineEvents.FROM, from.toString(), LineEvents.TO,
                    current.toString(), LineEvents.CAUSE, d.reason(), LineEvents.POLICY, p.name()));
        }
        probes = d.probes();
        cancel(reconsider);
        reconsider = null;
        reconsiderAt = d.reconsiderAt();
        if (d.reconsiderAt() != null) {
            Duration wait = Duration.between(lane.now(), d.reconsiderAt());
            reconsider = lane.schedule(() -> {
                if (!closed) {
                    decide(Trigger.TIMER, null);
                }
            }, wait.isNegative() ? Duration.ZERO : wait);
        }
        reconcile();
    }

    /** Whether every server a placement names is configured for this line. */
    private boolean usable(Placement p) {
        for (Binding b : p.bindings()) {
            if (config.server(ServerRole.PROXY, b.proxy()).isEmpty()
                    || (b.outboundProxy() != null && config.server(ServerRole.OUTBOUND_PROXY, b.outboundProxy()).isEmpty())
                    || config.server(registrarRef(b.registrar())).isEmpty()) {
                return false;
            }
            if (b.regId() == 0 && config.sipOutbound() || b.regId() != 0 && !config.sipOutbound()) {
                return false;
            }
        }
        return true;
    }

    // ---- observations -----------------------------------------------------------------------------------------

    private void onFlowEvent(FlowSlot slot, FlowEvent e) {
        if (closed || flowSlots.get(slot.key) != slot) {
            return;
        }
        Instant at = lane.now();
        switch (e.kind()) {
            case UP -> observeAll(slot, HealthObservation.success(slot.server, at, HealthObservation.Source.FLOW,
                    "flow up: " + e.detail()), Trigger.OBSERVATION);
            case FAILED -> observeAll(slot, new HealthObservation(slot.server, at, HealthObservation.Source.FLOW,
                    e.cause() == null ? FailureCause.CONNECTION_RESET : e.cause(), e.retryAfter(), e.detail()),
                    Trigger.OBSERVATION);
            case REGISTERED -> {
                observeAll(slot, HealthObservation.success(slot.server, at, HealthObservation.Source.TRANSACTION,
                        "registered " + e.detail()), null);
                decide(Trigger.REGISTRATION, null);
            }
            case REGISTRATION_FAILED -> {
                if (e.cause() != FailureCause.FIRST_HOP_LACKS_OUTBOUND) {
                    // the registrar refused or did not answer: its failure, not the outbound proxy's in front of
                    // it (a dead first hop shows in the flow's own FAILED event)
                    Set<ServerAddress> registrars = new LinkedHashSet<>();
                    for (BindingSlot b : bindings.values()) {
                        if (b.flow == slot) {
                            registrars.add(address(registrarRef(b.binding.registrar())));
                        }
                    }
                    if (registrars.isEmpty()) {
                        registrars.add(slot.key.address());
                    }
                    for (ServerAddress a : registrars) {
                        observeAt(a, new HealthObservation(slot.server, at, HealthObservation.Source.TRANSACTION,
                                e.cause() == null ? FailureCause.REJECTED : e.cause(), e.retryAfter(), e.detail()),
                                null);
                    }
                }
                decide(Trigger.REGISTRATION, null);
            }
            default -> reconcile();
        }
    }

    /**
     * Records an observation for every configured server at the flow's address (one Kamailio is often the
     * proxy and the registrar), then, with a trigger, asks the policy once per server whose state changed.
     */
    private void observeAll(FlowSlot slot, HealthObservation o, Trigger trigger) {
        observeAt(slot.key.address(), o, trigger);
    }

    private void observeAt(ServerAddress address, HealthObservation o, Trigger trigger) {
        List<HealthObservation> changed = new ArrayList<>();
        boolean anyChanged = false;
        for (ServerRef ref : refsAt(address)) {
            HealthObservation mine = new HealthObservation(ref, o.at(), o.source(), o.cause(), o.retryAfter(), o.detail());
            ServerHealth h = health.observe(ref, mine);
            if (h != null) {
                anyChanged = true;
                // DEBUG: a dead server turns every line's health of it at once, thousands of lines in a burst;
                // the transition that follows says why at INFO, and the HEALTH event carries it
                LOG.debug("line {}: {} is {} ({})", config.id(), ref, h.state(), o.detail());
                post(LineEvents.TOPIC_HEALTH, Map.of(LineEvents.SERVER, ref.toString(), LineEvents.HEALTH,
                        h.state().name(), LineEvents.CAUSE, String.valueOf(o.isSuccess() ? "up: " + o.detail()
                                : o.cause() + ": " + o.detail())));
            }
            changed.add(mine);
        }
        if (trigger != null) {
            if (changed.isEmpty()) {
                reconcile();
            }
            for (HealthObservation c : changed) {
                decide(trigger, c, anyChanged);
            }
        }
    }

    // ---- reconciling ------------------------------------------------------------------------------------------

    private void reconcile() {
        if (closed) {
            return;
        }
        for (Binding b : current.bindings()) {
            if (!bindings.containsKey(b)) {
                startBinding(b);
            }
        }
        Set<Binding> live = live();
        boolean allLive = !current.isNone() && live.containsAll(current.bindings());
        for (BindingSlot old : List.copyOf(bindings.values())) {
            if (!current.bindings().contains(old.binding)
                    && (allLive || current.isNone() || !old.registration.isRegistered())) {
                retire(old);
            }
        }
        reconcileSubscriptions(live);
        reconcileProbes();
        watchDns();
        closeIdleFlows();
        // the views first: whoever hears the event below and asks the line sees what the event says
        publish();
        boolean registered = allLive;
        if (registered != wasRegistered) {
            wasRegistered = registered;
            if (registered) {
                registeredPlacement = current;
                post(LineEvents.TOPIC_REGISTERED, Map.of(LineEvents.TO, current.toString()));
            } else if (current.equals(registeredPlacement)) {
                post(LineEvents.TOPIC_UNREGISTERED, Map.of(LineEvents.CAUSE, "not every binding of " + current
                        + " is registered"));
            }
            // else the placement changed: a TRANSITION event said so, and the old bindings stay until the new
            // ones are registered
        }
    }

    private Set<Binding> live() {
        Set<Binding> live = new LinkedHashSet<>();
        for (Binding b : current.bindings()) {
            BindingSlot s = bindings.get(b);
            if (s != null && s.registration.isRegistered()) {
                live.add(b);
            }
        }
        return live;
    }

    private void startBinding(Binding b) {
        FlowSlot slot = flowFor(firstHop(b), b.regId());
        if (slot == null) {
            return;
        }
        String aor = config.aor(b.proxy());
        RegisterRequest request = new RegisterRequest(aor, address(registrarRef(b.registrar())),
                config.credentials().orElse(null), config.registrationPeriod(), config.registrationRenewal(),
                config.displayName().orElse(null));
        LOG.debug("line {}: registering {} over {}", config.id(), b, slot.key);
        bindings.put(b, new BindingSlot(b, slot, slot.flow.register(request), aor));
    }

    private void retire(BindingSlot old) {
        bindings.remove(old.binding);
        ServerAddress registrar = address(registrarRef(old.binding.registrar()));
        boolean replaced = bindings.values().stream().anyMatch(
                o -> o.aor.equals(old.aor) && address(registrarRef(o.binding.registrar())).equals(registrar));
        if (replaced) {
            // the same AOR at the same registrar through another first hop: the registrar matches our Contact by
            // instance-id and reg-id (by address without outbound), so an unregister would remove the new
            // binding too. The old flow goes; its binding was replaced.
            LOG.debug("line {}: {} replaced at the registrar; closing its flow", config.id(), old.binding);
            closeFlow(old.flow);
            return;
        }
        LOG.debug("line {}: unregistering {}", config.id(), old.binding);
        old.flow.pendingRemovals++;
        old.registration.unregister().whenComplete((v, e) -> onLane(() -> {
            old.flow.pendingRemovals--;
            closeIdleFlows();
        }));
    }

    private void reconcileSubscriptions(Set<Binding> live) {
        Optional<Binding> active = current.activeBinding();
        if (active.isEmpty()) {
            for (SubSlot s : List.copyOf(subscriptions)) {
                end(s);
            }
            return;
        }
        Binding a = active.get();
        ServerRef hop = a.outboundProxy() != null ? ServerRef.of(ServerRole.OUTBOUND_PROXY, a.outboundProxy())
                : ServerRef.of(ServerRole.PROXY, a.proxy());
        FlowKey key = new FlowKey(address(hop), a.regId());
        String subscriber = config.aor(a.proxy());
        for (SubscriptionConfig c : config.subscriptions()) {
            SubSlot existing = null;
            for (SubSlot s : subscriptions) {
                if (!s.ending && s.config.equals(c)) {
                    existing = s;
                }
            }
            if (existing != null && existing.flow.key.equals(key) && existing.subscriber.equals(subscriber)
                    && flowSlots.get(key) == existing.flow) {
                continue;
            }
            // the subscriptions follow the registration: they move once the active binding is registered, so
            // that the notifier's NOTIFYs find the line where it is registered
            if (!live.contains(a)) {
                continue;
            }
            FlowSlot slot = flowFor(hop, a.regId());
            if (slot == null) {
                continue;
            }
            SubSlot s = new SubSlot(c, slot, subscriber);
            s.subscription = slot.flow.subscribe(new SubscribeRequest(c.kind().eventPackage(),
                    resource(c.target(), subscriber), subscriber, config.credentials().orElse(null), c.period()), s);
            subscriptions.add(s);
            LOG.info("line {}: subscribed to {} ({}) over {}", config.id(), c.target(), c.kind(), key);
            if (existing != null) {
                end(existing);
            }
        }
        for (SubSlot s : List.copyOf(subscriptions)) {
            if (!s.ending && !config.subscriptions().contains(s.config)) {
                end(s);
            }
        }
    }

    /**
     * The URI a subscription's target stands for. A target with a scheme ({@code sip:bob@example.test}) is one
     * already; {@code bob@example.test} gets {@code sip:}; a bare user or number ({@code 1002}, as the vendor files
     * give them) is at the domain of the active proxy, the host of the subscriber's AOR ({@link SubscriptionConfig}).
     */
    static String resource(String target, String subscriberAor) {
        String t = target.strip();
        if (t.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return t;
        }
        if (t.indexOf('@') >= 0) {
            return "sip:" + t;
        }
        return "sip:" + t + "@" + subscriberAor.substring(subscriberAor.indexOf('@') + 1);
    }

    private void end(SubSlot s) {
        if (s.ending) {
            return;
        }
        s.ending = true;
        s.subscription.unsubscribe().whenComplete((v, e) -> onLane(() -> {
            subscriptions.remove(s);
            closeIdleFlows();
        }));
    }

    /** Watches the shared probe of each address the policy wants probed, and stops watching the others. */
    private void reconcileProbes() {
        Map<ServerProbes.Key, ServerRef> wanted = new HashMap<>();
        for (ServerRef ref : probes) {
            if (config.server(ref).isPresent()) {
                wanted.putIfAbsent(ServerProbes.Key.of(flows, config, address(ref)), ref);
            }
        }
        for (Iterator<Map.Entry<ServerProbes.Key, Cancellable>> it = probeWatches.entrySet().iterator(); it.hasNext();) {
            Map.Entry<ServerProbes.Key, Cancellable> e = it.next();
            if (!wanted.containsKey(e.getKey())) {
                cancel(e.getValue());
                it.remove();
            }
        }
        for (Map.Entry<ServerProbes.Key, ServerRef> e : wanted.entrySet()) {
            ServerProbes.Key key = e.getKey();
            if (!probeWatches.containsKey(key)) {
                // what it hears comes through the lane, after this line has noted the watch
                probeWatches.put(key, serverProbes.watch(key, e.getValue(),
                        (o, late) -> onLane(() -> heard(key, o, late))));
            }
        }
    }

    /** What the shared probe of a watched address saw: an observation of every server of the line there. */
    private void heard(ServerProbes.Key key, HealthObservation o, boolean late) {
        if (closed || !probeWatches.containsKey(key)) {
            return;
        }
        if (late) {
            // over UDP a registrar that restarted inside one retransmission window answers in the end, with an
            // empty table: the bindings there are sent again rather than trusted until their refresh
            for (BindingSlot b : bindings.values()) {
                if (b.registration.isRegistered() && (b.flow.key.address().equals(key.address())
                        || address(registrarRef(b.binding.registrar())).equals(key.address()))) {
                    LOG.info("line {}: {} ({}); sending its REGISTER again", config.id(), key.address(), o.detail());
                    b.registration.refresh();
                }
            }
        }
        observeAt(key.address(), o, Trigger.OBSERVATION);
    }

    /**
     * {@code dns-ttl} failback: the server in use is looked up, and when the TTL of that answer ends the line
     * reports a DNS observation of it, the occasion on which the policy may return to the primary. A server
     * given as an IP literal has no TTL to end.
     */
    private void watchDns() {
        Optional<Binding> active = current.activeBinding();
        ServerAddress inUse = active.map(b -> address(firstHop(b))).orElse(null);
        if (config.failbackMode() != org.sipfailover.api.config.FailbackMode.DNS_TTL || inUse == null
                || inUse.isIpLiteral()) {
            cancel(dnsTimer);
            dnsTimer = null;
            dnsWatched = null;
            return;
        }
        if (inUse.equals(dnsWatched)) {
            return;
        }
        cancel(dnsTimer);
        dnsTimer = null;
        dnsWatched = inUse;
        org.sipfailover.api.dns.ServerResolver r = resolver.get();
        if (r == null) {
            return;
        }
        ServerRef server = firstHop(active.get());
        r.resolveAsync(inUse).whenComplete((res, err) -> onLane(() -> {
            if (closed || !inUse.equals(dnsWatched) || res == null || res.expiry() == null) {
                return;
            }
            Duration wait = Duration.between(lane.now(), res.expiry());
            if (wait.compareTo(Duration.ofDays(1)) > 0) {
                return; // no TTL worth waiting for
            }
            dnsTimer = lane.schedule(() -> {
                if (closed || !inUse.equals(dnsWatched)) {
                    return;
                }
                dnsWatched = null; // looked up again at the next reconcile, for the next TTL
                observeAt(inUse, HealthObservation.success(server, lane.now(), HealthObservation.Source.DNS,
                        "the DNS TTL of " + inUse + " ended"), Trigger.OBSERVATION);
            }, wait.isNegative() ? Duration.ZERO : wait);
        }));
    }

    private FlowSlot flowFor(ServerRef server, int regId) {
        FlowKey key = new FlowKey(address(server), regId);
        FlowSlot slot = flowSlots.get(key);
        if (slot != null) {
            return slot;
        }
        FlowSlot created = new FlowSlot(key, server);
        try {
            FlowSpec spec = FlowSpec.forLine(config, server, regId).outbound(regId != 0).build();
            created.flow = flows.open(spec, e -> onLane(() -> onFlowEvent(created, e)));
        } catch (IllegalArgumentException e) {
            LOG.error("line {}: cannot open a flow to {}: {}", config.id(), server, e.getMessage());
            return null;
        }
        flowSlots.put(key, created);
        return created;
    }

    /** Closes a flow and forgets what it carried; the next reconcile makes again what is still wanted. */
    private void closeFlow(FlowSlot slot) {
        flowSlots.remove(slot.key);
        bindings.values().removeIf(b -> b.flow == slot);
        subscriptions.removeIf(s -> s.flow == slot);
        if (slot.flow != null) {
            slot.flow.close();
        }
    }

    private void closeIdleFlows() {
        if (closed) {
            return;
        }
        Set<FlowSlot> used = new HashSet<>();
        bindings.values().forEach(b -> used.add(b.flow));
        subscriptions.forEach(s -> used.add(s.flow));
        for (FlowSlot s : List.copyOf(flowSlots.values())) {
            if (!used.contains(s) && s.pendingRemovals == 0) {
                LOG.debug("line {}: closing the idle flow {}", config.id(), s.key);
                closeFlow(s);
            }
        }
    }

    // ---- servers ---------------------------------------------------------------------------------------------

    /** A binding's first hop: its outbound proxy if it has one, else its registrar. */
    private ServerRef firstHop(Binding b) {
        return b.outboundProxy() != null ? ServerRef.of(ServerRole.OUTBOUND_PROXY, b.outboundProxy())
                : registrarRef(b.registrar());
    }

    /** The registrar of a rank; a line with no registrar configured registers at its proxy. */
    private ServerRef registrarRef(Rank rank) {
        ServerRef r = ServerRef.of(ServerRole.REGISTRAR, rank);
        return config.server(r).isPresent() ? r : ServerRef.of(ServerRole.PROXY, rank);
    }

    /** A configured server's address with the line's transport when the address names none. */
    private ServerAddress address(ServerRef ref) {
        LineConfig c = config;
        if (c != addressesOf) {
            // kept per configuration: every observation asks for every server's address, and making one
            // validates its host again (ten thousand lines hear each probe answer)
            addresses.clear();
            addressesOf = c;
        }
        ServerAddress cached = addresses.get(ref);
        if (cached != null) {
            return cached;
        }
        ServerAddress a = c.server(ref).orElseThrow(() -> new IllegalStateException("line " + c.id()
                + ": " + ref + " is not configured"));
        a = a.transport() == null && c.transport().isPresent() ? a.withTransport(c.transport().get()) : a;
        addresses.put(ref, a);
        return a;
    }

    private List<ServerRef> refsAt(ServerAddress a) {
        List<ServerRef> out = new ArrayList<>();
        for (ServerRef ref : config.servers().keySet()) {
            if (address(ref).equals(a)) {
                out.add(ref);
            }
        }
        return out;
    }

    // ---- plumbing --------------------------------------------------------------------------------------------

    private void onLane(Runnable r) {
        try {
            lane.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.error("line {}: {}", config.id(), e.toString(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the lines bundle is stopping: a late flow event or probe answer has nowhere to go, and needs none
            LOG.debug("line {}: dropped work after the lane stopped", config.id());
        }
    }

    private void publish() {
        placementView = current;
        liveView = Set.copyOf(live());
        healthView = health.snapshot();
        transitionsView = List.copyOf(history);
    }

    private void post(String topic, Map<String, Object> properties) {
        Map<String, Object> p = new HashMap<>(properties);
        p.put(LineEvents.LINE_ID, config.id());
        p.put(LineEvents.TIMESTAMP, lane.now().toEpochMilli());
        try {
            events.post(topic, p);
        } catch (RuntimeException e) {
            LOG.debug("line {}: could not post {}: {}", config.id(), topic, e.toString());
        }
    }

    private static void cancel(Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    @Override
    public String toString() {
        return "Line[" + config.id() + " " + placementView + "]";
    }
}
