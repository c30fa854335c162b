// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.policy.Trigger;

/**
 * Whether a homing policy ({@code aastra}, {@code redundant-asymmetric}) returns a line that works on its
 * backup to its primary now, at a later time, or not on this occasion. Only for a working backup: a line
 * whose backup has failed goes to a usable primary at once, whatever the mode.
 *
 * <p>The primaries are ready when every one of them is usable, at least one has been seen up, and each
 * one up has stayed up for the line's failback hold-off ({@code ServerHealth.upFor(now) >= holdOff}). A
 * primary that fails inside the hold-off starts it again (its health {@code since} moves), so a flapping
 * primary never makes the line flap. A primary never observed does not hold the return back, but one of
 * them must have answered.
 *
 * <p>When the primaries are ready, the failback mode says on which occasion the line returns:
 * <ul>
 * <li>{@link FailbackMode#IMMEDIATE}: at once; before the hold-off ends the answer is "ask again when it
 *     ends".
 * <li>{@link FailbackMode#REGISTRATION}: at a registration of the line ({@link Trigger#REGISTRATION}, a
 *     refresh).
 * <li>{@link FailbackMode#NEW_REQUESTS}: at a registration, or when an OPTIONS probe of a primary is
 *     answered. A policy sees no INVITE or SUBSCRIBE; the REGISTER refreshes and the probes are the new
 *     requests it knows the line sends, so a return happens on the first of them that finds the primary
 *     ready.
 * <li>{@link FailbackMode#DNS_TTL}: on a DNS success observation ({@link HealthObservation.Source#DNS}) of a
 *     primary or of the server in use, which the line reports when the TTL of the current server's
 *     resolution ends: that is when the line looks its servers up again and may find the primary first.
 * <li>{@link FailbackMode#DURATION}: not before {@code failbackTimeout} after the line moved, read from the
 *     health {@code since} of a primary that is still failed (the line moved when it failed); the
 *     primaries are not probed until then. After that the primaries are probed and the return comes when
 *     they are ready. A primary that fails again restarts the timeout. One already up (seen by other
 *     means) needs only the hold-off.
 * <li>{@link FailbackMode#NEVER}: never (but an operator's forced failback).
 * </ul>
 * {@link Trigger#IDLE} counts as the occasion in every mode but {@code NEVER}: the line asks with it when
 * a call ends, after a return was deferred because of the call; a policy keeps no memory of that
 * deferral, so the end of a call stands in for the occasion it may have missed.
 *
 * <p>With {@link LineConfig#failbackWhenIdle()} and a call in progress a return is deferred. An operator's
 * {@link Trigger#FORCED_FAILBACK} returns at once, regardless of health, mode, hold-off and calls.
 */
final class Failback {

    /** What to do about the primaries. */
    enum Verdict {
        /** Return now. */
        GO,
        /** Not yet; ask again at {@link Outcome#at()}. */
        WAIT,
        /** Ready, but a call is in progress: the line asks again with {@link Trigger#IDLE}. */
        DEFER,
        /** Not on this occasion. */
        NOT_NOW
    }

    /**
     * @param verdict what to do
     * @param at for {@link Verdict#WAIT}, when to ask again; otherwise {@code null}
     * @param reason for the transition log
     */
    record Outcome(Verdict verdict, Instant at, String reason) {}

    private Failback() {}

    /**
     * Whether the primaries should be probed while the line works on the backup: unless it never returns,
     * or waits out a failback timeout that a probe answer would only disturb.
     */
    static boolean watch(PolicyInput in, Collection<ServerRef> primaries) {
        FailbackMode mode = in.config().failbackMode();
        if (mode == FailbackMode.NEVER) {
            return false;
        }
        if (mode == FailbackMode.DURATION) {
            Instant end = timeoutEnd(in, primaries);
            return end == null || !in.now().isBefore(end);
        }
        return true;
    }

    /**
     * @param primaries the servers the line would return to
     * @param inUse the servers it uses instead (whose DNS TTL may end)
     */
    static Outcome check(PolicyInput in, Collection<ServerRef> primaries, Collection<ServerRef> inUse) {
        LineConfig c = in.config();
        if (in.trigger() == Trigger.FORCED_FAILBACK) {
            return new Outcome(Verdict.GO, null, "forced failback");
        }
        FailbackMode mode = c.failbackMode();
        String label = label(mode);
        if (mode == FailbackMode.NEVER) {
            return new Outcome(Verdict.NOT_NOW, null, "failback mode never");
        }
        if (mode == FailbackMode.DURATION) {
            Instant end = timeoutEnd(in, primaries);
            if (end != null && in.now().isBefore(end)) {
                return new Outcome(Verdict.WAIT, end, "on the backup until " + end + " (failback timeout)");
            }
        }
        Instant upSince = null;
        for (ServerRef p : primaries) {
            ServerHealth h = in.health(p);
            if (!h.usable(in.now())) {
                return new Outcome(
                        Verdict.NOT_NOW, null, p + " is " + h.state().name().toLowerCase());
            }
            if (h.state() == HealthState.UP && (upSince == null || h.since().isAfter(upSince))) {
                upSince = h.since();
            }
        }
        if (upSince == null) {
            return new Outcome(
                    Verdict.NOT_NOW,
                    null,
                    "waiting to see " + primaries.iterator().next() + " up");
        }
        Instant ready = upSince.plus(c.failbackHoldOff());
        if (in.now().isBefore(ready)) {
            String why = "primary up since " + upSince + ", hold-off until " + ready;
            // the event-driven modes are asked again by their event; a timer would only find it missing
            return mode == FailbackMode.IMMEDIATE || mode == FailbackMode.DURATION
                    ? new Outcome(Verdict.WAIT, ready, why)
                    : new Outcome(Verdict.NOT_NOW, null, why);
        }
        if (!occasion(in, mode, primaries, inUse)) {
            return new Outcome(Verdict.NOT_NOW, null, "primary ready, failback " + label + " waits for its occasion");
        }
        String why = "primary up for " + Steps.text(Duration.between(upSince, in.now())) + ", failback " + label;
        if (c.failbackWhenIdle() && in.callInProgress()) {
            return new Outcome(Verdict.DEFER, null, why + " deferred: call in progress");
        }
        return new Outcome(Verdict.GO, null, why);
    }

    private static boolean occasion(
            PolicyInput in, FailbackMode mode, Collection<ServerRef> primaries, Collection<ServerRef> inUse) {
        Trigger t = in.trigger();
        if (t == Trigger.IDLE) {
            return true;
        }
        HealthObservation o = in.observation();
        boolean success = t == Trigger.OBSERVATION && o != null && o.isSuccess();
        return switch (mode) {
            case IMMEDIATE, DURATION -> true;
            case REGISTRATION -> t == Trigger.REGISTRATION;
            case NEW_REQUESTS ->
                t == Trigger.REGISTRATION
                        || success && o.source() == HealthObservation.Source.PROBE && primaries.contains(o.server());
            case DNS_TTL ->
                success
                        && o.source() == HealthObservation.Source.DNS
                        && (primaries.contains(o.server()) || inUse.contains(o.server()));
            case NEVER -> false;
        };
    }

    /**
     * The end of the failback timeout: {@code failbackTimeout} after the latest failure among the
     * primaries still failed, or {@code null} when none is.
     */
    private static Instant timeoutEnd(PolicyInput in, Collection<ServerRef> primaries) {
        Instant moved = null;
        for (ServerRef p : primaries) {
            ServerHealth h = in.health().get(p);
            if (h != null
                    && (h.state() == HealthState.GREY || h.state() == HealthState.BLACK)
                    && (moved == null || h.since().isAfter(moved))) {
                moved = h.since();
            }
        }
        return moved == null ? null : moved.plus(in.config().failbackTimeout());
    }

    private static String label(FailbackMode mode) {
        return mode.name().toLowerCase().replace('_', '-');
    }
}
