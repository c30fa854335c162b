// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    @Test
    void returnsOnceTheConditionHolds() {
        AtomicInteger calls = new AtomicInteger();
        Poll.until(
                Duration.ofSeconds(5), Duration.ofMillis(1), () -> calls.incrementAndGet() >= 3, () -> "three calls");
        assertThat(calls).hasValue(3);
    }

    @Test
    void failsWithTheDescriptionAtTheDeadline() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Poll.until(Duration.ofMillis(100), () -> false, () -> "the impossible"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the impossible");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(100), Duration.ofSeconds(5));
    }
}
