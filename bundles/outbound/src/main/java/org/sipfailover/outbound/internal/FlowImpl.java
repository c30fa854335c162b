// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sipfailover.api.dns.ResolvedTarget;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One flow (RFC 5626 §3): a connection to one target of a server, kept alive, watched, and recovered in
 * the background (§4.5) on a fresh connection, walking to the server's next target first. Registrations
 * and subscriptions kept over the flow are sent again after each recovery, with the same reg-id.
 *
 * <p>State changes happen under the flow's lock; listener events are delivered on the scheduler's thread,
 * in order. Callbacks from a connection the flow has already given up (an older "generation") are ignored.
 *
 * <p>This class owns the state and its transitions; the parts it is made of own the rest: {@link TargetLookup}
 * the server's usable targets, {@link TargetCursor} where the next attempt goes, {@link Recovery} when,
 * {@link KeepAlive} and {@link KeepAlivePing} whether the connection still lives, {@link ConnectionTies} and its
 * {@link PersistentTlsHold} what is tied to that connection, and {@link FlowEvents} what the listener hears.
 * Those that keep timers are guarded by this flow's lock.
 */
final class FlowImpl implements Flow {

    private static final Logger LOG = LoggerFactory.getLogger(FlowImpl.class);

    private final FlowSpec spec;
    private final FlowEvents events;
    private final FlowResources resources;
    private final FlowHealth health;
    private final List<RegistrationImpl> registrations = new CopyOnWriteArrayList<>();
    private final List<SubscriptionImpl> subscriptions = new CopyOnWriteArrayList<>();
    private final KeepAlive keepAlive;
    private final KeepAlivePing ping;
    private final ConnectionTies ties;
    private final TargetLookup lookup;

    // guarded by this
    private volatile FlowState state = FlowState.CONNECTING;
    private final TargetCursor targets = new TargetCursor();
    private ResolvedTarget target;
    private long generation;
    private final Recovery recovery;
    private boolean outbound;
    private Duration flowTimer;

    FlowImpl(FlowSpec spec, FlowListener listener, FlowResources resources, FlowHealth health) {
        this.spec = spec;
        this.events = new FlowEvents(this, listener, resources.scheduler());
        this.resources = resources;
        this.health = health;
        this.outbound = spec.outbound();
        this.recovery = new Recovery(
                new RecoveryBackoff(spec.recoveryBaseAllFailed(), spec.recoveryBaseSomeOk(), spec.recoveryMax()),
                resources.scheduler(),
                resources.random());
        this.keepAlive = new KeepAlive(
                this,
                spec.outbound(),
                spec.keepAliveInterval(),
                spec.pongTimeout(),
                resources.scheduler(),
                resources.random(),
                (gen, cause, detail) -> failed(gen, cause, null, detail));
        this.ping = new KeepAlivePing(this, resources, health, keepAlive);
        this.ties = new ConnectionTies(this, new PersistentTlsHold(this, resources.hooks()), resources.hooks(), health);
        this.lookup = new TargetLookup(
                resources.resolver(),
                resources.scheduler(),
                t -> resources.endpoint().listeningPoint(t) != null,
                () -> resources.endpoint().transports());
    }

    void start() {
        resources.scheduler().execute(this::connect);
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
        return keepAlive.state();
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

    FlowResources resources() {
        return resources;
    }

    /**
     * Where this flow's requests to {@code t} leave from: for UDP with symmetric signalling the symmetric
     * port (opened on first need), else the transport's listening point.
     *
     * @throws javax.sip.SipException if the symmetric UDP port cannot be opened
     */
    SipEndpoint.Local local(ResolvedTarget t) throws javax.sip.SipException {
        return resources.endpoint().local(t.transport(), spec.symmetricUdp());
    }

    /**
     * Sends a request to {@code t} in a new client transaction, bounded by this flow's transaction time-out
     * (the line's, else the flow manager's).
     */
    void send(ResolvedTarget t, javax.sip.message.Request request, SipEndpoint.TransactionHandler handler)
            throws javax.sip.SipException {
        resources.endpoint().send(local(t), request, handler, transactionTimeout(), resources.scheduler());
    }

    /** Sends a client transaction made elsewhere (the answer to a challenge), bounded as {@link #send} is. */
    void start(javax.sip.ClientTransaction ct, SipEndpoint.TransactionHandler handler) throws javax.sip.SipException {
        resources.endpoint().start(ct, handler, transactionTimeout(), resources.scheduler());
    }

    private Duration transactionTimeout() {
        return spec.transactionTimeout().orElseGet(resources::transactionTimeout);
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
            keepAlive.show(generation, KeepAliveState.Method.NONE, keepAliveInterval());
        }
        registrations.forEach(RegistrationImpl::stop);
        subscriptions.forEach(SubscriptionImpl::stop);
        ties.close(peer);
        health.closed(this);
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
        lookup.start(spec.address(), this::resolved, (cause, detail) -> failed(-1, cause, null, detail));
    }

    private void resolved(List<ResolvedTarget> usable) {
        synchronized (this) {
            if (state == FlowState.CLOSED) {
                return;
            }
            targets.reset(usable);
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
            t = targets.current();
        }
        // tied before the target is published: register() sends at once to a published target, and that first
        // request must already find the TLS host to check and the persistent TLS port to connect from
        ties.tie(t, spec.persistentTls());
        synchronized (this) {
            if (state != FlowState.CLOSED) {
                target = t;
                gen = ++generation;
                state = FlowState.CONNECTING;
                toRegister = List.copyOf(registrations);
                // a new connection: the pings and pongs of the last one say nothing about it
                keepAlive.newConnection(gen, t.socketAddress(), keepAliveInterval());
            } else {
                gen = -1;
                toRegister = List.of();
            }
        }
        if (gen < 0) {
            // closed meanwhile: close() gave back what the last target held, so this one's ties go too
            ties.close(t.socketAddress());
            return;
        }
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
            recovery.succeeded();
            if (becameUp) {
                keepAlive.schedule(flowTimer, () -> ping.run(gen));
            }
            keepAlive.show(gen, keepAlive.method(target), keepAliveInterval());
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
        failedAt(
                peer,
                refused ? FailureCause.CONNECTION_REFUSED : FailureCause.CONNECTION_RESET,
                (cause == null ? "connection closed by " : "connection to ")
                        + peer
                        + (cause == null ? "" : ": " + cause));
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
        boolean othersFailed = health.allOtherFlowsFailed(this);
        synchronized (this) {
            if (state == FlowState.CLOSED || (gen >= 0 && gen != generation) || state == FlowState.RECOVERING) {
                return;
            }
            state = FlowState.RECOVERING;
            cancelTimers();
            lost = target;
            // the last ping and pong stay visible: they tell an operator why the flow failed
            keepAlive.show(generation, KeepAliveState.Method.NONE, keepAliveInterval());
            wait = recovery.plan(cause, retryAfter, othersFailed, targets, this::useTarget, this::connect);
        }
        registrations.forEach(RegistrationImpl::flowLost);
        subscriptions.forEach(SubscriptionImpl::flowLost);
        ties.drop(lost);
        if (info) {
            LOG.info("flow {} failed ({}: {}); next attempt in {} s", this, cause, detail, wait.toMillis() / 1000.0);
        } else {
            LOG.debug("flow {} failed ({}: {}); next attempt in {} s", this, cause, detail, wait.toMillis() / 1000.0);
        }
        emit(FlowEvent.Kind.FAILED, cause, retryAfter, detail);
    }

    synchronized boolean isFailed() {
        return state == FlowState.RECOVERING || state == FlowState.CONNECTING && recovery.consecutiveFailures() > 0;
    }

    /** {@link #isFailed()} without the lock: a possibly stale view, for the manager's scans over all flows. */
    boolean isFailedNow() {
        FlowState s = state;
        return s == FlowState.RECOVERING || s == FlowState.CONNECTING && recovery.consecutiveFailures() > 0;
    }

    // ---- keep-alive ------------------------------------------------------------------------------------

    /** The flow's keep-alive bookkeeping, where pongs and STUN answers land. */
    KeepAlive keepAliveTracker() {
        return keepAlive;
    }

    /** The target of generation {@code gen} while the flow is up there, else {@code null}: no ping is due. */
    synchronized ResolvedTarget upTarget(long gen) {
        return gen == generation && state == FlowState.UP ? target : null;
    }

    /** A keep-alive of generation {@code gen} has left: the next one is scheduled if the flow is still up. */
    synchronized void keepAliveSent(long gen) {
        if (gen == generation && state == FlowState.UP) {
            keepAlive.schedule(flowTimer, () -> ping.run(gen));
        }
    }

    /** A keep-alive of this flow (CRLF ping, STUN request) was answered in time. */
    void keepAliveAnswered() {
        keepAlive.answered();
        health.keepAliveAnswered();
    }

    /** This flow's keep-alives answered in time so far, for tests and diagnostics. */
    long keepAlivesAnswered() {
        return keepAlive.answeredCount();
    }

    private void cancelTimers() {
        keepAlive.cancelPing();
        recovery.cancel();
        keepAlive.cancelPongDeadlines();
    }

    private void emit(FlowEvent.Kind kind, FailureCause cause, Duration retryAfter, String detail) {
        events.emit(kind, cause, retryAfter, detail);
    }

    @Override
    public String toString() {
        return spec.lineId() + "/" + spec.server() + " reg-id " + spec.regId();
    }
}
