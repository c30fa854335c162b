package org.sipfailover.policy.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.policy.Trigger;

/**
 * Whether a homing policy may return a line to its recovered primary now, later, or not on this occasion.
 * Every mode needs the primary servers seen up (a registration, a pong, an OPTIONS answer) for the
 * line's failback hold-off without a failure in between, so that a flapping primary never makes the
 * line flap; and, when the line says so, no call in progress.
 *
 * <ul>
 * <li>{@link FailbackMode#IMMEDIATE}: as soon as the hold-off has passed;
 * <li>{@link FailbackMode#REGISTRATION}: at a registration (refresh) of the line;
 * <li>{@link FailbackMode#NEW_REQUESTS}: at a registration refresh or a probe answer, the new requests a
 *     line sends by itself;
 * <li>{@link FailbackMode#DNS_TTL}: on a DNS observation of the primary (its name resolved again when the
 *     TTL ended), and at a registration refresh, when the line resolves its registrar again anyway;
 * <li>{@link FailbackMode#DURATION}: once the primary has been up for the failback timeout (and the
 *     hold-off);
 * <li>{@link FailbackMode#NEVER}: never.
 * </ul>
 * An operator's {@link Trigger#FORCED_FAILBACK} skips all of this.
 */
final class Failback {

    /** The answer: go back now, ask again at {@link #at}, or not on this occasion. */
    record Gate(boolean now, Instant at, String why) {
        static Gate no(String why) {
            return new Gate(false, null, why);
        }
    }

    private Failback() {
    }

    static Gate check(PolicyInput in, Collection<ServerRef> primaries) {
        if (in.trigger() == Trigger.FORCED_FAILBACK) {
            return new Gate(true, null, "forced failback");
        }
        FailbackMode mode = in.config().failbackMode();
        if (mode == FailbackMode.NEVER) {
            return Gate.no("failback mode never");
        }
        Instant upSince = Instant.MIN;
        for (ServerRef p : primaries) {
            ServerHealth h = in.health(p);
            if (h.state() != HealthState.UP) {
                return Gate.no(p + " is " + h.state());
            }
            upSince = h.since().isAfter(upSince) ? h.since() : upSince;
        }
        Duration wait = in.config().failbackHoldOff();
        if (mode == FailbackMode.DURATION && in.config().failbackTimeout().compareTo(wait) > 0) {
            wait = in.config().failbackTimeout();
        }
        Instant ready = upSince.plus(wait);
        if (in.now().isBefore(ready)) {
            return new Gate(false, ready, "primary up since " + upSince + ", hold-off until " + ready);
        }
        if (in.callInProgress() && in.config().failbackWhenIdle()) {
            return Gate.no("a call is in progress");
        }
        boolean registration = in.trigger() == Trigger.REGISTRATION;
        HealthObservation o = in.observation();
        boolean probeAnswer = o != null && o.isSuccess() && o.source() == HealthObservation.Source.PROBE;
        boolean dns = o != null && o.isSuccess() && o.source() == HealthObservation.Source.DNS;
        boolean ok = switch (mode) {
            case IMMEDIATE, DURATION -> true;
            case REGISTRATION -> registration;
            case NEW_REQUESTS -> registration || probeAnswer;
            case DNS_TTL -> registration || dns;
            case NEVER -> false;
        };
        return ok ? new Gate(true, null, "primary up since " + upSince) : Gate.no("waiting for " + mode);
    }
}
