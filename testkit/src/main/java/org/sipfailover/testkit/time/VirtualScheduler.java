// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import org.sipfailover.api.time.Cancellable;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} in virtual time for unit tests: time stands still until the test calls
 * {@link #advance(Duration)}, which runs the tasks that fall due, in due-time order, on the calling
 * thread. A 30-minute back-off is thus tested in microseconds and deterministically.
 *
 * <p>Tasks may be scheduled from any thread. What a task throws, an {@link AssertionError} included, is
 * collected in {@link #errors()} and does not stop the other tasks, as the {@link Scheduler} contract
 * requires; a test should therefore check {@link #errors()}.
 */
public final class VirtualScheduler implements Scheduler {

    /** Where virtual time starts unless told otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private static final Logger LOG = LoggerFactory.getLogger(VirtualScheduler.class);

    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.seq));
    private final List<Throwable> errors = new ArrayList<>();
    private Instant now;
    private long nextSeq;
    private Thread runner;

    /** Starts at {@link #DEFAULT_START}. */
    public VirtualScheduler() {
        this(DEFAULT_START);
    }

    /** @param start the initial value of {@link #now()} */
    public VirtualScheduler(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    /**
     * Queues {@code task} to run when virtual time reaches {@code now() + delay}. A negative delay counts
     * as zero, as with the real scheduler, so that code computing "deadline minus now" behaves the same in
     * tests. A task due now runs at the next {@link #runDue()} or {@link #advance(Duration)}, never inline.
     */
    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        Duration d = delay.isNegative() ? Duration.ZERO : delay;
        Task t = new Task(task, now.plus(d), nextSeq++);
        queue.add(t);
        return t;
    }

    /**
     * Moves virtual time forward by {@code duration}, running every task that falls due on the way, in
     * due-time order (ties in scheduling order), with {@link #now()} set to each task's due time while it
     * runs. Tasks scheduled by those tasks run too if they fall due within the window. Afterwards
     * {@link #now()} is the old time plus {@code duration}.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if called from a task
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + duration);
        }
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        runUntil(target);
    }

    /** Advances to {@code instant}, as {@link #advance(Duration)}; an instant in the past is an error. */
    public void advanceTo(Instant instant) {
        synchronized (this) {
            if (instant.isBefore(now)) {
                throw new IllegalArgumentException("time does not go back: " + instant + " < " + now);
            }
        }
        runUntil(instant);
    }

    /** Runs the tasks already due (including those they schedule with no delay) without moving time. */
    public void runDue() {
        runUntil(now());
    }

    /** The number of tasks queued and not cancelled. */
    public synchronized int pending() {
        return queue.size();
    }

    /** What tasks have thrown so far, oldest first; a copy. */
    public synchronized List<Throwable> errors() {
        return List.copyOf(errors);
    }

    private void runUntil(Instant target) {
        synchronized (this) {
            // a task advancing time itself would interleave two timelines; refuse rather than confuse
            if (runner == Thread.currentThread()) {
                throw new IllegalStateException("advance()/runDue() called from a task");
            }
        }
        while (true) {
            Task t;
            synchronized (this) {
                Task head = queue.peek();
                if (head == null || head.due.isAfter(target)) {
                    if (target.isAfter(now)) {
                        now = target;
                    }
                    return;
                }
                queue.poll();
                head.state = State.RUNNING;
                if (head.due.isAfter(now)) {
                    now = head.due;
                }
                runner = Thread.currentThread();
                t = head;
            }
            // run without the lock so that another thread can schedule or read now() meanwhile
            try {
                t.task.run();
            } catch (Throwable e) {
                LOG.debug("task {} threw", t.task, e);
                synchronized (this) {
                    errors.add(e);
                }
            } finally {
                synchronized (this) {
                    t.state = State.DONE;
                    runner = null;
                }
            }
        }
    }

    private enum State {
        QUEUED,
        RUNNING,
        DONE,
        CANCELLED
    }

    private final class Task implements Cancellable {
        final Runnable task;
        final Instant due;
        final long seq;
        State state = State.QUEUED; // guarded by the scheduler

        Task(Runnable task, Instant due, long seq) {
            this.task = task;
            this.due = due;
            this.seq = seq;
        }

        @Override
        public boolean cancel() {
            synchronized (VirtualScheduler.this) {
                if (state != State.QUEUED) {
                    return false;
                }
                state = State.CANCELLED;
                queue.remove(this);
                return true;
            }
        }
    }
}
