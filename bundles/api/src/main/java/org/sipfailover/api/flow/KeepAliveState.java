// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a flow's keep-alive, for operators: which ping it sends, how often, and when the last ping
 * went out and the last answer came back.
 *
 * @param method {@link Method#CRLF} over TCP and TLS, {@link Method#STUN} over UDP, {@link Method#NONE} while
 *     the flow does not keep itself alive (connecting, recovering, closed, or opened without SIP outbound); a
 *     flow whose registrar did not answer with {@code Require: outbound} keeps its pings all the same
 * @param interval the interval in use (the registrar's Flow-Timer, else the configured one)
 * @param lastPing when the last ping was sent; empty if none yet on the current connection
 * @param lastPong when the last answer to a ping arrived; empty if none yet on the current connection
 */
public record KeepAliveState(Method method, Duration interval, Optional<Instant> lastPing, Optional<Instant> lastPong) {

    /** The RFC 5626 keep-alive mechanisms. */
    public enum Method {
        /** Double-CRLF ping, single-CRLF pong (RFC 5626 section 4.4.1), over connection-oriented transports. */
        CRLF,
        /** STUN binding request and response (RFC 5626 section 4.4.2), over UDP. */
        STUN,
        /** No keep-alive is running. */
        NONE
    }

    public KeepAliveState {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(lastPing, "lastPing");
        Objects.requireNonNull(lastPong, "lastPong");
    }
}
