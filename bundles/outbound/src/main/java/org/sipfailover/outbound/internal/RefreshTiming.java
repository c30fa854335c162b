// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;

/**
 * When to refresh a registration or subscription that was granted for {@code granted}: {@code renewBefore}
 * ahead of its end, but never later than half-way for short grants, so that a refresh that is lost or
 * answered slowly still has time for a retry before the binding ends.
 */
final class RefreshTiming {

    private RefreshTiming() {}

    static Duration delay(Duration granted, Duration renewBefore) {
        Duration half = granted.dividedBy(2);
        Duration beforeEnd = granted.minus(renewBefore);
        return beforeEnd.compareTo(half) < 0 ? half : beforeEnd;
    }
}
