package org.sipfailover.outbound.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowListener;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.flow.KeepAliveState;
import org.sipfailover.api.flow.ProbeResult;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.flow.SubscribeRequest;
import org.sipfailover.api.flow.Subscription;
import org.sipfailover.api.flow.SubscriptionListener;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.time.Cancellable;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One flow (RFC 5626 §3): a connection to one target of a server, kept alive, watched, and recovered in
 * the background (§4.5) on a fresh connection, walking to the server's next target first. Registrations
 * and subscriptions kept over the flow are sent again after each recovery, with the same reg-id.
 *
 * <p>State changes happen under the flow's lock; listener events are delivered on the scheduler's thread,
 * in order. Callbacks from a connection the flow has already given up (an older "generation") are ignored.
 */
final class FlowImpl implements Flow {

    private static final Logger LOG = LoggerFactory.getLogger(FlowImpl.class);

    private final FlowSpec spec;
    private final FlowListener listener;
    private final FlowContext ctx;
    private final RecoveryBackoff backoff;
    private final List<RegistrationImpl> registrations = new CopyOnWriteArrayList<>();
    private final List<SubscriptionImpl> subscriptions = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong keepAlivesAnswered = new java.util.concurrent.atomic.AtomicLong();
    /**
     * What {@link #keepAlive()} shows, replaced whole: operators read it without the flow's lock, and pongs
     * land in it from the stack's I/O threads.
     */
    private final AtomicReference<KeepAliveView> keepAliveView;

    // guarded by this
    private volatile FlowState state = FlowState.CONNECTING;
    private List<ResolvedTarget> targets = List.of();
    private int targetIndex;
    private ResolvedTarget target;
    private long generation;
    private volatile int consecutiveFailures;
    private boolean outbound;
    private Duration flowTimer;
    private Cancellable keepAliveTask;
    /** One deadline per ping in flight: with short intervals a ping may leave before the last one is due. */
    private final java.util.Set<Cancellable> pongDeadlines = new java.util.HashSet<>();
    private Cancellable recoveryTask;
    /** The remote this flow asked a persistent TLS connection to, until it gives the wish back. */
    private InetSocketAddress persistentTlsHeld;

    /**
     * The keep-alive of one connection (generation) of the flow.
     *
     * @param peer the connection's remote end, for matching data that arrives on it; null before the first
     * @param awaitingPong whether a ping is out that nothing has answered yet
     */
    private record KeepAliveView(long gen, InetSocketAddress peer, KeepAliveState state, boolean awaitingPong) {

        KeepAliveView running(KeepAliveState.Method method, Duration interval) {
            return new KeepAliveView(gen, peer, new KeepAliveState(method, interval, state.lastPing(),
                    state.lastPong()), awaitingPong);
        }

        KeepAliveView pinged(java.time.Instant at) {
            return new KeepAliveView(gen, peer, new KeepAliveState(state.method(), state.interval(),
                    Optional.of(at), state.lastPong()), true);
        }

        KeepAliveView ponged(java.time.Instant at) {
            return new KeepAliveView(gen, peer, new KeepAliveState(state.method(), state.interval(),
                    state.lastPing(), Optional.of(at)), false);
        }
    }

    /** What a flow needs from its manager. */
    interface FlowContext {
        SipEndpoint endpoint();

        org.sipfailover.jainsip.TransportHooks hooks();

        Scheduler scheduler();

        /** How long a request waits for its final answer when the flow's spec names no time-out. */
        Duration transactionTimeout();

        RandomGenerator random();

        Supplier<ServerResolver> resolver();

        String instanceId();

        String userAgent();

        StunKeepAlive stun();

        void keepAliveAnswered();

        /** Whether every other flow of the manager has failed too (RFC 5626 §4.5 base-time choice). */
        boolean allOtherFlowsFailed(FlowImpl self);

        void watch(FlowImpl flow, InetSocketAddress peer);

        void unwatch(FlowImpl flow, InetSocketAddress peer);

        /**
         * A flow's pong deadline passed with nothing read from {@code peer} since the shared ping whose read
         * count was {@code before}: the other flows over that connection whose own pong deadline that silence
         * already covers have failed too.
         */
        void connectionSilent(FlowImpl flow, InetSocketAddress peer, long before);

        /** The flow has sent a CRLF ping to {@code peer}: the next data from it is the pong ({@link #received}). */
        void awaitPong(FlowImpl flow, InetSocketAddress peer);

        /**
         * A CRLF ping over the connection to {@code peer}, shared by the flows over it: one sent less than
         * {@code window} ago stands for this one (thousands of flows share one connection to a server).
         *
         * @return the count of reads from {@code peer} before that ping: data read after it is its pong
         * @throws IOException if the ping could not be sent
         */
        long ping(Transport transport, InetSocketAddress peer, Duration window) throws IOException;

        void closed(FlowImpl flow);
    }

    FlowImpl(FlowSpec spec, FlowListener listener, FlowContext ctx) {
        this.spec = spec;
        this.listener = listener;
        this.ctx = ctx;
        this.outbound = spec.outbound();
        this.backoff = new RecoveryBackoff(spec.recoveryBaseAllFailed(), spec.recoveryBaseSomeOk(), spec.recoveryMax());
        this.keepAliveView = new AtomicReference<>(new KeepAliveView(0, null, new KeepAliveState(
                KeepAliveState.Method.NONE, spec.keepAliveInterval(), Optional.empty(), Optional.empty()), false));
    }

    void start() {
        ctx.scheduler().execute(this::connect);
    }

    @Override
    public FlowSpec spec() {
        return spec;
    }

    @Override
    public synchronized FlowState state() {
        return state;
    }

    @Override
    public synchronized Optional<ResolvedTarget> target() {
        return Optional.ofNullable(target);
    }

    @Override
    public synchronized Duration keepAliveInterval() {
        return flowTimer != null ? flowTimer : spec.keepAliveInterval();
    }

    /** Lock-free: a snapshot kept up to date by the flow's transitions, pings and pongs. */
    @Override
    public KeepAliveState keepAlive() {
        return keepAliveView.get().state();
    }

    synchronized boolean outbound() {
        return outbound;
    }

    synchronized long generation() {
        return generation;
    }

    /** The target in use for a generation, or {@code null} when that generation is over. */
    synchronized ResolvedTarget targetOf(long gen) {
        return gen == generation && state != FlowState.CLOSED && state != FlowState.RECOVERING ? target : null;
    }

    FlowContext ctx() {
        return ctx;
    }

    /**
     * Where this flow's requests to {@code t} leave from: for UDP with symmetric signalling the symmetric
     * port (opened on first need), else the transport's listening point.
     *
     * @throws javax.sip.SipException if the symmetric UDP port cannot be opened
     */
    SipEndpoint.Local local(ResolvedTarget t) throws javax.sip.SipException {
        return ctx.endpoint().local(t.transport(), spec.symmetricUdp());
    }

    /**
     * Sends a request to {@code t} in a new client transaction, bounded by this flow's transaction time-out
     * (the line's, else the flow manager's).
     */
    void send(ResolvedTarget t, javax.sip.message.Request request, SipEndpoint.TransactionHandler handler)
            throws javax.sip.SipException {
        ctx.endpoint().send(local(t), request, handler, transactionTimeout(), ctx.scheduler());
    }

    /** Sends a client transaction made elsewhere (the answer to a challenge), bounded as {@link #send} is. */
    void start(javax.sip.ClientTransaction ct, SipEndpoint.TransactionHandler handler) throws javax.sip.SipException {
        ctx.endpoint().start(ct, handler, transactionTimeout(), ctx.scheduler());
    }

    private Duration transactionTimeout() {
        return spec.transactionTimeout().orElseGet(ctx::transactionTimeout);
    }

    /** Gives back this flow's wish for a persistent TLS connection, if it holds one. */
    private void releasePersistentTls() {
        InetSocketAddress held;
        synchronized (this) {
            held = persistentTlsHeld;
            persistentTlsHeld = null;
        }
        if (held != null) {
            ctx.hooks().releasePersistentTls(held);
        }
    }

    /** Whether this flow's connection to {@code t} must come from the persistent TLS port. */
    private boolean persistentTls(ResolvedTarget t) {
        return spec.persistentTls() && t.transport() == Transport.TLS;
    }

    @Override
    public Registration register(RegisterRequest request) {
        RegistrationImpl r = new RegistrationImpl(this, request);
        long gen;
        synchronized (this) {
            // listed and checked in one step under the lock that useTarget() takes its list in: the REGISTER
            // leaves from here or from there, never from both (a duplicate, racing open(), upset 423 handling)
            registrations.add(r);
            gen = target != null && state != FlowState.RECOVERING ? generation : -1;
        }
        if (gen >= 0) {
            r.send(gen);
        }
        return r;
    }

    @Override
    public Subscription subscribe(SubscribeRequest request, SubscriptionListener subscriptionListener) {
        SubscriptionImpl s = new SubscriptionImpl(this, request, subscriptionListener);
        long gen;
        synchronized (this) {
            // as in register(): up() takes its list under this lock, so the SUBSCRIBE leaves once
            subscriptions.add(s);
            gen = target != null && state == FlowState.UP ? generation : -1;
        }
        if (gen >= 0) {
            s.send(gen);
        }
        return s;
    }

    void forget(RegistrationImpl r) {
        registrations.remove(r);
    }

    void forget(SubscriptionImpl s) {
        subscriptions.remove(s);
    }

    @Override
    public CompletionStage<ProbeResult> probe() {
        long gen;
        synchronized (this) {
            gen = target != null && state != FlowState.RECOVERING && state != FlowState.CLOSED ? generation : -1;
        }
        if (gen < 0) {
            return CompletableFuture.completedFuture(new ProbeResult(0, null, FailureCause.CONNECTION_REFUSED));
        }
        return Probe.send(this, gen);
    }

    @Override
    public void close() {
        InetSocketAddress peer;
        synchronized (this) {
            if (state == FlowState.CLOSED) {
                return;
            }
            state = FlowState.CLOSED;
            cancelTimers();
            peer = target != null ? target.socketAddress() : null;
            showKeepAlive(generation, KeepAliveState.Method.NONE, keepAliveInterval());
        }
        registrations.forEach(RegistrationImpl::stop);
        subscriptions.forEach(SubscriptionImpl::stop);
        if (peer != null) {
            ctx.unwatch(this, peer);
        }
        releasePersistentTls();
        ctx.closed(this);
        emit(FlowEvent.Kind.CLOSED, null, null, "closed by its owner");
    }

    // ---- connecting -------------------------------------------------------------------------------------

    private void connect() {
        synchronized (this) {
            if (state == FlowState.CLOSED) {
                return;
            }
            state = FlowState.CONNECTING;
        }
        ServerResolver resolver = ctx.resolver().get();
        if (resolver == null) {
            failed(-1, FailureCause.DNS_FAILURE, null, "no ServerResolver service");
            return;
        }
        resolver.resolveAsync(spec.address()).whenComplete((res, err) -> ctx.scheduler().execute(() -> resolved(res, err)));
    }

    private void resolved(Resolution res, Throwable err) {
        if (err != null || res == null || res.isEmpty()) {
            failed(-1, FailureCause.DNS_FAILURE, null, err != null ? err.toString()
                    : res == null ? "no resolution" : res.failure().orElse("no target"));
            return;
        }
        List<ResolvedTarget> usable = res.targets().stream()
                .filter(t -> ctx.endpoint().listeningPoint(t.transport()) != null).toList();
        if (usable.isEmpty()) {
            failed(-1, FailureCause.CONNECTION_REFUSED, null, "no target of " + spec.address()
                    + " uses a transport this stack offers " + ctx.endpoint().transports());
            return;
        }
        synchronized (this) {
            if (state == FlowState.CLOSED) {
                return;
            }
            targets = usable;
            targetIndex = 0;
        }
        useTarget();
    }

    private void useTarget() {
        long gen;
        ResolvedTarget t;
        List<RegistrationImpl> toRegister;
        synchronized (this) {
            if (state == FlowState.CLOSED) {
                return;
            }
            t = targets.get(targetIndex);
            target = t;
            gen = ++generation;
            state = FlowState.CONNECTING;
            toRegister = List.copyOf(registrations);
            // a new connection: the pings and pongs of the last one say nothing about it
            keepAliveView.set(new KeepAliveView(gen, t.socketAddress(), new KeepAliveState(KeepAliveState.Method.NONE,
                    keepAliveInterval(), Optional.empty(), Optional.empty()), false));
        }
        if (t.transport() == Transport.TLS) {
            ctx.hooks().expectTlsHost(t.socketAddress(), t.host());
        }
        if (persistentTls(t)) {
            // before the first request opens the connection: it is then made from the persistent TLS port
            releasePersistentTls();
            synchronized (this) {
                persistentTlsHeld = t.socketAddress();
            }
            ctx.hooks().holdPersistentTls(t.socketAddress());
        }
        ctx.watch(this, t.socketAddress());
        LOG.debug("flow {}: trying {}", this, t);
        try {
            local(t); // a symmetric UDP port is opened here, on first need
        } catch (javax.sip.SipException e) {
            failed(gen, FailureCause.CONNECTION_REFUSED, null, e.getMessage());
            return;
        }
        if (toRegister.isEmpty()) {
            // nothing to register: an OPTIONS request opens the connection and proves the server there
            Probe.send(this, gen).thenAccept(r -> {
                if (r.answered()) {
                    up(gen, null);
                } else {
                    failed(gen, r.cause(), null, "OPTIONS to " + t + " unanswered");
                }
            });
        } else {
            toRegister.forEach(r -> r.send(gen));
        }
    }

    // ---- called by registrations, probes and the manager --------------------------------------------------

    /** A registration over the flow succeeded: the flow is up, with the registrar's Flow-Timer if any. */
    void registered(long gen, RegistrationImpl r, Duration registrarFlowTimer) {
        up(gen, registrarFlowTimer);
        emit(FlowEvent.Kind.REGISTERED, null, null, r.request().aor());
    }

    void unregistered(RegistrationImpl r) {
        emit(FlowEvent.Kind.UNREGISTERED, null, null, r.request().aor());
    }

    /** A registration over the flow failed for a reason that does not condemn the flow itself. */
    void registrationFailed(RegistrationImpl r, FailureCause cause, String detail) {
        emit(FlowEvent.Kind.REGISTRATION_FAILED, cause, null, detail);
    }

    /** 439: the first hop does not do outbound; register again without it (RFC 5626 §4.2.1). */
    void firstHopLacksOutbound(long gen, String detail) {
        synchronized (this) {
            if (gen != generation || !outbound) {
                return;
            }
            outbound = false;
        }
        LOG.info("flow {}: {}; registering without SIP outbound", this, detail);
        emit(FlowEvent.Kind.REGISTRATION_FAILED, FailureCause.FIRST_HOP_LACKS_OUTBOUND, null, detail);
        registrations.forEach(r -> r.send(gen));
    }

    private void up(long gen, Duration registrarFlowTimer) {
        boolean becameUp;
        List<SubscriptionImpl> toSubscribe;
        synchronized (this) {
            if (gen != generation || state == FlowState.CLOSED || state == FlowState.RECOVERING) {
                return;
            }
            if (registrarFlowTimer != null) {
                flowTimer = registrarFlowTimer;
            }
            becameUp = state != FlowState.UP;
            state = FlowState.UP;
            consecutiveFailures = 0;
            if (becameUp) {
                scheduleKeepAlive(gen);
            }
            showKeepAlive(gen, keepAliveMethod(target), keepAliveInterval());
            toSubscribe = becameUp ? List.copyOf(subscriptions) : List.of();
        }
        if (becameUp) {
            emit(FlowEvent.Kind.UP, null, null, String.valueOf(targetOf(gen)));
            toSubscribe.forEach(s -> s.send(gen));
        }
    }

    /** The connection to {@code peer} ended (reset, closed, or failed to open). */
    void connectionLost(InetSocketAddress peer, IOException cause) {
        boolean refused = cause instanceof java.net.ConnectException;
        failedAt(peer, refused ? FailureCause.CONNECTION_REFUSED : FailureCause.CONNECTION_RESET,
                (cause == null ? "connection closed by " : "connection to ") + peer + (cause == null ? "" : ": " + cause));
    }

    /** The connection to {@code peer} stayed silent after a CRLF ping for at least this flow's pong deadline. */
    void connectionSilent(InetSocketAddress peer, String detail) {
        failedAt(peer, FailureCause.PONG_TIMEOUT, detail);
    }

    /**
     * What befell the connection to {@code peer} fails this flow if it is connected there. Thousands of flows
     * share a connection to a server: the manager logs it once, each flow at DEBUG.
     */
    private void failedAt(InetSocketAddress peer, FailureCause cause, String detail) {
        long gen;
        synchronized (this) {
            if (target == null || !target.socketAddress().equals(peer)) {
                return;
            }
            gen = generation;
        }
        failed(gen, cause, null, detail, false);
    }

    /**
     * The flow failed: tell the listener, drop the connection so that it is never reused, and schedule the
     * recovery: the next target of the server at once, else the whole server again after the §4.5 wait.
     *
     * @param gen the generation that failed, or -1 for "whatever is current"
     */
    void failed(long gen, FailureCause cause, Duration retryAfter, String detail) {
        failed(gen, cause, retryAfter, detail, true);
    }

    /** @param info whether to log the failure at INFO (else DEBUG: someone else logged its cause) */
    private void failed(long gen, FailureCause cause, Duration retryAfter, String detail, boolean info) {
        ResolvedTarget lost;
        Duration wait;
        // asked before taking this flow's lock: it takes the other flows' locks, and flows fail on I/O threads
        boolean othersFailed = ctx.allOtherFlowsFailed(this);
        synchronized (this) {
            if (state == FlowState.CLOSED || (gen >= 0 && gen != generation) || state == FlowState.RECOVERING) {
                return;
            }
            state = FlowState.RECOVERING;
            cancelTimers();
            lost = target;
            // the last ping and pong stay visible: they tell an operator why the flow failed
            showKeepAlive(generation, KeepAliveState.Method.NONE, keepAliveInterval());
            consecutiveFailures++;
            boolean transportTrouble = cause != FailureCause.SERVICE_UNAVAILABLE && cause != FailureCause.DNS_FAILURE
                    && cause != FailureCause.AUTHENTICATION_FAILED && cause != FailureCause.REJECTED;
            if (transportTrouble && targetIndex + 1 < targets.size()) {
                targetIndex++;
                wait = Duration.ZERO;
            } else {
                wait = backoff.next(consecutiveFailures, othersFailed, ctx.random());
                if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
                    wait = retryAfter;
                }
                targetIndex = -1;
            }
            boolean walk = targetIndex >= 0;
            Duration w = wait;
            recoveryTask = ctx.scheduler().schedule(() -> {
                if (walk) {
                    useTarget();
                } else {
                    connect();
                }
            }, w);
        }
        registrations.forEach(RegistrationImpl::flowLost);
        subscriptions.forEach(SubscriptionImpl::flowLost);
        releasePersistentTls();
        if (lost != null) {
            ctx.unwatch(this, lost.socketAddress());
            if (lost.transport().isReliable()) {
                ctx.hooks().closeConnection(lost.socketAddress());
            }
        }
        if (info) {
            LOG.info("flow {} failed ({}: {}); next attempt in {} s", this, cause, detail, wait.toMillis() / 1000.0);
        } else {
            LOG.debug("flow {} failed ({}: {}); next attempt in {} s", this, cause, detail, wait.toMillis() / 1000.0);
        }
        emit(FlowEvent.Kind.FAILED, cause, retryAfter, detail);
    }

    synchronized boolean isFailed() {
        return state == FlowState.RECOVERING || state == FlowState.CONNECTING && consecutiveFailures > 0;
    }

    /** {@link #isFailed()} without the lock: a possibly stale view, for the manager's scans over all flows. */
    boolean isFailedNow() {
        FlowState s = state;
        return s == FlowState.RECOVERING || s == FlowState.CONNECTING && consecutiveFailures > 0;
    }

    // ---- keep-alive ------------------------------------------------------------------------------------

    private void scheduleKeepAlive(long gen) {
        if (!spec.outbound()) {
            // without SIP outbound there is no flow to keep alive: registrations refresh themselves. No timer at
            // all: ten thousand such flows woke the flow threads hundreds of times a second for nothing
            return;
        }
        Duration next = KeepAliveTiming.next(flowTimer, spec.keepAliveInterval(), ctx.random());
        keepAliveTask = ctx.scheduler().schedule(() -> sendKeepAlive(gen), next);
    }

    /**
     * The keep-alive that runs over {@code t} once the flow is up: none without SIP outbound (registrations
     * refresh themselves), else CRLF over a connection (RFC 5626 §4.4.1) and STUN over UDP (§4.4.2).
     */
    private KeepAliveState.Method keepAliveMethod(ResolvedTarget t) {
        if (!spec.outbound() || t == null) {
            return KeepAliveState.Method.NONE;
        }
        return t.transport().isReliable() ? KeepAliveState.Method.CRLF : KeepAliveState.Method.STUN;
    }

    private void showKeepAlive(long gen, KeepAliveState.Method method, Duration interval) {
        keepAliveView.updateAndGet(v -> v.gen() == gen ? v.running(method, interval) : v);
    }

    /** Data arrived on the connection to {@code peer}: after a CRLF ping, that is its pong (RFC 5626 §4.4.1). */
    void received(InetSocketAddress peer) {
        KeepAliveView v = keepAliveView.get();
        if (v.awaitingPong() && peer.equals(v.peer())) {
            pongArrived(v.gen());
        }
    }

    /** The answer to the last ping of generation {@code gen} arrived (CRLF pong or STUN response). */
    void pongArrived(long gen) {
        java.time.Instant now = ctx.scheduler().now();
        keepAliveView.updateAndGet(v -> v.gen() == gen && v.awaitingPong() ? v.ponged(now) : v);
    }

    private void sendKeepAlive(long gen) {
        ResolvedTarget t;
        synchronized (this) {
            if (gen != generation || state != FlowState.UP) {
                return;
            }
            t = target;
        }
        if (!outbound() && !spec.outbound()) {
            return; // without SIP outbound there is no flow to keep alive (and no timer: scheduleKeepAlive)
        }
        InetSocketAddress peer = t.socketAddress();
        // noted before the ping leaves, so that a pong faster than this thread is never missed
        java.time.Instant now = ctx.scheduler().now();
        keepAliveView.updateAndGet(v -> v.gen() == gen ? v.pinged(now) : v);
        try {
            if (t.transport().isReliable()) {
                ctx.awaitPong(this, peer);
                // RFC 5626 §4.4.1 keeps a connection alive: half an interval's ping over it does for every flow
                long before = ctx.ping(t.transport(), peer, keepAliveInterval().dividedBy(2));
                if (ctx.hooks().receivedCount(peer) > before) {
                    // another flow's ping over this connection was answered already: no deadline to watch
                    pongArrived(gen);
                    keepAliveAnswered();
                } else {
                    armPongDeadline(gen, () -> {
                        boolean answered = ctx.hooks().receivedCount(peer) > before;
                        if (answered) {
                            keepAliveAnswered();
                        }
                        return answered;
                    }, FailureCause.PONG_TIMEOUT, "no CRLF pong from " + t,
                            // the connection is silent for every flow over it, not for this one alone
                            () -> ctx.connectionSilent(this, peer, before));
                }
            } else {
                ctx.stun().send(this, gen, t);
            }
        } catch (IOException e) {
            failed(gen, FailureCause.CONNECTION_RESET, null, "keep-alive to " + t + " failed: " + e);
            return;
        }
        synchronized (this) {
            if (gen == generation && state == FlowState.UP) {
                scheduleKeepAlive(gen);
            }
        }
    }

    /** A keep-alive of this flow (CRLF ping, STUN request) was answered in time. */
    void keepAliveAnswered() {
        keepAlivesAnswered.incrementAndGet();
        ctx.keepAliveAnswered();
    }

    /** This flow's keep-alives answered in time so far, for tests and diagnostics. */
    long keepAlivesAnswered() {
        return keepAlivesAnswered.get();
    }

    /** After a ping: unless {@code answered} holds by the pong deadline, the flow has failed. */
    void armPongDeadline(long gen, java.util.function.BooleanSupplier answered, FailureCause cause, String detail) {
        armPongDeadline(gen, answered, cause, detail, () -> { });
    }

    /** As above; {@code unanswered} runs after the flow has failed for want of an answer. */
    private void armPongDeadline(long gen, java.util.function.BooleanSupplier answered, FailureCause cause,
            String detail, Runnable unanswered) {
        synchronized (this) {
            Cancellable[] self = new Cancellable[1];
            self[0] = ctx.scheduler().schedule(() -> {
                synchronized (this) {
                    pongDeadlines.remove(self[0]);
                }
                if (!answered.getAsBoolean()) {
                    failed(gen, cause, null, detail);
                    unanswered.run();
                }
            }, spec.pongTimeout());
            pongDeadlines.add(self[0]);
        }
    }

    private void cancelTimers() {
        for (Cancellable c : new Cancellable[] {keepAliveTask, recoveryTask}) {
            if (c != null) {
                c.cancel();
            }
        }
        pongDeadlines.forEach(Cancellable::cancel);
        pongDeadlines.clear();
        keepAliveTask = null;
        recoveryTask = null;
    }

    void emit(FlowEvent.Kind kind, FailureCause cause, Duration retryAfter, String detail) {
        FlowEvent e = new FlowEvent(this, kind, ctx.scheduler().now(), cause, retryAfter, detail);
        ctx.scheduler().execute(() -> {
            try {
                listener.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("the listener of flow {} failed on {}", this, kind, ex);
            }
        });
    }

    @Override
    public String toString() {
        return spec.lineId() + "/" + spec.server() + " reg-id " + spec.regId();
    }
}
