// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.config;

import java.time.Duration;
import java.util.Objects;

/**
 * One subscription a line keeps.
 *
 * @param kind BLF, BLA or MWI
 * @param target the user or number monitored (BLF: the extension; BLA: the shared number; MWI: the
 *     mailbox, usually the line's own user); the domain is the active proxy's
 * @param period the requested subscription duration; refreshed before it ends
 */
public record SubscriptionConfig(SubscriptionKind kind, String target, Duration period) {

    public SubscriptionConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(period, "period");
        if (target.isBlank()) {
            throw new IllegalArgumentException(kind + " subscription has no target");
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException(
                    kind + " subscription to '" + target + "' has a non-positive period " + period);
        }
    }
}
