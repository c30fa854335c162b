// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.lines;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowListener;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.flow.ProbeResult;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.flow.SubscribeRequest;
import org.sipfailover.api.flow.Subscription;
import org.sipfailover.api.flow.SubscriptionListener;
import org.sipfailover.testkit.time.VirtualScheduler;

/**
 * A flow manager that does no SIP: flows are up at once, and every REGISTER is answered 200 at the next turn
 * of the virtual scheduler. What remains to measure is the line's own work: decide, reconcile, write the
 * placement, publish the events.
 */
final class InstantFlows implements FlowManager {

    private final VirtualScheduler time;
    private final List<Flow> flows = new CopyOnWriteArrayList<>();

    InstantFlows(VirtualScheduler time) {
        this.time = time;
    }

    @Override
    public String instanceId() {
        return "urn:uuid:00000000-0000-0000-0000-000000000001";
    }

    @Override
    public Flow open(FlowSpec spec, FlowListener listener) {
        InstantFlow f = new InstantFlow(spec, listener);
        flows.add(f);
        time.schedule(() -> f.emit(FlowEvent.Kind.UP), Duration.ZERO);
        return f;
    }

    @Override
    public List<Flow> flows() {
        return List.copyOf(flows);
    }

    private final class InstantFlow implements Flow {
        private final FlowSpec spec;
        private final FlowListener listener;
        private volatile boolean closed;

        InstantFlow(FlowSpec spec, FlowListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        void emit(FlowEvent.Kind kind) {
            if (!closed) {
                listener.onEvent(new FlowEvent(
                        this, kind, time.now(), null, null, spec.address().toString()));
            }
        }

        @Override
        public FlowSpec spec() {
            return spec;
        }

        @Override
        public FlowState state() {
            return closed ? FlowState.CLOSED : FlowState.UP;
        }

        @Override
        public Optional<ResolvedTarget> target() {
            return Optional.empty();
        }

        @Override
        public Duration keepAliveInterval() {
            return spec.keepAliveInterval();
        }

        @Override
        public Registration register(RegisterRequest request) {
            boolean[] state = {false, false};
            time.schedule(
                    () -> {
                        state[0] = !state[1];
                        emit(FlowEvent.Kind.REGISTERED);
                    },
                    Duration.ZERO);
            return new Registration() {
                @Override
                public RegisterRequest request() {
                    return request;
                }

                @Override
                public boolean isRegistered() {
                    return state[0];
                }

                @Override
                public Optional<Instant> expiresAt() {
                    return Optional.empty();
                }

                @Override
                public Optional<Duration> flowTimer() {
                    return Optional.empty();
                }

                @Override
                public boolean outboundAccepted() {
                    return true;
                }

                @Override
                public CompletionStage<Void> unregister() {
                    state[0] = false;
                    state[1] = true;
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public void refresh() {
                    // registered at once and for good: nothing to send again
                }
            };
        }

        @Override
        public Subscription subscribe(SubscribeRequest request, SubscriptionListener l) {
            throw new UnsupportedOperationException("no subscriptions in this benchmark");
        }

        @Override
        public CompletionStage<ProbeResult> probe() {
            return CompletableFuture.completedFuture(new ProbeResult(200, Duration.ofMillis(1), null));
        }

        @Override
        public void close() {
            closed = true;
            flows.remove(this);
        }
    }
}
