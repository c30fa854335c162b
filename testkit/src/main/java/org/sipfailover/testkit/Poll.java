// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline: the one way tests wait for something that happens on another
 * thread or in another process.
 */
public final class Poll {

    /** The interval of {@link #until(Duration, BooleanSupplier, Supplier)}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);

    private Poll() {}

    /**
     * Evaluates {@code cond} until it is true, at most until {@code deadline} has passed.
     *
     * @param deadline how long to wait in total
     * @param interval pause between two evaluations
     * @param cond the condition; an exception it throws propagates at once
     * @param whatWeWaitedFor describes the condition, for the failure message; evaluated only on failure
     * @throws AssertionError when the deadline passes (or the thread is interrupted) before {@code cond} is true
     */
    public static void until(
            Duration deadline, Duration interval, BooleanSupplier cond, Supplier<String> whatWeWaitedFor) {
        Objects.requireNonNull(cond, "cond");
        Objects.requireNonNull(whatWeWaitedFor, "whatWeWaitedFor");
        long start = System.nanoTime();
        long budget = deadline.toNanos();
        long pauseMillis = Math.max(1, interval.toMillis());
        while (true) {
            if (cond.getAsBoolean()) {
                return;
            }
            long elapsed = System.nanoTime() - start;
            if (elapsed >= budget) {
                throw new AssertionError("gave up after " + deadline + " waiting for " + whatWeWaitedFor.get());
            }
            try {
                Thread.sleep(Math.min(pauseMillis, Math.max(1, (budget - elapsed) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + whatWeWaitedFor.get(), e);
            }
        }
    }

    /** {@link #until(Duration, Duration, BooleanSupplier, Supplier)} with {@link #DEFAULT_INTERVAL}. */
    public static void until(Duration deadline, BooleanSupplier cond, Supplier<String> whatWeWaitedFor) {
        until(deadline, DEFAULT_INTERVAL, cond, whatWeWaitedFor);
    }
}
