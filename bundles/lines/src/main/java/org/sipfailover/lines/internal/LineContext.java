// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.time.Cancellable;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parts of one line share: its configuration, its lane, and whether the line is closed.
 *
 * <p>The configuration is volatile for readers on any thread; it changes, and {@link #closed()} is read and
 * set, on the lane only.
 */
final class LineContext {

    private static final Logger LOG = LoggerFactory.getLogger(LineContext.class);

    private final Scheduler lane;
    private volatile LineConfig config;
    private boolean closed;

    LineContext(LineConfig config, Scheduler lane) {
        this.config = Objects.requireNonNull(config, "config");
        this.lane = Objects.requireNonNull(lane, "lane");
    }

    LineConfig config() {
        return config;
    }

    void config(LineConfig next) {
        config = next;
    }

    String id() {
        return config.id();
    }

    Scheduler lane() {
        return lane;
    }

    Instant now() {
        return lane.now();
    }

    Cancellable schedule(Runnable task, Duration delay) {
        return lane.schedule(task, delay);
    }

    boolean closed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    /** Runs work on the lane; a failure is logged there, and work handed over after the lane stopped is dropped. */
    void onLane(Runnable r) {
        try {
            lane.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.error("line {}: {}", config.id(), e.toString(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the lines bundle is stopping: a late flow event or probe answer has nowhere to go, and needs none
            LOG.debug("line {}: dropped work after the lane stopped", config.id());
        }
    }

    static void cancel(Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }
}
