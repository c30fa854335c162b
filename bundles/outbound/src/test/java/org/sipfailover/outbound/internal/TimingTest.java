// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class TimingTest {

    private final RandomGenerator random = new SplittableRandom(5626);
    private final RecoveryBackoff backoff =
            new RecoveryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofSeconds(1800));

    /** RFC 5626 §4.5's own example: base 30 s, three failures: between 120 and 240 s. */
    @Test
    void recoveryFollowsTheRfcExample() {
        assertThat(backoff.upperBound(3, true)).isEqualTo(Duration.ofSeconds(240));
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.next(3, true, random)).isBetween(Duration.ofSeconds(120), Duration.ofSeconds(240));
        }
    }

    @Test
    void recoveryBaseIsNinetySecondsWhileAnotherFlowWorksAndIsCappedAtMaxTime() {
        assertThat(backoff.upperBound(1, false)).isEqualTo(Duration.ofSeconds(180));
        assertThat(backoff.upperBound(1, true)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.upperBound(6, true)).isEqualTo(Duration.ofSeconds(1800));
        assertThat(backoff.upperBound(1000, false)).isEqualTo(Duration.ofSeconds(1800));
    }

    @Test
    void recoveryWaitsSpreadOverTheWholeRange() {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long s = backoff.next(1, true, random).toMillis();
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        assertThat(min).isLessThan(30_500);
        assertThat(max).isGreaterThan(59_500);
    }

    /** RFC 5626 §4.4.1: keep-alives between 80 % and 100 % of the Flow-Timer, else of the configured interval. */
    @Test
    void keepAlivesAreSentAtEightyToHundredPercent() {
        for (int i = 0; i < 1000; i++) {
            assertThat(KeepAliveTiming.next(Duration.ofSeconds(25), Duration.ofSeconds(120), random))
                    .isBetween(Duration.ofSeconds(20), Duration.ofSeconds(25));
            assertThat(KeepAliveTiming.next(null, Duration.ofSeconds(30), random))
                    .isBetween(Duration.ofSeconds(24), Duration.ofSeconds(30));
        }
    }

    @Test
    void refreshesComeBeforeTheEndAndNoLaterThanHalfWayForShortGrants() {
        assertThat(RefreshTiming.delay(Duration.ofSeconds(3600), Duration.ofSeconds(15)))
                .isEqualTo(Duration.ofSeconds(3585));
        assertThat(RefreshTiming.delay(Duration.ofSeconds(20), Duration.ofSeconds(15)))
                .isEqualTo(Duration.ofSeconds(10));
    }
}
