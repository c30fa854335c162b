// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.ServerHealth;

/**
 * What a line remembers of each of its servers, after reSIProcate's lists: grey after a failure, black for
 * a 503's Retry-After, up after a success. {@code since} moves only when the state changes, so that a
 * policy can measure how long a recovered primary has stayed up (the failback hold-off). Not thread-safe:
 * a line's lane owns it.
 */
final class HealthBook {

    private final Map<ServerRef, ServerHealth> health = new LinkedHashMap<>();

    /**
     * Records an observation.
     *
     * @return the new health if the state changed, else {@code null}
     */
    ServerHealth observe(ServerRef server, HealthObservation o) {
        ServerHealth prev = health.get(server);
        ServerHealth next;
        if (o.isSuccess()) {
            if (prev != null
                    && prev.state() == HealthState.BLACK
                    && prev.until() != null
                    && o.at().isBefore(prev.until())
                    && o.source() == HealthObservation.Source.PROBE) {
                // a server that asked to be left alone answers OPTIONS, but still refuses work until then
                return null;
            }
            Instant since = prev != null && prev.state() == HealthState.UP ? prev.since() : o.at();
            next = new ServerHealth(
                    server, HealthState.UP, since, null, prev == null ? null : prev.lastCause(), o.at());
        } else if (o.cause() == FailureCause.SERVICE_UNAVAILABLE
                && o.retryAfter() != null
                && !o.retryAfter().isZero()) {
            next = new ServerHealth(
                    server,
                    HealthState.BLACK,
                    o.at(),
                    o.at().plus(o.retryAfter()),
                    o.cause(),
                    prev == null ? null : prev.lastSuccess());
        } else {
            Instant since = prev != null && prev.state() == HealthState.GREY ? prev.since() : o.at();
            next = new ServerHealth(
                    server, HealthState.GREY, since, null, o.cause(), prev == null ? null : prev.lastSuccess());
        }
        health.put(server, next);
        return prev == null || prev.state() != next.state() ? next : null;
    }

    ServerHealth get(ServerRef server) {
        return health.get(server);
    }

    /** A copy, for policies and status readers. */
    Map<ServerRef, ServerHealth> snapshot() {
        return Map.copyOf(health);
    }
}
