// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls with a deadline inside the framework, where the testkit's {@code Poll} is not available (the testkit
 * stays on the driver side).
 */
final class Await {

    private static final long INTERVAL_MILLIS = 20;

    private Await() {}

    /**
     * Evaluates {@code value} until {@code done} accepts it.
     *
     * @return the accepted value
     * @throws AssertionError naming {@code what} and the last value when {@code deadline} passes first
     */
    static <T> T until(Duration deadline, Supplier<T> value, Predicate<T> done, String what) {
        return until(deadline, value, done, () -> what);
    }

    /** As {@link #until(Duration, Supplier, Predicate, String)}, with {@code what} told at the deadline. */
    static <T> T until(Duration deadline, Supplier<T> value, Predicate<T> done, Supplier<String> what) {
        long end = System.nanoTime() + deadline.toNanos();
        T last;
        while (true) {
            last = value.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() >= end) {
                throw new AssertionError(
                        "gave up after " + deadline + " waiting for " + what.get() + "; last: " + last);
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what.get(), e);
            }
        }
    }
}
