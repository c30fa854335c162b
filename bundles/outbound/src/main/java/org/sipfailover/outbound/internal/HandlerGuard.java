// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the handlers of the stack's events: what one throws is logged and counted, never let into the stack's
 * threads, so one flow can never stop another.
 */
final class HandlerGuard {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerGuard.class);

    private final AtomicLong errors = new AtomicLong();

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Runs {@code r}; what it throws is logged and counted. */
    void run(ThrowingRunnable r) {
        try {
            r.run();
        } catch (Exception | LinkageError e) {
            errors.incrementAndGet();
            // the stack trace, not the exception: JAIN-SIP's exception messages may quote whole messages
            LOG.warn("a SIP event handler failed: {}: {}\n{}", e.getClass().getName(), LogText.of(e), stackTrace(e));
        }
    }

    /** Handler failures caught so far. */
    long errors() {
        return errors.get();
    }

    private static String stackTrace(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement el : e.getStackTrace()) {
            sb.append("\tat ").append(el).append('\n');
        }
        return sb.toString();
    }
}
