// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.ServerRef;

/**
 * The health of one configured server of a line, as the line has observed it.
 *
 * @param server which server
 * @param state the current state
 * @param since when the server entered this state
 * @param until for {@link HealthState#BLACK}, when the server may be used again; otherwise {@code null}
 * @param lastCause the cause of the last failure, or {@code null} if none was seen
 * @param lastSuccess when the last success was observed, or {@code null}
 */
public record ServerHealth(
        ServerRef server,
        HealthState state,
        Instant since,
        Instant until,
        FailureCause lastCause,
        Instant lastSuccess) {

    public ServerHealth {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }

    /** A server nothing is known about. */
    public static ServerHealth unknown(ServerRef server, Instant now) {
        return new ServerHealth(server, HealthState.UNKNOWN, now, null, null, null);
    }

    /** Whether the server may be given new work at {@code now}: not grey, and not black unless expired. */
    public boolean usable(Instant now) {
        switch (state) {
            case UP:
            case UNKNOWN:
                return true;
            case BLACK:
                return until != null && !now.isBefore(until);
            default:
                return false;
        }
    }

    /** How long the server has been healthy at {@code now}; empty if it is not {@link HealthState#UP}. */
    public Optional<java.time.Duration> upFor(Instant now) {
        return state == HealthState.UP ? Optional.of(java.time.Duration.between(since, now)) : Optional.empty();
    }
}
