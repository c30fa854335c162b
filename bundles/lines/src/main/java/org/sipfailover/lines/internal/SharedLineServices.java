// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every line of the bundle shares: a few lanes (single threads; each line runs all its work on one of
 * them, chosen by its id, so a line needs no locks and ten thousand lines need no ten thousand threads, while a
 * dead server's thousands of lines move on every core at once), the OPTIONS probes lines share
 * ({@link ServerProbes}), the store of their placements in the bundle's data area, and what lines do when the
 * framework stops. A service of this bundle only (an internal class), for its Line components.
 *
 * <p>Configuration PID {@value #PID}, optional: {@code unregisterOnShutdown} (default {@code true}): when the
 * framework stops (SIGTERM to the launcher, Karaf's {@code shutdown}) every line removes its bindings, as a
 * phone does when switched off; {@code shutdownSeconds} (default 5): how long the framework's stop waits for
 * those unregistrations in all, so that a dead registrar cannot hold a shutdown up; {@code lanes} (default: the
 * number of processors, at most {@value #MAX_LANES}): how many threads run the lines, read when the bundle
 * starts. A bundle stopped or updated alone never unregisters: the next instance of the line takes the bindings
 * over.
 *
 * <p>The component is named after its PID, not after this class, so that what names it (scr:info, management
 * tools) does not change with the code.
 */
@Component(
        name = SharedLineServices.PID,
        service = SharedLineServices.class,
        configurationPid = SharedLineServices.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class SharedLineServices {

    /** The configuration PID of the lines' shared services. */
    public static final String PID = "org.sipfailover.lines";

    private static final Logger LOG = LoggerFactory.getLogger(SharedLineServices.class);

    /** The most lanes {@code lanes} may ask for. */
    static final int MAX_LANES = 64;

    private final List<ScheduledExecutorService> executors = new ArrayList<>();
    private final List<Scheduler> lanes = new ArrayList<>();
    private final ServerProbes probes;
    /** Hands the lines' events to EventAdmin, in the order the lines posted them, off the lanes. */
    private final java.util.concurrent.ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sip-failover-line-events");
        t.setDaemon(true);
        return t;
    });

    private final PlacementStore store;
    private final BundleContext context;
    private volatile boolean unregisterOnShutdown;
    private volatile Duration shutdownBudget;
    /** When the framework's stop must be done with unregistering; set by the first line that stops with it. */
    private Instant shutdownDeadline;

    @Activate
    public SharedLineServices(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        modified(properties);
        int n = lanes(properties.get("lanes"));
        for (int i = 0; i < n; i++) {
            String name = n == 1 ? "sip-failover-lines" : "sip-failover-lines-" + i;
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
            executors.add(executor);
            lanes.add(new ExecutorScheduler(
                    executor, Clock.systemUTC(), e -> LOG.error("a line task failed: {}", e.toString(), e)));
        }
        this.probes = new ServerProbes(lanes.get(0));
        Path dir = context.getDataFile("placements") != null
                ? context.getDataFile("placements").toPath()
                : Path.of(System.getProperty("java.io.tmpdir"), "sip-failover-placements");
        this.store = new PlacementStore(dir);
    }

    /** The number of lanes {@code lanes} asks for; the processors' number when absent or unusable. */
    static int lanes(Object value) {
        int processors = Math.min(Runtime.getRuntime().availableProcessors(), MAX_LANES);
        if (value == null || String.valueOf(value).isBlank()) {
            return processors;
        }
        try {
            int n = Integer.parseInt(String.valueOf(value).strip());
            if (n < 1 || n > MAX_LANES) {
                throw new NumberFormatException("out of range");
            }
            return n;
        } catch (NumberFormatException e) {
            LOG.error("{}: lanes '{}' is not a number from 1 to {}; using {}", PID, value, MAX_LANES, processors);
            return processors;
        }
    }

    @Modified
    void modified(Map<String, Object> properties) {
        if (!lanes.isEmpty() && lanes(properties.get("lanes")) != lanes.size()) {
            LOG.info(
                    "{}: lanes {} applies when the lines bundle starts again; {} lanes run now",
                    PID,
                    properties.get("lanes"),
                    lanes.size());
        }
        Object unregister = properties.getOrDefault("unregisterOnShutdown", "true");
        Object seconds = properties.getOrDefault("shutdownSeconds", "5");
        unregisterOnShutdown = Boolean.parseBoolean(String.valueOf(unregister).strip());
        try {
            long s = Long.parseLong(String.valueOf(seconds).strip());
            if (s < 0) {
                throw new NumberFormatException("negative");
            }
            shutdownBudget = Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            LOG.error("{}: shutdownSeconds '{}' is not a number of seconds; using 5", PID, seconds);
            shutdownBudget = Duration.ofSeconds(5);
        }
    }

    /** Whether lines stopping now should unregister because the framework itself is stopping. */
    boolean shuttingDown() {
        if (!unregisterOnShutdown) {
            return false;
        }
        try {
            return context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING;
        } catch (IllegalStateException e) {
            return true; // the context is no longer valid: the framework is on its way down
        }
    }

    /** What is left of the shutdown's time for unregistering; the first call starts the clock. */
    synchronized Duration shutdownTimeLeft() {
        Instant now = Instant.now();
        if (shutdownDeadline == null) {
            shutdownDeadline = now.plus(shutdownBudget);
        }
        Duration left = Duration.between(now, shutdownDeadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The lane of a line: always the same for the same id, so that a line's old and new runtimes are ordered. */
    Scheduler lane(String lineId) {
        return lanes.get(Math.floorMod(lineId.hashCode(), lanes.size()));
    }

    /** How many lanes run the lines. */
    int laneCount() {
        return lanes.size();
    }

    ServerProbes probes() {
        return probes;
    }

    /** Posts a line event off the lanes; after the bundle stopped, on the caller's thread. */
    void post(Runnable posting) {
        try {
            events.execute(() -> {
                try {
                    posting.run();
                } catch (RuntimeException e) {
                    LOG.debug("a line event could not be posted: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            posting.run();
        }
    }

    PlacementStore store() {
        return store;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        executors.forEach(ScheduledExecutorService::shutdown);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ScheduledExecutorService e : executors) {
            e.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        events.shutdown();
        events.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        // the placements the lines reached must be on disk when the bundle stops (a restart starts from them)
        store.close(5000);
    }
}
