// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.api.time.Scheduler;
import org.sipfailover.dns.embed.DnsResolvers;
import org.sipfailover.dns.embed.EmbeddedResolver;
import org.sipfailover.lines.embed.LineFactory;
import org.sipfailover.outbound.embed.EmbeddedFlowManager;
import org.sipfailover.outbound.embed.FlowManagers;
import org.sipfailover.policy.embed.Policies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sip-failover in a plain-Java host: one DNS resolver, one flow manager (one SIP stack, RFC 5626 flows) with a
 * thread of its own, the failover policies, and lines that share one lane (one thread). Made by {@link
 * #builder()}; {@link #close()} unregisters the lines and stops everything.
 *
 * <p>Thread-safe. Line events go to the {@link Builder#onEvent event sink} on the lines' thread.
 */
@ProviderType
public final class SipFailover implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipFailover.class);

    private final ScheduledExecutorService flowThread;
    private final ScheduledExecutorService lineThread;
    private final EmbeddedResolver resolver;
    private final EmbeddedFlowManager flows;
    private final LineFactory lineFactory;
    private final Scheduler lane;
    private final Map<String, FailoverPolicy> policies;
    private final BiConsumer<String, Map<String, Object>> events;
    private final Duration stopWait;
    /** The lines by id, in the order they were added; guarded by {@code this}. */
    private final Map<String, RunningLine> lines = new LinkedHashMap<>();

    private boolean closed;

    private SipFailover(Builder b) throws IOException {
        this.policies = Map.copyOf(b.policies);
        this.events = b.events;
        this.stopWait = b.stopWait;
        this.resolver = b.dnsServers.isEmpty()
                ? DnsResolvers.system()
                : DnsResolvers.create(Map.of("servers", b.dnsServers.toArray(String[]::new)));
        // the flow manager's timers run on one thread of ours; the instance-id file must outlive the process
        // (RFC 5626 §4.1: the same +sip.instance after a restart)
        this.flowThread = thread("sip-failover-flows");
        Scheduler flowTimers =
                new ExecutorScheduler(flowThread, Clock.systemUTC(), e -> LOG.error("flow task failed", e));
        Map<String, Object> outbound = new LinkedHashMap<>(b.outbound);
        outbound.put("localAddress", b.localAddress);
        try {
            this.flows =
                    FlowManagers.create(outbound, b.dataDirectory.resolve("instance-id"), () -> resolver, flowTimers);
        } catch (IOException | RuntimeException e) {
            flowThread.shutdownNow();
            resolver.close();
            throw e;
        }
        // the lines' work runs on one serial lane; their placements are kept in files, so that a restart
        // continues where each line was
        this.lineThread = thread("sip-failover-line");
        this.lane = new ExecutorScheduler(lineThread, Clock.systemUTC(), e -> LOG.error("line task failed", e));
        this.lineFactory = LineFactory.open(b.dataDirectory.resolve("placements"));
    }

    /** A builder with the defaults: local address 127.0.0.1, the system's DNS servers, the built-in policies. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds a line and starts it with the policy its configuration names: it registers in the background.
     *
     * @throws IllegalArgumentException when a line with that id is already here, or no policy has the name the
     *     configuration gives
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized Line addLine(LineConfig config) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (lines.containsKey(config.id())) {
            throw new IllegalArgumentException("id: line '" + config.id() + "' is already running");
        }
        FailoverPolicy policy = policy(config.policy());
        RunningLine line = new RunningLine(this, lineFactory.create(config, flows, () -> resolver, lane, events));
        lines.put(config.id(), line);
        line.start(policy);
        return line;
    }

    /** The running lines, in the order they were added: a snapshot. */
    public synchronized Collection<Line> lines() {
        return List.copyOf(lines.values());
    }

    /**
     * Unregisters every line and waits for that (all together, at most the builder's stop wait), then stops the
     * flow manager, the resolver and the threads, in that order. The lines' placements stay saved for the next
     * start. Idempotent. Not to be called from the event sink: the lines' thread would wait for itself.
     */
    @Override
    public void close() {
        List<RunningLine> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = List.copyOf(lines.values());
            lines.clear();
        }
        try {
            List<CompletableFuture<Void>> stops = new ArrayList<>();
            for (RunningLine l : running) {
                stops.add(l.stop());
            }
            await(CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)), running.size() + " lines");
        } finally {
            lineFactory.close(); // the saved placements on disk before the process ends
            flows.close();
            resolver.close();
            lineThread.shutdownNow();
            flowThread.shutdownNow();
        }
    }

    /** The policy with this name. */
    FailoverPolicy policy(String name) {
        FailoverPolicy p = policies.get(name);
        if (p == null) {
            throw new IllegalArgumentException("policy: '" + name + "' is none of " + policies.keySet());
        }
        return p;
    }

    /** Forgets a line that closed itself. */
    synchronized void remove(RunningLine line) {
        lines.remove(line.lineId(), line);
    }

    /** Waits for a line's stop at most the stop wait; a line that takes longer is left to finish on its own. */
    void await(CompletableFuture<Void> stop, String what) {
        try {
            stop.get(stopWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: still unregistering after {}; stopping anyway", what, stopWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("{}: did not stop cleanly: {}", what, e.getCause().toString());
        }
    }

    private static ScheduledExecutorService thread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The settings of a {@link SipFailover}; not thread-safe. */
    public static final class Builder {

        private Path dataDirectory;
        private String localAddress = "127.0.0.1";
        private List<String> dnsServers = List.of();
        private BiConsumer<String, Map<String, Object>> events = (topic, properties) -> {};
        private final Map<String, Object> outbound = new LinkedHashMap<>();
        private final Map<String, FailoverPolicy> policies = new LinkedHashMap<>();
        private Duration stopWait = Duration.ofSeconds(15);

        private Builder() {
            Policies.all().forEach(p -> policies.put(p.name(), p));
        }

        /**
         * Required: where the instance-id ({@code instance-id}, kept across restarts, RFC 5626 §4.1) and the
         * lines' saved placements ({@code placements/}) are kept.
         */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = Objects.requireNonNull(dir, "dataDirectory");
            return this;
        }

        /** The IP address the SIP stack binds to and puts in Via and Contact; 127.0.0.1 unless set. */
        public Builder localAddress(String address) {
            this.localAddress = Objects.requireNonNull(address, "localAddress");
            return this;
        }

        /** {@code host} or {@code host:port} of each DNS server, tried in order; none (the default): the system's. */
        public Builder dnsServers(String... servers) {
            this.dnsServers = List.of(servers);
            return this;
        }

        /**
         * Where line events go: topic and properties as {@link org.sipfailover.api.line.LineEvents} names them.
         * Called on the lines' thread, so it must return quickly; an exception it throws is caught and stops nothing.
         */
        public Builder onEvent(BiConsumer<String, Map<String, Object>> sink) {
            this.events = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Another setting of the flow manager, by its key in the configuration of {@link
         * org.sipfailover.api.flow.FlowManager#PID} ({@code tcpPort}, {@code transactionTimeoutMillis}, ...);
         * {@link #localAddress} has its own method.
         */
        public Builder flowSetting(String key, Object value) {
            outbound.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A policy of the host's own, or one that replaces the built-in policy of the same {@code policy.name}. */
        public Builder policy(FailoverPolicy policy) {
            policies.put(policy.name(), policy);
            return this;
        }

        /** How long {@link SipFailover#close()} and {@link Line#close()} wait for unregistrations; 15 s unless set. */
        public Builder stopWait(Duration wait) {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("stopWait: " + wait + " is negative");
            }
            this.stopWait = wait;
            return this;
        }

        /**
         * Starts the resolver and the flow manager (its SIP stack binds its ports now) and the threads.
         *
         * @throws IllegalStateException when no data directory was given
         * @throws IllegalArgumentException naming the setting when the SIP stack cannot start with the settings
         * @throws IOException when the instance-id cannot be kept in the data directory
         */
        public SipFailover build() throws IOException {
            if (dataDirectory == null) {
                throw new IllegalStateException("dataDirectory: not set");
            }
            return new SipFailover(this);
        }
    }
}
