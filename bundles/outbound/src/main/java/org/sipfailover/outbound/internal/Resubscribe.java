// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What a subscriber does when the notifier ends its subscription with a NOTIFY whose Subscription-State is
 * {@code terminated} (RFC 6665 §4.1.3, RFC 3265 §3.2.4): subscribe again in a new dialog, at once or later, or
 * never.
 *
 * <ul>
 * <li>{@code deactivated}, {@code timeout}: at once; the notifier moved or let the subscription lapse.</li>
 * <li>{@code probation}, {@code giveup}, no reason or one unknown: later, after {@code retry-after} when the
 * NOTIFY gives it, else after {@link #LATER}.</li>
 * <li>{@code rejected}, {@code noresource}, {@code invariant}: never; the notifier will not serve it.</li>
 * </ul>
 *
 * A {@code retry-after} is honoured whatever the reason ("SHOULD NOT re-subscribe before"). A notifier that
 * ends every new subscription at once for a reason that asks for an immediate retry would otherwise have us
 * loop: after {@link #MAX_QUICK_RETRIES} such retries in a row the wait is {@link #LATER} too.
 */
final class Resubscribe {

    /** The wait when the notifier asks for a later retry but does not say when. */
    static final Duration LATER = Duration.ofSeconds(60);
    /** Immediate retries in a row before they are spaced out. */
    static final int MAX_QUICK_RETRIES = 3;

    private Resubscribe() {}

    /**
     * @param reason the {@code reason} parameter, or {@code null}
     * @param retryAfterSeconds the {@code retry-after} parameter, or a negative number when absent
     * @param quickRetries immediate retries made in a row so far for this subscription
     * @return how long to wait before subscribing again; empty for never
     */
    static Optional<Duration> after(String reason, int retryAfterSeconds, int quickRetries) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.equals("rejected") || r.equals("noresource") || r.equals("invariant")) {
            return Optional.empty();
        }
        if (retryAfterSeconds >= 0) {
            return Optional.of(Duration.ofSeconds(retryAfterSeconds));
        }
        if (r.equals("deactivated") || r.equals("timeout")) {
            return Optional.of(quickRetries < MAX_QUICK_RETRIES ? Duration.ZERO : LATER);
        }
        return Optional.of(LATER);
    }
}
