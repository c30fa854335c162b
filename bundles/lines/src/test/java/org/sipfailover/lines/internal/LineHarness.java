// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.dns.embed.DnsResolvers;
import org.sipfailover.dns.embed.EmbeddedResolver;
import org.sipfailover.outbound.embed.EmbeddedFlowManager;
import org.sipfailover.outbound.embed.FlowManagers;

/**
 * Lines as the lines bundle runs them, outside OSGi: the real flow manager (JAIN-SIP on 127.0.0.1), the
 * real resolver, one lane thread in real time, placements kept under the test's folder, events in a list.
 */
final class LineHarness implements AutoCloseable {

    /** An event a line posted. */
    record Posted(String topic, Map<String, Object> properties) {}

    private final ScheduledExecutorService flowThread = Executors.newSingleThreadScheduledExecutor();
    private final ScheduledExecutorService laneThread = Executors.newSingleThreadScheduledExecutor();
    private final EmbeddedResolver resolver = DnsResolvers.create(Map.of());
    final EmbeddedFlowManager flows;
    final ExecutorScheduler lane = new ExecutorScheduler(laneThread, Clock.systemUTC(), Throwable::printStackTrace);
    final PlacementStore store;
    final List<Posted> events = new CopyOnWriteArrayList<>();
    private final List<LineRuntime> lines = new ArrayList<>();

    LineHarness(Path work) throws Exception {
        this(work, 3000);
    }

    /** @param transactionTimeoutMillis the flow manager's, for lines that set none of their own */
    LineHarness(Path work, int transactionTimeoutMillis) throws Exception {
        Map<String, Object> c = new HashMap<>();
        c.put("localAddress", "127.0.0.1");
        c.put("transactionTimeoutMillis", transactionTimeoutMillis);
        flows = FlowManagers.create(
                c,
                work.resolve("data/instance-id"),
                () -> resolver,
                new ExecutorScheduler(flowThread, Clock.systemUTC(), Throwable::printStackTrace));
        store = new PlacementStore(work.resolve("data/placements"));
    }

    /** Starts a line with a policy. */
    LineRuntime start(LineConfig config, FailoverPolicy policy) {
        LineRuntime line =
                new LineRuntime.Builder(config, flows, lane, store, (t, p) -> events.add(new Posted(t, p))).build();
        lines.add(line);
        line.start(policy);
        return line;
    }

    List<Posted> events(String topic) {
        return events.stream().filter(e -> e.topic().equals(topic)).toList();
    }

    @Override
    public void close() {
        lines.forEach(l -> {
            try {
                l.close(LineRuntime.Ending.HAND_OVER)
                        .toCompletableFuture()
                        .get(15, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("line " + l.lineId() + " did not stop", e);
            }
        });
        store.close(5000);
        flows.close();
        resolver.close();
        laneThread.shutdownNow();
        flowThread.shutdownNow();
    }
}
