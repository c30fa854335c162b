// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.ServerRef;

/**
 * One thing learnt about a server: a success or a failure with its cause, at a time.
 *
 * @param server which configured server
 * @param at when it was observed
 * @param source what observed it
 * @param cause the failure cause, or {@code null} for a success
 * @param retryAfter for a 503 with Retry-After, how long the server asked to be left alone; otherwise
 *     {@code null}
 * @param detail a short human-readable detail (peer, response line); never credentials
 */
public record HealthObservation(
        ServerRef server, Instant at, Source source, FailureCause cause, Duration retryAfter, String detail) {

    /** What produced an observation. */
    public enum Source {
        /** A flow's keep-alive (pong, STUN) or its connection. */
        FLOW,
        /** A SIP transaction (REGISTER, SUBSCRIBE, INVITE, ...). */
        TRANSACTION,
        /** An OPTIONS probe. */
        PROBE,
        /** DNS resolution. */
        DNS,
        /** An operator or test. */
        OPERATOR
    }

    public HealthObservation {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
    }

    public static HealthObservation success(ServerRef server, Instant at, Source source, String detail) {
        return new HealthObservation(server, at, source, null, null, detail);
    }

    public static HealthObservation failure(
            ServerRef server, Instant at, Source source, FailureCause cause, String detail) {
        return new HealthObservation(server, at, source, Objects.requireNonNull(cause, "cause"), null, detail);
    }

    public boolean isSuccess() {
        return cause == null;
    }
}
