// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.embed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.line.SubscriptionState;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.time.Scheduler;
import org.sipfailover.lines.internal.LineConfigChanges;
import org.sipfailover.lines.internal.LineRuntime;
import org.sipfailover.lines.internal.PlacementStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the bundle's line runtimes without OSGi. The lines of one factory share its placement store: one folder,
 * one writer thread that keeps each line's placement on disk (atomically) so that a restart continues where the
 * line was. {@link #close()} the factory after its lines.
 */
@ProviderType
public final class LineFactory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LineFactory.class);

    /** How long {@link #close()} waits for the placements, and a restarting line for its old self to stop. */
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final PlacementStore store;

    private LineFactory(Path placementDirectory) {
        this.store = new PlacementStore(Objects.requireNonNull(placementDirectory, "placementDirectory"));
    }

    /**
     * A factory whose lines keep their placements in this folder.
     *
     * @param placementDirectory created when a placement is first written
     */
    public static LineFactory open(Path placementDirectory) {
        return new LineFactory(placementDirectory);
    }

    /**
     * A line, not started yet: {@link EmbeddedLine#start} it with its policy.
     *
     * @param config the line's configuration
     * @param flows the flow manager the line's flows are opened on
     * @param resolver the current resolver, read when the line looks its server up again for {@code dns-ttl}
     *     failback; may give {@code null}
     * @param lane a serial scheduler: the line's tasks never run concurrently; lines may share one
     * @param events receives each line event (topic, properties) on the lane, so it must return quickly; the
     *     topics and property names are those of {@link org.sipfailover.api.line.LineEvents}
     */
    public EmbeddedLine create(
            LineConfig config,
            FlowManager flows,
            Supplier<ServerResolver> resolver,
            Scheduler lane,
            BiConsumer<String, Map<String, Object>> events) {
        Objects.requireNonNull(events, "events");
        return new Handle(config, flows, resolver, lane, events);
    }

    /** Waits (at most 15 s) until every placement saved so far is on disk, then stops the writer thread. */
    @Override
    public void close() {
        store.close(WAIT.toMillis());
    }

    private LineRuntime newRuntime(
            LineConfig config,
            FlowManager flows,
            Supplier<ServerResolver> resolver,
            Scheduler lane,
            BiConsumer<String, Map<String, Object>> events) {
        return new LineRuntime.Builder(config, flows, lane, store, events::accept)
                .resolver(resolver)
                .build();
    }

    private static LineRuntime.Ending ending(LineEnding e) {
        return switch (e) {
            case HAND_OVER -> LineRuntime.Ending.HAND_OVER;
            case SHUT_DOWN -> LineRuntime.Ending.SHUT_DOWN;
            case DELETE -> LineRuntime.Ending.DELETE;
        };
    }

    /** A line: its runtime, replaced by a new one when a configuration change cannot be applied in place. */
    private final class Handle implements EmbeddedLine {

        private final FlowManager flows;
        private final Supplier<ServerResolver> resolver;
        private final Scheduler lane;
        private final BiConsumer<String, Map<String, Object>> events;
        private volatile LineRuntime runtime;
        /**
         * The configuration last given. Changes are decided from it, never from the runtime's, which takes a new
         * configuration on its lane, later.
         */
        private LineConfig config;
        /** The policy last handed to the line. */
        private FailoverPolicy policy;

        private boolean started;
        private boolean closed;

        Handle(
                LineConfig config,
                FlowManager flows,
                Supplier<ServerResolver> resolver,
                Scheduler lane,
                BiConsumer<String, Map<String, Object>> events) {
            this.flows = flows;
            this.resolver = resolver;
            this.lane = lane;
            this.events = events;
            this.config = config;
            this.runtime = newRuntime(config, flows, resolver, lane, events);
        }

        @Override
        public synchronized void start(FailoverPolicy initialPolicy) {
            policy = initialPolicy;
            started = true;
            runtime.start(initialPolicy);
        }

        @Override
        public synchronized void swapPolicy(FailoverPolicy next) {
            policy = next;
            runtime.swapPolicy(next);
        }

        @Override
        public synchronized void reconfigure(LineConfig next, FailoverPolicy nextPolicy) {
            LineRuntime running = runtime;
            LineConfig before = config;
            if (!before.id().equals(next.id())) {
                throw new IllegalArgumentException("id: '" + next.id() + "' is not line '" + before.id() + "'");
            }
            if (closed) {
                throw new IllegalStateException("line " + before.id() + " is closed");
            }
            config = next;
            switch (LineConfigChanges.of(before, next)) {
                case NEW_LINE -> {
                    LOG.info("line {}: servers or identity changed; starting it again", next.id());
                    restart(running, LineRuntime.Ending.DELETE, next, nextPolicy);
                }
                case NEW_FLOWS -> {
                    LOG.info(
                            "line {}: flow or registration timers changed; moving its bindings to new flows",
                            next.id());
                    restart(running, LineRuntime.Ending.HAND_OVER, next, nextPolicy);
                }
                case IN_PLACE -> {
                    running.reconfigure(next);
                    if (nextPolicy != policy) {
                        policy = nextPolicy;
                        running.swapPolicy(nextPolicy);
                    }
                }
            }
        }

        private void restart(
                LineRuntime running, LineRuntime.Ending ending, LineConfig next, FailoverPolicy nextPolicy) {
            try {
                running.close(ending).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn(
                        "line {}: still unregistering after {} ms; left to finish on its own",
                        running.lineId(),
                        WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.warn(
                        "line {}: did not stop cleanly: {}",
                        running.lineId(),
                        e.getCause().toString());
            }
            LineRuntime fresh = newRuntime(next, flows, resolver, lane, events);
            runtime = fresh;
            policy = nextPolicy;
            if (started) {
                fresh.start(policy);
            }
        }

        @Override
        public synchronized CompletionStage<Void> close(LineEnding ending) {
            closed = true;
            return runtime.close(ending(ending));
        }

        @Override
        public String lineId() {
            return runtime.lineId();
        }

        @Override
        public LineConfig config() {
            return runtime.config();
        }

        @Override
        public Placement placement() {
            return runtime.placement();
        }

        @Override
        public Set<Binding> liveBindings() {
            return runtime.liveBindings();
        }

        @Override
        public boolean isRegistered() {
            return runtime.isRegistered();
        }

        @Override
        public String policyName() {
            return runtime.policyName();
        }

        @Override
        public Map<ServerRef, ServerHealth> health() {
            return runtime.health();
        }

        @Override
        public List<LineTransition> transitions() {
            return runtime.transitions();
        }

        @Override
        public List<SubscriptionState> subscriptions() {
            return runtime.subscriptions();
        }

        @Override
        public void forceFailover() {
            runtime.forceFailover();
        }

        @Override
        public void forceFailback() {
            runtime.forceFailback();
        }

        @Override
        public void setCallInProgress(boolean inProgress) {
            runtime.setCallInProgress(inProgress);
        }

        @Override
        public String toString() {
            return runtime.toString();
        }
    }
}
