// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sipfailover.testkit.time.VirtualScheduler;

class FinalNotifyWaitTest {

    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final AtomicInteger stops = new AtomicInteger();
    private final FinalNotifyWait wait = new FinalNotifyWait(new Object(), scheduler, stops::incrementAndGet);

    @Test
    void anUnsubscribedDialogIsAnsweredForATransactionsLifeAtMost() {
        assertThat(wait.await(true)).isTrue();

        scheduler.advance(FinalNotifyWait.FINAL_NOTIFY_WAIT.minusMillis(1));
        assertThat(stops).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(stops).hasValue(1);
        assertThat(scheduler.errors()).isEmpty();
    }

    @Test
    void theFinalNotifyEndsTheWaitAndItsTimerNeverRuns() {
        wait.await(true);

        wait.stop();
        scheduler.advance(Duration.ofMinutes(5));

        assertThat(stops).hasValue(1);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void noWaitWhenTheFinalNotifyCameFirstOrNoDialogWasMade() {
        assertThat(wait.await(false)).isFalse();
        wait.notifyCame(false);
        assertThat(wait.await(true)).isTrue();
        wait.stop();

        wait.notifyCame(true);
        wait.notifyCame(false);
        assertThat(wait.await(true)).isFalse();
        assertThat(scheduler.pending()).isZero();
    }
}
