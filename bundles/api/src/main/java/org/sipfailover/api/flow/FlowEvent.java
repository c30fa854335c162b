// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.sipfailover.api.net.FailureCause;

/**
 * Something that happened to a flow, reported to its {@link FlowListener}.
 *
 * @param flow the flow
 * @param kind what happened
 * @param at when (the flow manager's scheduler time)
 * @param cause for a failure, why; otherwise {@code null}
 * @param retryAfter for a 503 with Retry-After, how long the server asked to be left alone; otherwise
 *     {@code null}
 * @param detail a short human-readable detail (peer, status line); never credentials
 */
public record FlowEvent(Flow flow, Kind kind, Instant at, FailureCause cause, Duration retryAfter, String detail) {

    /** What happened. */
    public enum Kind {
        /** The flow is connected and answering keep-alives. */
        UP,
        /** The flow failed; see {@link FlowEvent#cause()}. Recovery is scheduled unless it was closed. */
        FAILED,
        /** A registration over the flow succeeded (first time or after recovery). */
        REGISTERED,
        /** A registration over the flow failed; see {@link FlowEvent#cause()}. */
        REGISTRATION_FAILED,
        /** A binding was removed (unregistered) over the flow. */
        UNREGISTERED,
        /** The flow was closed by its owner. */
        CLOSED
    }

    public FlowEvent {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }
}
