// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.HealthObservation.Source;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.policy.Trigger;

/**
 * Plays a line around a policy, in virtual time, the way the lines bundle runs one, and records what
 * happens.
 *
 * <ul>
 * <li>Health per server: a success makes it UP ({@code since} kept while it stays up), a failure GREY
 *     ({@code since} kept while it stays grey), a 503 with Retry-After BLACK until then; a probe answer
 *     from a black-listed server before its time changes nothing. An observation at an address is
 *     recorded for every server configured at that address.
 * <li>Registration: a binding that enters the placement is registered at once; it succeeds when its first
 *     hop and its registrar are alive (observed as successes of both), else fails; either way the policy is
 *     then asked with {@link Trigger#REGISTRATION}. A REGISTER that fails fails the flow it went over, so the
 *     line blames the first hop even when the registrar behind a live outbound proxy is the one that did not
 *     answer (unless {@link #assumeRegistrarBlamed()}). A registered one is refreshed every {@code
 *     registrationPeriod - registrationRenewal}, which may fail the same way.
 * <li>Recovery: a flow that failed (a REGISTER that failed, a keep-alive or a reset) tries again after the
 *     line's {@code recoveryBaseAllFailed}, the shortest wait of RFC 5626 §4.5 (the flow manager draws it at
 *     random up to twice that, and doubles it after each failure), and registers its bindings again once the
 *     first hop and the registrar answer; that is the only way the line sees a server it is bound to return.
 *     {@code registrationRetry} times no retry: the runtime does not read it.
 * <li>Flows, as the lines bundle opens them: one to the first hop of each binding; one to the active binding's
 *     proxy (or outbound proxy) for the subscriptions, only when the line has subscriptions, once that binding
 *     is registered, kept until they move; and one to each server it probes. With SIP outbound the binding
 *     and subscription flows have a keep-alive that notices at once when a server stops answering ({@code
 *     PONG_TIMEOUT}); probe flows have none: a probed server's silence and return show at its next probe.
 *     Without SIP outbound nothing is noticed until a probe, a registration or a reset connection ({@link
 *     #reset}), which every open flow notices.
 * <li>Probes: each server in {@link Decision#probes()} is probed at once when it is added, then every
 *     probe interval, with {@link Trigger#OBSERVATION}.
 * <li>Time: {@link #advance} runs everything due in order, including the policy's {@code reconsiderAt}
 *     ({@link Trigger#TIMER}); every new decision replaces the timer of the previous one.
 * </ul>
 *
 * A policy that decides more than {@value #LOOP_LIMIT} times at one instant never settles: the driver fails.
 */
final class LineDriver {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final int LOOP_LIMIT = 200;

    /** A change of placement. */
    record Move(Instant at, Trigger trigger, Placement from, Placement to, String reason) {}

    /** A question to the policy and its answer. */
    record Asked(Instant at, Trigger trigger, HealthObservation observation, Decision decision) {}

    private record Task(Instant at, long seq, Runnable run) {}

    final LineConfig config;
    private FailoverPolicy policy;
    private Instant now = T0;
    private Placement current = Placement.NONE;
    private final Set<Binding> live = new LinkedHashSet<>();
    private final Map<ServerRef, ServerHealth> health = new LinkedHashMap<>();
    private final Set<ServerAddress> dead = new HashSet<>();
    private Set<ServerRef> probes = Set.of();
    /** Where the subscriptions are, once placed: the hop of the active binding when it was registered. */
    private ServerAddress subscribedVia;

    private Decision last;
    private boolean callInProgress;
    private final List<Move> moves = new ArrayList<>();
    private final List<Asked> asked = new ArrayList<>();

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparing(Task::at).thenComparingLong(Task::seq));
    private long seq;
    private long timer;
    private final Map<ServerRef, Long> probeRuns = new HashMap<>();
    private final Map<Binding, Long> registrations = new HashMap<>();
    private Instant loopInstant;
    private int loopCount;
    private boolean registrarBlamed;

    LineDriver(LineConfig config, FailoverPolicy policy) {
        this.config = config;
        this.policy = policy;
    }

    // ---- what the tests do ------------------------------------------------------------------------------

    /**
     * A REGISTER that a live outbound proxy forwards to a dead registrar fails at the registrar, not at the
     * outbound proxy. The runtime does not do this: the REGISTER's time-out fails the flow, and the line blames
     * its first hop, the outbound proxy (see the deployment issue). For the tests of what a policy does once the
     * registrar's failure is reported as the registrar's.
     */
    LineDriver assumeRegistrarBlamed() {
        registrarBlamed = true;
        return this;
    }

    /** The line starts with nothing saved. */
    LineDriver start() {
        decide(Trigger.START, null);
        return settle();
    }

    /** The line starts with a saved placement, as after a restart: nothing registered, nothing known. */
    LineDriver startFrom(Placement saved) {
        current = saved;
        for (Binding b : saved.bindings()) {
            register(b);
        }
        decide(Trigger.START, null);
        return settle();
    }

    /** The line stops and starts again from the placement it saved; its health and timers are gone. */
    LineDriver restart() {
        Placement saved = current;
        live.clear();
        health.clear();
        subscribedVia = null;
        probes = Set.of();
        probeRuns.clear();
        registrations.clear();
        tasks.clear();
        last = null;
        return startFrom(saved);
    }

    /** A server stops answering. With SIP outbound the keep-alive of every flow to it notices at once. */
    LineDriver down(ServerRef s) {
        ServerAddress a = address(s);
        dead.add(a);
        if (config.sipOutbound() && keptAlive().contains(a)) {
            lostFlows(a, FailureCause.PONG_TIMEOUT);
        }
        return settle();
    }

    /** A server stops answering and the line's connections to it are reset, noticed at once in every mode. */
    LineDriver reset(ServerRef s) {
        ServerAddress a = address(s);
        dead.add(a);
        if (flowAddresses().contains(a)) {
            lostFlows(a, FailureCause.CONNECTION_RESET);
        }
        return settle();
    }

    /** A server answers again: the line's flows to it see it at their next recovery attempt, a probe at its next. */
    LineDriver up(ServerRef s) {
        ServerAddress a = address(s);
        dead.remove(a);
        return settle();
    }

    /** A server answers 503 with Retry-After to a request now. */
    LineDriver unavailable(ServerRef s, Duration retryAfter) {
        observeAt(address(s), Source.TRANSACTION, FailureCause.SERVICE_UNAVAILABLE, retryAfter, true);
        return settle();
    }

    /** The DNS TTL of a server's resolution ended and the name resolved again. */
    LineDriver dnsTtlEnds(ServerRef s) {
        observeAt(address(s), Source.DNS, null, null, true);
        return settle();
    }

    /** A call starts, or ends (then the line asks with {@link Trigger#IDLE}). */
    LineDriver call(boolean inProgress) {
        boolean ended = callInProgress && !inProgress;
        callInProgress = inProgress;
        if (ended) {
            decide(Trigger.IDLE, null);
        }
        return settle();
    }

    LineDriver force(Trigger trigger) {
        decide(trigger, null);
        return settle();
    }

    /** Another policy takes over the running line. */
    LineDriver swap(FailoverPolicy next) {
        policy = next;
        decide(Trigger.POLICY_SWAPPED, null);
        return settle();
    }

    /** Lets time pass, running everything that falls due. */
    LineDriver advance(Duration d) {
        return runUntil(now.plus(d));
    }

    LineDriver advanceTo(Instant t) {
        return runUntil(t);
    }

    // ---- what the tests read ----------------------------------------------------------------------------

    Instant now() {
        return now;
    }

    Placement current() {
        return current;
    }

    Set<Binding> live() {
        return Set.copyOf(live);
    }

    boolean registered() {
        return !current.isNone() && live.containsAll(current.bindings());
    }

    Set<ServerRef> probes() {
        return probes;
    }

    Decision last() {
        return last;
    }

    ServerHealth health(ServerRef s) {
        ServerHealth h = health.get(s);
        return h != null ? h : ServerHealth.unknown(s, now);
    }

    List<Move> moves() {
        return List.copyOf(moves);
    }

    /** The placements the line moved to, in order. */
    List<Placement> placements() {
        return moves.stream().map(Move::to).toList();
    }

    List<Asked> asked() {
        return List.copyOf(asked);
    }

    // ---- the line ---------------------------------------------------------------------------------------

    private void decide(Trigger trigger, HealthObservation o) {
        if (now.equals(loopInstant)) {
            if (++loopCount > LOOP_LIMIT) {
                throw new AssertionError(
                        policy.name() + " decided " + loopCount + " times at " + now + " without settling; last moves "
                                + moves.subList(Math.max(0, moves.size() - 6), moves.size()));
            }
        } else {
            loopInstant = now;
            loopCount = 1;
        }
        Decision d = policy.decide(new PolicyInput(config, current, live, health, now, trigger, o, callInProgress));
        asked.add(new Asked(now, trigger, o, d));
        last = d;
        if (!d.desired().equals(current)) {
            Placement from = current;
            moves.add(new Move(now, trigger, from, d.desired(), d.reason()));
            current = d.desired();
            live.retainAll(current.bindings());
            for (Binding b : from.bindings()) {
                if (!current.bindings().contains(b)) {
                    registrations.remove(b);
                }
            }
            for (Binding b : current.bindings()) {
                if (!from.bindings().contains(b)) {
                    register(b);
                }
            }
        }
        setProbes(d.probes());
        placeSubscriptions();
        long t = ++timer;
        if (d.reconsiderAt() != null) {
            Instant at = d.reconsiderAt().isBefore(now) ? now : d.reconsiderAt();
            schedule(at, () -> {
                if (t == timer) {
                    decide(Trigger.TIMER, null);
                }
            });
        }
    }

    /** A new registration of a binding: a REGISTER now, then retries or refreshes. */
    private void register(Binding b) {
        long run = registrations.merge(b, 1L, Long::sum);
        schedule(now, () -> attempt(b, run));
    }

    private void attempt(Binding b, long run) {
        if (!Long.valueOf(run).equals(registrations.get(b))
                || !current.bindings().contains(b)) {
            return;
        }
        ServerAddress hop = address(Servers.firstHop(config, b));
        ServerAddress registrar = address(Servers.registrar(config, b.registrar()));
        if (reachable(b)) {
            live.add(b);
            observeAt(hop, Source.TRANSACTION, null, null, false);
            if (!registrar.equals(hop)) {
                observeAt(registrar, Source.TRANSACTION, null, null, false);
            }
            schedule(now.plus(config.registrationPeriod().minus(config.registrationRenewal())), () -> attempt(b, run));
        } else {
            // the REGISTER's time-out fails the flow to the first hop, whichever server behind it did not answer
            live.remove(b);
            observeAt(
                    registrarBlamed && !dead.contains(hop) ? registrar : hop,
                    Source.TRANSACTION,
                    FailureCause.TRANSACTION_TIMEOUT,
                    null,
                    false);
            schedule(now.plus(config.recoveryBaseAllFailed()), () -> attempt(b, run));
        }
        decide(Trigger.REGISTRATION, null);
    }

    private boolean reachable(Binding b) {
        return !dead.contains(address(Servers.firstHop(config, b)))
                && !dead.contains(address(Servers.registrar(config, b.registrar())));
    }

    private void lostFlows(ServerAddress a, FailureCause cause) {
        for (Binding b : current.bindings()) {
            if (address(Servers.firstHop(config, b)).equals(a)) {
                live.remove(b);
                long run = registrations.merge(b, 1L, Long::sum);
                schedule(now.plus(config.recoveryBaseAllFailed()), () -> attempt(b, run));
            }
        }
        observeAt(a, Source.FLOW, cause, null, true);
    }

    private void setProbes(Set<ServerRef> next) {
        for (ServerRef s : probes) {
            if (!next.contains(s)) {
                probeRuns.remove(s);
            }
        }
        for (ServerRef s : next) {
            if (!probes.contains(s)) {
                long run = probeRuns.merge(s, 1L, Long::sum);
                schedule(now, () -> probe(s, run));
            }
        }
        probes = next;
    }

    private void probe(ServerRef s, long run) {
        if (!Long.valueOf(run).equals(probeRuns.get(s))) {
            return;
        }
        schedule(now.plus(config.probeInterval()), () -> probe(s, run));
        ServerAddress a = address(s);
        observeAt(a, Source.PROBE, dead.contains(a) ? FailureCause.PROBE_TIMEOUT : null, null, true);
    }

    /**
     * The subscriptions follow the active binding once it is registered, and end with no active binding; a line
     * without subscriptions opens no flow for them.
     */
    private void placeSubscriptions() {
        Binding active = current.activeBinding().orElse(null);
        if (active == null || config.subscriptions().isEmpty()) {
            subscribedVia = null;
        } else if (live.contains(active)) {
            subscribedVia = address(
                    active.outboundProxy() != null
                            ? ServerRef.of(ServerRole.OUTBOUND_PROXY, active.outboundProxy())
                            : ServerRef.of(ServerRole.PROXY, active.proxy()));
        }
    }

    /** Where the line has flows with a keep-alive (with SIP outbound): its bindings' first hops, its subscriptions'. */
    private Set<ServerAddress> keptAlive() {
        Set<ServerAddress> out = new HashSet<>();
        for (Binding b : current.bindings()) {
            out.add(address(Servers.firstHop(config, b)));
        }
        if (subscribedVia != null) {
            out.add(subscribedVia);
        }
        return out;
    }

    /** Where the line has flows: those kept alive, and one to each server it probes. */
    private Set<ServerAddress> flowAddresses() {
        Set<ServerAddress> out = keptAlive();
        for (ServerRef p : probes) {
            out.add(address(p));
        }
        return out;
    }

    /** Records an observation for every server at an address; with {@code ask}, asks once per server. */
    private void observeAt(ServerAddress a, Source source, FailureCause cause, Duration retryAfter, boolean ask) {
        List<HealthObservation> seen = new ArrayList<>();
        for (ServerRef s : config.servers().keySet()) {
            if (address(s).equals(a)) {
                HealthObservation o = new HealthObservation(s, now, source, cause, retryAfter, source + " " + a);
                record(o);
                seen.add(o);
            }
        }
        if (ask) {
            for (HealthObservation o : seen) {
                decide(Trigger.OBSERVATION, o);
            }
        }
    }

    private void record(HealthObservation o) {
        ServerRef s = o.server();
        ServerHealth prev = health.get(s);
        ServerHealth next;
        if (o.isSuccess()) {
            if (prev != null
                    && prev.state() == HealthState.BLACK
                    && prev.until() != null
                    && now.isBefore(prev.until())
                    && o.source() == Source.PROBE) {
                return;
            }
            Instant since = prev != null && prev.state() == HealthState.UP ? prev.since() : now;
            next = new ServerHealth(s, HealthState.UP, since, null, prev == null ? null : prev.lastCause(), now);
        } else if (o.cause() == FailureCause.SERVICE_UNAVAILABLE && o.retryAfter() != null) {
            next = new ServerHealth(
                    s,
                    HealthState.BLACK,
                    now,
                    now.plus(o.retryAfter()),
                    o.cause(),
                    prev == null ? null : prev.lastSuccess());
        } else {
            Instant since = prev != null && prev.state() == HealthState.GREY ? prev.since() : now;
            next = new ServerHealth(
                    s, HealthState.GREY, since, null, o.cause(), prev == null ? null : prev.lastSuccess());
        }
        health.put(s, next);
    }

    private ServerAddress address(ServerRef s) {
        return config.server(s).orElseThrow(() -> new IllegalStateException(s + " is not configured"));
    }

    private void schedule(Instant at, Runnable run) {
        tasks.add(new Task(at, seq++, run));
    }

    private LineDriver settle() {
        return runUntil(now);
    }

    private LineDriver runUntil(Instant end) {
        while (!tasks.isEmpty() && !tasks.peek().at().isAfter(end)) {
            Task t = tasks.poll();
            if (t.at().isAfter(now)) {
                now = t.at();
            }
            t.run().run();
        }
        now = end;
        return this;
    }
}
