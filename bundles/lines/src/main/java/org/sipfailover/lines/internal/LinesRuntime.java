package org.sipfailover.lines.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every line of the bundle shares: one lane (a single thread that runs every line's work, so a line
 * needs no locks and a thousand lines need no thousand threads) and the store of their placements in the
 * bundle's data area. A service of this bundle only (an internal class), for its Line components.
 */
@Component(service = LinesRuntime.class)
public final class LinesRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(LinesRuntime.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sip-failover-lines");
        t.setDaemon(true);
        return t;
    });
    private final Scheduler lane = new ExecutorScheduler(executor, Clock.systemUTC(),
            e -> LOG.error("a line task failed: {}", e.toString(), e));
    private final PlacementStore store;

    @Activate
    public LinesRuntime(BundleContext context) {
        Path dir = context.getDataFile("placements") != null ? context.getDataFile("placements").toPath()
                : Path.of(System.getProperty("java.io.tmpdir"), "sip-failover-placements");
        this.store = new PlacementStore(dir);
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
    }
}
