// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.time;

import java.time.Duration;
import java.time.Instant;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The clock and timer every component of the product uses: keep-alive intervals, pong deadlines,
 * registration refreshes, back-off, DNS TTLs, failback hold-offs. Nothing reads the system clock or
 * starts a timer of its own, so that the same logic runs in real time in production and in virtual time
 * in tests (a 30-minute back-off tested in milliseconds).
 *
 * <p>Implementations are thread-safe. Tasks run one at a time or concurrently as the implementation
 * chooses; a task must not block for long, and its exceptions must not stop the scheduler or other
 * tasks.
 */
@ConsumerType
public interface Scheduler {

    /** The current time according to this scheduler. Monotonic: never goes back. */
    Instant now();

    /**
     * Runs {@code task} once after {@code delay}.
     *
     * @param task what to run; an exception it throws is reported and does not affect other tasks
     * @param delay zero or positive
     * @return a handle to cancel the task before it runs
     */
    Cancellable schedule(Runnable task, Duration delay);

    /** Runs {@code task} as soon as possible, on the scheduler's thread(s). */
    default Cancellable execute(Runnable task) {
        return schedule(task, Duration.ZERO);
    }
}
