// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.line;

import java.time.Instant;
import java.util.Objects;
import org.sipfailover.api.policy.Placement;

/**
 * One change of a line's placement, with its cause.
 *
 * @param at when the line decided to move
 * @param lineId the line
 * @param from the placement before
 * @param to the placement after
 * @param policy the {@code policy.name} that decided
 * @param cause why, e.g. "primary proxy failed: pong timeout"
 */
public record LineTransition(Instant at, String lineId, Placement from, Placement to, String policy, String cause) {

    public LineTransition {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(lineId, "lineId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(cause, "cause");
    }
}
