// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.dns.embed.DnsResolvers;
import org.sipfailover.dns.embed.EmbeddedResolver;
import org.sipfailover.testkit.Configs;

/**
 * A flow manager in real time on 127.0.0.1 with a real resolver, as the tests against real peers use it;
 * its instance-id kept under the test's folder.
 */
final class RealTimeFlowManager implements AutoCloseable {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final EmbeddedResolver resolver = DnsResolvers.create(Map.of());
    final FlowManagerCore manager;

    /** @param config {@link OutboundConfig} elements that differ from the defaults */
    RealTimeFlowManager(Path work, Map<String, ?> config) throws IOException {
        Map<String, Object> c = new HashMap<>(config);
        c.putIfAbsent("localAddress", "127.0.0.1");
        manager = new FlowManagerCore(
                Configs.of(OutboundConfig.class, c),
                work.resolve("data/instance-id"),
                () -> resolver,
                new ExecutorScheduler(executor, Clock.systemUTC(), Throwable::printStackTrace),
                new SplittableRandom());
    }

    @Override
    public void close() {
        manager.close();
        resolver.close();
        executor.shutdownNow();
    }
}
