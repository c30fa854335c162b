// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * When a subscription ends unless refreshed: as its SUBSCRIBE's 2xx granted, or sooner as a NOTIFY said since
 * ({@code Subscription-State: active;expires=N}). Not thread-safe: its subscription calls it under its lock.
 */
final class SubscriptionExpiry {

    /** When the subscription ends unless refreshed, as granted or as a NOTIFY said since. */
    private Instant expiresAt;
    /** When a NOTIFY last set {@link #expiresAt}. */
    private Instant notifyExpiryAt;

    /** A new dialog: nothing granted, nothing said. */
    void clear() {
        expiresAt = null;
        notifyExpiryAt = null;
    }

    /**
     * The end a 2xx grants, {@code granted} from {@code now}, unless a NOTIFY that came since the SUBSCRIBE left
     * (at {@code sentAt}) said sooner.
     */
    Instant granted(Instant now, Duration granted, Instant sentAt) {
        Instant end = now.plus(granted);
        if (notifyExpiryAt != null
                && !notifyExpiryAt.isBefore(sentAt)
                && expiresAt != null
                && expiresAt.isBefore(end)) {
            end = expiresAt;
        }
        return end;
    }

    /**
     * A NOTIFY says the subscription ends {@code seconds} after {@code now}.
     *
     * @return that end when it is sooner than the one known (it is then the one known), else {@code null}
     */
    Instant notified(Instant now, int seconds) {
        Instant end = now.plusSeconds(seconds);
        if (expiresAt != null && !end.isBefore(expiresAt)) {
            return null;
        }
        notifyExpiryAt = now;
        expiresAt = end;
        return end;
    }

    /** The subscription ends at {@code end}: the wait from {@code now} before refreshing it. */
    Duration refreshDelay(Instant now, Instant end) {
        expiresAt = end;
        Duration left = Duration.between(now, end);
        if (left.isNegative()) {
            left = Duration.ZERO;
        }
        return RefreshTiming.delay(left, Duration.ofSeconds(Math.min(30, left.toSeconds() / 2)));
    }
}
