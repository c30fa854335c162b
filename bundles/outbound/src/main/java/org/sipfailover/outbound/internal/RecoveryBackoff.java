// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * RFC 5626 §4.5: how long to wait before trying to recover a failed flow. The upper bound is
 * {@code min(max-time, base-time * 2^consecutive-failures)}, and the wait is drawn uniformly between
 * half of it and all of it, so that many clients that lost the same server do not return at once.
 * base-time is 30 s when every flow of the instance has failed and 90 s when another still works.
 */
final class RecoveryBackoff {

    private final Duration baseAllFailed;
    private final Duration baseSomeOk;
    private final Duration max;

    RecoveryBackoff(Duration baseAllFailed, Duration baseSomeOk, Duration max) {
        this.baseAllFailed = baseAllFailed;
        this.baseSomeOk = baseSomeOk;
        this.max = max;
    }

    /** The upper bound of the wait after {@code consecutiveFailures} (1 or more) failures. */
    Duration upperBound(int consecutiveFailures, boolean allFlowsFailed) {
        Duration base = allFlowsFailed ? baseAllFailed : baseSomeOk;
        int n = Math.max(1, consecutiveFailures);
        // 2^n overflows nothing here: beyond 2^20 the bound is max-time whatever the base
        if (n >= 20) {
            return max;
        }
        long millis = base.toMillis() << n;
        return millis >= max.toMillis() ? max : Duration.ofMillis(millis);
    }

    /** The wait: uniformly between 50 % and 100 % of {@link #upperBound}. */
    Duration next(int consecutiveFailures, boolean allFlowsFailed, RandomGenerator random) {
        long upper = upperBound(consecutiveFailures, allFlowsFailed).toMillis();
        long lower = upper / 2;
        return Duration.ofMillis(lower + random.nextLong(upper - lower + 1));
    }
}
