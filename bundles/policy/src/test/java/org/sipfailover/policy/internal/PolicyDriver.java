package org.sipfailover.policy.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.policy.Trigger;

/**
 * Plays the line around a policy, in virtual time: keeps the placement, the registered bindings and the
 * health of each server the way the lines bundle does (grey after a failure, black for a Retry-After, up
 * after a success, {@code since} moving only when the state changes), asks the policy on every event and
 * when the time it asked for comes, and records every placement it moved to.
 */
final class PolicyDriver {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final LineConfig config;
    FailoverPolicy policy;
    Instant now = T0;
    Placement current = Placement.NONE;
    Set<org.sipfailover.api.policy.Binding> live = Set.of();
    final Map<ServerRef, ServerHealth> health = new HashMap<>();
    Decision last;
    boolean callInProgress;
    final List<Placement> moves = new ArrayList<>();

    PolicyDriver(LineConfig config, FailoverPolicy policy) {
        this.config = config;
        this.policy = policy;
    }

    PolicyDriver start() {
        return ask(Trigger.START, null);
    }

    /** Starts from a saved placement, as after a restart. */
    PolicyDriver startFrom(Placement saved) {
        current = saved;
        return ask(Trigger.START, null);
    }

    PolicyDriver ask(Trigger trigger, HealthObservation o) {
        last = policy.decide(new PolicyInput(config, current, live, health, now, trigger, o, callInProgress));
        if (!last.desired().equals(current)) {
            current = last.desired();
            moves.add(current);
            live = Set.of();
        }
        return this;
    }

    /** Every binding of the placement registered (the registrars answered 200). */
    PolicyDriver registered() {
        live = new LinkedHashSet<>(current.bindings());
        for (org.sipfailover.api.policy.Binding b : current.bindings()) {
            observe(Servers.firstHop(config, b), null, null, HealthObservation.Source.TRANSACTION, false);
        }
        return ask(Trigger.REGISTRATION, null);
    }

    PolicyDriver fail(ServerRef... servers) {
        for (ServerRef s : servers) {
            live = Set.copyOf(live.stream().filter(b -> !Servers.firstHop(config, b).equals(s)).toList());
            observe(s, FailureCause.CONNECTION_RESET, null, HealthObservation.Source.FLOW, true);
        }
        return this;
    }

    PolicyDriver unavailable(ServerRef s, Duration retryAfter) {
        observe(s, FailureCause.SERVICE_UNAVAILABLE, retryAfter, HealthObservation.Source.TRANSACTION, true);
        return this;
    }

    /** A probe (OPTIONS) answered by each server. */
    PolicyDriver answers(ServerRef... servers) {
        for (ServerRef s : servers) {
            observe(s, null, null, HealthObservation.Source.PROBE, true);
        }
        return this;
    }

    PolicyDriver call(boolean inProgress) {
        boolean was = callInProgress;
        callInProgress = inProgress;
        if (was && !inProgress) {
            ask(Trigger.IDLE, null);
        }
        return this;
    }

    /** Lets time pass, asking the policy whenever the time it asked for comes. */
    PolicyDriver advance(Duration d) {
        Instant end = now.plus(d);
        while (last != null && last.reconsiderAt() != null && !last.reconsiderAt().isAfter(end)) {
            now = last.reconsiderAt().isAfter(now) ? last.reconsiderAt() : now;
            Instant before = last.reconsiderAt();
            ask(Trigger.TIMER, null);
            if (last.reconsiderAt() != null && !last.reconsiderAt().isAfter(before)) {
                break; // the policy asked for the same time again: it is not waiting for time
            }
        }
        now = end;
        return this;
    }

    private void observe(ServerRef s, FailureCause cause, Duration retryAfter, HealthObservation.Source source,
            boolean ask) {
        HealthObservation o = new HealthObservation(s, now, source, cause, retryAfter, String.valueOf(cause));
        ServerHealth prev = health.get(s);
        ServerHealth next;
        if (cause == null) {
            Instant since = prev != null && prev.state() == HealthState.UP ? prev.since() : now;
            next = new ServerHealth(s, HealthState.UP, since, null, prev == null ? null : prev.lastCause(), now);
        } else if (retryAfter != null) {
            next = new ServerHealth(s, HealthState.BLACK, now, now.plus(retryAfter), cause, null);
        } else {
            Instant since = prev != null && prev.state() == HealthState.GREY ? prev.since() : now;
            next = new ServerHealth(s, HealthState.GREY, since, null, cause, null);
        }
        health.put(s, next);
        if (ask) {
            ask(Trigger.OBSERVATION, o);
        }
    }
}
