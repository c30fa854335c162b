// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResubscribeTest {

    @ParameterizedTest
    @ValueSource(strings = {"deactivated", "timeout", "DEACTIVATED"})
    void deactivatedAndTimeoutRetryAtOnce(String reason) {
        assertThat(Resubscribe.after(reason, -1, 0)).contains(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rejected", "noresource", "invariant"})
    void rejectedNoresourceAndInvariantNeverRetryEvenWithARetryAfter(String reason) {
        assertThat(Resubscribe.after(reason, -1, 0)).isEmpty();
        assertThat(Resubscribe.after(reason, 5, 0)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"probation", "giveup", "something-new", ""})
    void theOthersRetryAfterTheRetryAfterElseLater(String reason) {
        assertThat(Resubscribe.after(reason, 7, 0)).contains(Duration.ofSeconds(7));
        assertThat(Resubscribe.after(reason, -1, 0)).contains(Resubscribe.LATER);
    }

    @Test
    void noReasonRetriesLater() {
        assertThat(Resubscribe.after(null, -1, 0)).contains(Resubscribe.LATER);
    }

    @Test
    void aRetryAfterHoldsBackEvenAnImmediateRetry() {
        assertThat(Resubscribe.after("deactivated", 3, 0)).contains(Duration.ofSeconds(3));
    }

    @Test
    void immediateRetriesInARowAreSpacedOutAfterSome() {
        for (int i = 0; i < Resubscribe.MAX_QUICK_RETRIES; i++) {
            assertThat(Resubscribe.after("deactivated", -1, i)).contains(Duration.ZERO);
        }
        assertThat(Resubscribe.after("deactivated", -1, Resubscribe.MAX_QUICK_RETRIES))
                .contains(Resubscribe.LATER);
    }
}
