// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import org.sipfailover.api.time.Cancellable;
import org.sipfailover.api.time.Scheduler;

/**
 * How long an unsubscribed dialog's NOTIFYs are still answered (RFC 6665 §4.1.2.3, §4.4.1): the notifier ends
 * the dialog with a NOTIFY (terminated) after the unsubscribe; until it comes, or for a transaction's life at
 * most, it is answered 200, not 481.
 */
final class FinalNotifyWait {

    /** How long NOTIFYs of an ended dialog are still answered 200: 64 * T1, the life of a transaction. */
    static final Duration FINAL_NOTIFY_WAIT = Duration.ofSeconds(32);

    private final Object lock;
    private final Scheduler scheduler;
    private final Runnable stopListening;
    // guarded by lock
    private boolean finalNotifyCame;
    private Cancellable timer;

    /**
     * @param lock the subscription's lock, which guards the wait
     * @param stopListening stops the subscription listening for NOTIFYs; called without the lock
     */
    FinalNotifyWait(Object lock, Scheduler scheduler, Runnable stopListening) {
        this.lock = lock;
        this.scheduler = scheduler;
        this.stopListening = stopListening;
    }

    /** A NOTIFY came after the unsubscribe; {@code terminated}: the final one. Under the lock. */
    void notifyCame(boolean terminated) {
        finalNotifyCame |= terminated;
    }

    /**
     * The subscription is over: whether to go on listening for the final NOTIFY of its dialog, if it made one,
     * until it comes or the wait ends. Under the lock.
     *
     * @return whether it waits; if not, the caller stops listening ({@link #stop()}) once out of the lock
     */
    boolean await(boolean dialogMade) {
        boolean wait = dialogMade && !finalNotifyCame;
        if (wait) {
            timer = scheduler.schedule(this::stop, FINAL_NOTIFY_WAIT);
        }
        return wait;
    }

    /** Stops listening for NOTIFYs now, the wait cancelled if one was running. Not under the lock. */
    void stop() {
        synchronized (lock) {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }
        stopListening.run();
    }
}
