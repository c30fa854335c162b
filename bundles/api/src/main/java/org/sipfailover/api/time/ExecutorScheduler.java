// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link Scheduler} in real time on a caller-supplied executor: what components use outside tests.
 * The caller owns the executor and shuts it down. An exception thrown by a task is handed to the error
 * handler and never reaches the executor, so a periodic or chained task of another component keeps
 * running.
 *
 * <p>It is part of the API, not of an implementation bundle, because it is the standard way a host turns its own
 * executor into the API's {@link Scheduler}, and it needs nothing beyond the JDK.
 */
public final class ExecutorScheduler implements Scheduler {

    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Consumer<Throwable> errorHandler;
    private volatile Instant last = Instant.MIN;

    /**
     * @param executor runs the tasks; owned by the caller
     * @param clock the time source, normally {@link Clock#systemUTC()}
     * @param errorHandler receives what a task throws, e.g. a logger call
     */
    public ExecutorScheduler(ScheduledExecutorService executor, Clock clock, Consumer<Throwable> errorHandler) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
    }

    @Override
    public Instant now() {
        // keep the contract's monotonicity even if the wall clock is stepped back
        Instant n = clock.instant();
        synchronized (this) {
            if (n.isBefore(last)) {
                return last;
            }
            last = n;
            return n;
        }
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        long nanos = Math.max(0, delay.toNanos());
        ScheduledFuture<?> f = executor.schedule(
                () -> {
                    try {
                        task.run();
                    } catch (Throwable t) {
                        errorHandler.accept(t);
                    }
                },
                nanos,
                TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
