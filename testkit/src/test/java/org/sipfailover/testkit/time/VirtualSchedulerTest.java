// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.time.Cancellable;

class VirtualSchedulerTest {

    private final VirtualScheduler s = new VirtualScheduler();
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

    private Runnable record(String name) {
        return () -> ran.add(name + "@"
                + Duration.between(VirtualScheduler.DEFAULT_START, s.now()).toSeconds());
    }

    @Test
    void startsAtTheDefaultOrGivenInstant() {
        assertThat(s.now()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        Instant t = Instant.parse("2030-05-06T07:08:09Z");
        assertThat(new VirtualScheduler(t).now()).isEqualTo(t);
    }

    @Test
    void runsDueTasksInTimeOrderWithNowAtTheirDueTime() {
        s.schedule(record("c"), Duration.ofSeconds(30));
        s.schedule(record("a"), Duration.ofSeconds(10));
        s.schedule(record("b1"), Duration.ofSeconds(20));
        s.schedule(record("b2"), Duration.ofSeconds(20));
        s.schedule(record("late"), Duration.ofSeconds(61));

        s.advance(Duration.ofSeconds(60));

        assertThat(ran).containsExactly("a@10", "b1@20", "b2@20", "c@30");
        assertThat(s.now()).isEqualTo(VirtualScheduler.DEFAULT_START.plusSeconds(60));
        assertThat(s.pending()).isEqualTo(1);

        s.advance(Duration.ofSeconds(1));
        assertThat(ran).endsWith("late@61");
        assertThat(s.pending()).isZero();
    }

    @Test
    void nothingRunsBeforeItsTimeNorInline() {
        s.schedule(record("now"), Duration.ZERO);
        s.schedule(record("soon"), Duration.ofMillis(1));
        assertThat(ran).isEmpty();

        s.runDue();
        assertThat(ran).containsExactly("now@0");
        assertThat(s.now()).isEqualTo(VirtualScheduler.DEFAULT_START);
    }

    @Test
    void tasksScheduledByTasksRunInTheSameAdvanceIfDue() {
        s.schedule(
                () -> {
                    record("outer").run();
                    s.schedule(record("inner+5"), Duration.ofSeconds(5));
                    s.schedule(record("inner+0"), Duration.ZERO);
                    s.schedule(record("inner+100"), Duration.ofSeconds(100));
                },
                Duration.ofSeconds(10));
        s.schedule(record("other"), Duration.ofSeconds(12));

        s.advance(Duration.ofSeconds(20));

        assertThat(ran).containsExactly("outer@10", "inner+0@10", "other@12", "inner+5@15");
        assertThat(s.pending()).isEqualTo(1);
    }

    @Test
    void cancelledTaskDoesNotRun() {
        Cancellable c = s.schedule(record("cancelled"), Duration.ofSeconds(1));
        Cancellable kept = s.schedule(record("kept"), Duration.ofSeconds(2));

        assertThat(c.cancel()).isTrue();
        assertThat(c.cancel()).isFalse();
        assertThat(s.pending()).isEqualTo(1);

        s.advance(Duration.ofSeconds(5));
        assertThat(ran).containsExactly("kept@2");
        assertThat(kept.cancel()).as("cancel after it ran").isFalse();
    }

    @Test
    void aTaskCanCancelALaterOne() {
        Cancellable[] later = new Cancellable[1];
        s.schedule(() -> later[0].cancel(), Duration.ofSeconds(1));
        later[0] = s.schedule(record("later"), Duration.ofSeconds(2));

        s.advance(Duration.ofSeconds(3));
        assertThat(ran).isEmpty();
    }

    @Test
    void exceptionsAreCollectedAndOtherTasksStillRun() {
        RuntimeException boom = new IllegalStateException("boom");
        s.schedule(
                () -> {
                    throw boom;
                },
                Duration.ofSeconds(1));
        s.schedule(record("after"), Duration.ofSeconds(2));

        s.advance(Duration.ofSeconds(2));

        assertThat(ran).containsExactly("after@2");
        assertThat(s.errors()).containsExactly(boom);
    }

    @Test
    void negativeDelayCountsAsZero() {
        s.advance(Duration.ofSeconds(10));
        s.schedule(record("overdue"), Duration.ofSeconds(-5));
        s.runDue();
        assertThat(ran).containsExactly("overdue@10");
    }

    @Test
    void advancingFromATaskIsAnErrorAndTimeDoesNotGoBack() {
        s.schedule(() -> s.advance(Duration.ofSeconds(1)), Duration.ofSeconds(1));
        s.advance(Duration.ofSeconds(1));
        assertThat(s.errors()).singleElement().isInstanceOf(IllegalStateException.class);

        assertThatThrownBy(() -> s.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.advanceTo(VirtualScheduler.DEFAULT_START))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsTasksFromOtherThreads() throws InterruptedException {
        Thread t = new Thread(() -> {
            for (int i = 0; i < 1000; i++) {
                s.schedule(() -> ran.add("x"), Duration.ofMillis(i));
            }
        });
        t.start();
        t.join();
        s.advance(Duration.ofSeconds(1));
        assertThat(ran).hasSize(1000);
        assertThat(s.pending()).isZero();
    }

    @Test
    void executeRunsAtTheNextRunDue() {
        s.execute(record("exec"));
        s.runDue();
        assertThat(ran).containsExactly("exec@0");
    }
}
