package org.sipfailover.lines.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.time.Clock;
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
 * What every line of the bundle shares: one lane (a single thread that runs every line's work, so a line
 * needs no locks and a thousand lines need no thousand threads), the store of their placements in the
 * bundle's data area, and what lines do when the framework stops. A service of this bundle only (an internal
 * class), for its Line components.
 *
 * <p>Configuration PID {@value #PID}, optional: {@code unregisterOnShutdown} (default {@code true}): when the
 * framework stops (SIGTERM to the launcher, Karaf's {@code shutdown}) every line removes its bindings, as a
 * phone does when switched off; {@code shutdownSeconds} (default 5): how long the framework's stop waits for
 * those unregistrations in all, so that a dead registrar cannot hold a shutdown up. A bundle stopped or updated
 * alone never unregisters: the next instance of the line takes the bindings over.
 */
@Component(service = LinesRuntime.class, configurationPid = LinesRuntime.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class LinesRuntime {

    /** The configuration PID of the lines' shared runtime. */
    public static final String PID = "org.sipfailover.lines";

    private static final Logger LOG = LoggerFactory.getLogger(LinesRuntime.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sip-failover-lines");
        t.setDaemon(true);
        return t;
    });
    private final Scheduler lane = new ExecutorScheduler(executor, Clock.systemUTC(),
            e -> LOG.error("a line task failed: {}", e.toString(), e));
    private final PlacementStore store;
    private final BundleContext context;
    private volatile boolean unregisterOnShutdown;
    private volatile Duration shutdownBudget;
    /** When the framework's stop must be done with unregistering; set by the first line that stops with it. */
    private Instant shutdownDeadline;

    @Activate
    public LinesRuntime(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        modified(properties);
        Path dir = context.getDataFile("placements") != null ? context.getDataFile("placements").toPath()
                : Path.of(System.getProperty("java.io.tmpdir"), "sip-failover-placements");
        this.store = new PlacementStore(dir);
    }

    @Modified
    void modified(Map<String, Object> properties) {
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

    Scheduler lane() {
        return lane;
    }

    PlacementStore store() {
        return store;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        // the placements the lines reached must be on disk when the bundle stops (a restart starts from them)
        store.close(5000);
    }
}
