// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubscriptionExpiryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final SubscriptionExpiry expiry = new SubscriptionExpiry();

    @Test
    void aGrantIsCountedFromItsAnswer() {
        assertThat(expiry.granted(T0, Duration.ofSeconds(600), T0.minusSeconds(1)))
                .isEqualTo(T0.plusSeconds(600));
    }

    @Test
    void aNotifyAfterTheSubscribeLeftThatSaidSoonerWinsOverTheGrant() {
        Instant sent = T0;
        assertThat(expiry.notified(T0.plusSeconds(1), 120)).isEqualTo(T0.plusSeconds(121));

        assertThat(expiry.granted(T0.plusSeconds(2), Duration.ofSeconds(600), sent))
                .isEqualTo(T0.plusSeconds(121));
    }

    @Test
    void aNotifyBeforeTheSubscribeLeftSaysNothingOfItsGrant() {
        expiry.notified(T0, 120);

        assertThat(expiry.granted(T0.plusSeconds(2), Duration.ofSeconds(600), T0.plusSeconds(1)))
                .isEqualTo(T0.plusSeconds(602));
    }

    @Test
    void onlyASoonerEndMoves() {
        assertThat(expiry.refreshDelay(T0, T0.plusSeconds(600))).isEqualTo(Duration.ofSeconds(570));

        assertThat(expiry.notified(T0, 900)).isNull();
        assertThat(expiry.notified(T0, 600)).isNull();
        assertThat(expiry.notified(T0, 300)).isEqualTo(T0.plusSeconds(300));
        assertThat(expiry.notified(T0, 400)).isNull();
    }

    @Test
    void aNewDialogForgetsWhatWasSaid() {
        expiry.notified(T0, 60);
        expiry.clear();

        assertThat(expiry.notified(T0, 900)).isEqualTo(T0.plusSeconds(900));
    }

    /** RFC 6665 §4.1.2.2 leaves the timing to us: 30 s ahead, half-way for short grants, at once when over. */
    @Test
    void theRefreshComesBeforeTheEnd() {
        assertThat(expiry.refreshDelay(T0, T0.plusSeconds(3600))).isEqualTo(Duration.ofSeconds(3570));
        assertThat(expiry.refreshDelay(T0, T0.plusSeconds(40))).isEqualTo(Duration.ofSeconds(20));
        assertThat(expiry.refreshDelay(T0, T0.minusSeconds(5))).isZero();
    }
}
