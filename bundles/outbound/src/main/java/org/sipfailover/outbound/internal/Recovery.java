// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.time.Cancellable;
import org.sipfailover.api.time.Scheduler;

/**
 * A flow's recovery (RFC 5626 §4.5): its failures in a row, where and when it tries next, and that attempt's
 * timer. Its flow calls it under the flow's lock; the failure count alone is also read without it.
 */
final class Recovery {

    private final RecoveryBackoff backoff;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    /** Volatile for the manager's lock-free scans over all flows ({@link FlowImpl#isFailedNow}). */
    private volatile int consecutiveFailures;

    private Cancellable task;

    Recovery(RecoveryBackoff backoff, Scheduler scheduler, RandomGenerator random) {
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.random = random;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The flow is up: the next failure is a first one again. */
    void succeeded() {
        consecutiveFailures = 0;
    }

    /**
     * Whether a failure is the connection's or the target's, so that the server's next target may do better;
     * a server that answered (503, a refusal, a failed login) or a name that did not resolve is no better
     * through another of its targets.
     */
    static boolean transportTrouble(FailureCause cause) {
        return cause != FailureCause.SERVICE_UNAVAILABLE
                && cause != FailureCause.DNS_FAILURE
                && cause != FailureCause.AUTHENTICATION_FAILED
                && cause != FailureCause.REJECTED;
    }

    /**
     * Counts a failure and schedules the next attempt: the server's next target at once after transport
     * trouble, else the whole server again after the back-off, or after the server's Retry-After if longer.
     *
     * @param othersFailed whether every other flow of the instance has failed too
     * @param nextTarget runs the attempt at the cursor's next target
     * @param wholeServer runs the attempt that resolves the server again
     * @return the wait before the next attempt
     */
    Duration plan(
            FailureCause cause,
            Duration retryAfter,
            boolean othersFailed,
            TargetCursor cursor,
            Runnable nextTarget,
            Runnable wholeServer) {
        consecutiveFailures++;
        Duration wait;
        boolean walk = transportTrouble(cause) && cursor.advance();
        if (walk) {
            wait = Duration.ZERO;
        } else {
            wait = backoff.next(consecutiveFailures, othersFailed, random);
            if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
                wait = retryAfter;
            }
            cursor.end();
        }
        task = scheduler.schedule(walk ? nextTarget : wholeServer, wait);
        return wait;
    }

    void cancel() {
        if (task != null) {
            task.cancel();
        }
        task = null;
    }
}
