// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to send the next keep-alive on a flow (RFC 5626 §4.4.1): when the registrar gave a Flow-Timer,
 * at a random point between 80 % and 100 % of it; otherwise at the same fraction of the configured
 * interval (Aastra's "SIP outbound keep alive timer"), so that flows opened together do not ping together.
 */
final class KeepAliveTiming {

    private KeepAliveTiming() {}

    /**
     * @param flowTimer the registrar's Flow-Timer, or {@code null} when it sent none
     * @param configured the configured interval
     */
    static Duration next(Duration flowTimer, Duration configured, RandomGenerator random) {
        long basis = (flowTimer != null ? flowTimer : configured).toMillis();
        long lower = basis * 8 / 10;
        return Duration.ofMillis(lower + random.nextLong(basis - lower + 1));
    }
}
