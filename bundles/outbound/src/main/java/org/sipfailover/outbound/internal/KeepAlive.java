// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.flow.KeepAliveState;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.time.Cancellable;
import org.sipfailover.api.time.Scheduler;

/**
 * A flow's keep-alive bookkeeping (RFC 5626 §4.4): its ping timer, its pong deadlines, its count of answered
 * keep-alives and the {@link KeepAliveState} operators see. The timers are guarded by the flow's lock; the
 * view is replaced whole, lock-free, since pongs land in it from the stack's I/O threads.
 */
final class KeepAlive {

    /** What a missed pong does to the flow. */
    interface Failure {
        void failed(long gen, FailureCause cause, String detail);
    }

    private final Object lock;
    private final boolean outbound;
    private final Duration configured;
    private final Duration pongTimeout;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final Failure failure;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicReference<View> view;
    // guarded by lock
    private Cancellable task;
    /** One deadline per ping in flight: with short intervals a ping may leave before the last one is due. */
    private final Set<Cancellable> pongDeadlines = new HashSet<>();

    /**
     * The keep-alive of one connection (generation) of the flow.
     *
     * @param peer the connection's remote end, for matching data that arrives on it; null before the first
     * @param awaitingPong whether a ping is out that nothing has answered yet
     */
    private record View(long gen, InetSocketAddress peer, KeepAliveState state, boolean awaitingPong) {

        View running(KeepAliveState.Method method, Duration interval) {
            return new View(
                    gen, peer, new KeepAliveState(method, interval, state.lastPing(), state.lastPong()), awaitingPong);
        }

        View pinged(Instant at) {
            return new View(
                    gen,
                    peer,
                    new KeepAliveState(state.method(), state.interval(), Optional.of(at), state.lastPong()),
                    true);
        }

        View ponged(Instant at) {
            return new View(
                    gen,
                    peer,
                    new KeepAliveState(state.method(), state.interval(), state.lastPing(), Optional.of(at)),
                    false);
        }
    }

    /**
     * @param lock the flow's lock, which guards the timers
     * @param outbound whether the flow's spec asks for SIP outbound, without which nothing is kept alive
     * @param configured the configured interval, used until a registrar gives a Flow-Timer
     */
    KeepAlive(
            Object lock,
            boolean outbound,
            Duration configured,
            Duration pongTimeout,
            Scheduler scheduler,
            RandomGenerator random,
            Failure failure) {
        this.lock = lock;
        this.outbound = outbound;
        this.configured = configured;
        this.pongTimeout = pongTimeout;
        this.scheduler = scheduler;
        this.random = random;
        this.failure = failure;
        this.view = new AtomicReference<>(new View(
                0,
                null,
                new KeepAliveState(KeepAliveState.Method.NONE, configured, Optional.empty(), Optional.empty()),
                false));
    }

    /** Lock-free: a snapshot kept up to date by the flow's transitions, pings and pongs. */
    KeepAliveState state() {
        return view.get().state();
    }

    /** A new connection (generation {@code gen}) to {@code peer}: the pings and pongs of the last say nothing. */
    void newConnection(long gen, InetSocketAddress peer, Duration interval) {
        view.set(new View(
                gen,
                peer,
                new KeepAliveState(KeepAliveState.Method.NONE, interval, Optional.empty(), Optional.empty()),
                false));
    }

    /** Shows the method and interval of generation {@code gen}; the last ping and pong stay. */
    void show(long gen, KeepAliveState.Method method, Duration interval) {
        view.updateAndGet(v -> v.gen() == gen ? v.running(method, interval) : v);
    }

    /**
     * The keep-alive that runs over {@code t} once the flow is up: none without SIP outbound (registrations
     * refresh themselves), else CRLF over a connection (RFC 5626 §4.4.1) and STUN over UDP (§4.4.2).
     */
    KeepAliveState.Method method(ResolvedTarget t) {
        if (!outbound || t == null) {
            return KeepAliveState.Method.NONE;
        }
        return t.transport().isReliable() ? KeepAliveState.Method.CRLF : KeepAliveState.Method.STUN;
    }

    /** Schedules the next keep-alive, {@code ping}, of generation {@code gen}. Under the flow's lock. */
    void schedule(Duration flowTimer, Runnable ping) {
        if (!outbound) {
            // without SIP outbound there is no flow to keep alive: registrations refresh themselves. No timer at
            // all: ten thousand such flows woke the flow threads hundreds of times a second for nothing
            return;
        }
        Duration next = KeepAliveTiming.next(flowTimer, configured, random);
        task = scheduler.schedule(ping, next);
    }

    /** A ping of generation {@code gen} is leaving now. */
    void pinged(long gen) {
        Instant now = scheduler.now();
        view.updateAndGet(v -> v.gen() == gen ? v.pinged(now) : v);
    }

    /** Data arrived on the connection to {@code peer}: after a CRLF ping, that is its pong (RFC 5626 §4.4.1). */
    void received(InetSocketAddress peer) {
        View v = view.get();
        if (v.awaitingPong() && peer.equals(v.peer())) {
            pongArrived(v.gen());
        }
    }

    /** The answer to the last ping of generation {@code gen} arrived (CRLF pong or STUN response). */
    void pongArrived(long gen) {
        Instant now = scheduler.now();
        view.updateAndGet(v -> v.gen() == gen && v.awaitingPong() ? v.ponged(now) : v);
    }

    /** Counts a keep-alive answered in time. */
    void answered() {
        answered.incrementAndGet();
    }

    long answeredCount() {
        return answered.get();
    }

    /**
     * After a ping: unless {@code answered} holds by the pong deadline, the flow has failed, and then
     * {@code unanswered} runs.
     */
    void armPongDeadline(long gen, BooleanSupplier answered, FailureCause cause, String detail, Runnable unanswered) {
        synchronized (lock) {
            Cancellable[] self = new Cancellable[1];
            self[0] = scheduler.schedule(
                    () -> {
                        synchronized (lock) {
                            pongDeadlines.remove(self[0]);
                        }
                        if (!answered.getAsBoolean()) {
                            failure.failed(gen, cause, detail);
                            unanswered.run();
                        }
                    },
                    pongTimeout);
            pongDeadlines.add(self[0]);
        }
    }

    /** Cancels the timer of the next ping. Under the flow's lock. */
    void cancelPing() {
        if (task != null) {
            task.cancel();
        }
        task = null;
    }

    /** Cancels the deadlines of the pings in flight. Under the flow's lock. */
    void cancelPongDeadlines() {
        pongDeadlines.forEach(Cancellable::cancel);
        pongDeadlines.clear();
    }
}
