// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.util.List;
import org.sipfailover.api.dns.ResolvedTarget;

/**
 * The walk over a server's resolved targets: the next one after transport trouble, the whole server again
 * (resolved anew) once the walk has ended. Not thread-safe: its flow calls it under the flow's lock.
 */
final class TargetCursor {

    private List<ResolvedTarget> targets = List.of();
    private int index;

    /** A fresh resolution: the walk starts at its first target. */
    void reset(List<ResolvedTarget> resolved) {
        targets = resolved;
        index = 0;
    }

    /**
     * The target the walk is at.
     *
     * @throws IndexOutOfBoundsException when the walk has ended, or nothing was resolved
     */
    ResolvedTarget current() {
        return targets.get(index);
    }

    /** @return whether the walk moved on to a next target (else it stays where it is) */
    boolean advance() {
        if (index + 1 < targets.size()) {
            index++;
            return true;
        }
        return false;
    }

    /** The walk is over: the next attempt resolves the server again. */
    void end() {
        index = -1;
    }
}
