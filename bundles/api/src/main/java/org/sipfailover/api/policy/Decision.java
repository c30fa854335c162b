// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.sipfailover.api.net.ServerRef;

/**
 * What a policy decided: the placement it wants, the servers it wants probed with OPTIONS, and when it
 * wants to be asked again even if nothing happens.
 *
 * @param desired the placement the line should be in; the line's reconciler does the SIP work
 * @param probes servers to keep probing with OPTIONS at the line's probe interval (e.g. the primary while
 *     on the backup, AudioCodes asymmetric mode); copied
 * @param reconsiderAt when to ask again ({@link Trigger#TIMER}), or {@code null} for "only on events"
 * @param reason a short text for the transition log, e.g. "primary proxy failed: pong timeout"
 */
public record Decision(Placement desired, Set<ServerRef> probes, Instant reconsiderAt, String reason) {

    public Decision {
        Objects.requireNonNull(desired, "desired");
        probes = Set.copyOf(probes);
        Objects.requireNonNull(reason, "reason");
    }

    /** Keep the current placement, no probes, no timer. */
    public static Decision stay(Placement current, String reason) {
        return new Decision(current, Set.of(), null, reason);
    }

    public Optional<Instant> reconsiderAtIfAny() {
        return Optional.ofNullable(reconsiderAt);
    }
}
