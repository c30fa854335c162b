// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.time.Cancellable;
import org.sipfailover.testkit.time.VirtualScheduler;

/**
 * Servers that answer or are down, played behind a flow manager in virtual time: it records, in order, what a
 * line asks of it, as {@link org.sipfailover.testkit.flows.RecordingFlowManager} does, and answers as the outbound bundle's flows would.
 *
 * <ul>
 * <li>A request (the REGISTER or OPTIONS that opens a flow, a REGISTER, a refresh, an OPTIONS probe) to a server
 *     that is up is answered at once; to one that is down it times out after the flow's transaction time-out.
 * <li>A REGISTER that times out fails its flow ({@code TRANSACTION_TIMEOUT}), as a lost connection does: every
 *     binding over it is lost until the flow recovers. An OPTIONS probe that times out fails nothing.
 * <li>A failed flow tries again after its {@code recoveryBaseAllFailed} (the shortest wait of RFC 5626 §4.5; the
 *     real one draws it at random up to twice that), and registers its bindings again once it is up.
 * <li>A server that goes down is noticed at once by the keep-alive of every RFC 5626 flow to it ({@code
 *     PONG_TIMEOUT}); a flow without SIP outbound has no keep-alive and notices at its next request.
 * </ul>
 */
final class SimulatedServers implements FlowManager {

    /** How long a request to a server that is down goes unanswered when the line sets no time-out of its own. */
    static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(32);

    final List<String> log = new CopyOnWriteArrayList<>();
    private final VirtualScheduler time;
    private final Set<String> down = new HashSet<>();
    private final List<SimFlow> flows = new ArrayList<>();

    SimulatedServers(VirtualScheduler time) {
        this.time = time;
    }

    @Override
    public String instanceId() {
        return "urn:uuid:00000000-0000-0000-0000-000000000002";
    }

    @Override
    public Flow open(FlowSpec spec, FlowListener listener) {
        SimFlow f = new SimFlow(spec, listener);
        flows.add(f);
        log.add("open " + f.name());
        // the first request leaves once the caller holds the flow, as the real flow manager's does
        time.execute(f::connect);
        return f;
    }

    @Override
    public List<Flow> flows() {
        return List.copyOf(flows);
    }

    /** A server stops answering; the keep-alive of each RFC 5626 flow to it notices at once. */
    void kill(String host) {
        down.add(host);
        for (SimFlow f : List.copyOf(flows)) {
            if (f.host().equals(host) && f.spec.outbound() && f.state == FlowState.UP) {
                f.fail(FailureCause.PONG_TIMEOUT, "no pong from " + host);
            }
        }
    }

    /** A server answers again: flows to it see it at their next recovery attempt or request. */
    void revive(String host) {
        down.remove(host);
    }

    /** The recorded requests of one kind ("register", "unregister", "subscribe", "probe", ...), in order. */
    List<String> logged(String verb) {
        return log.stream().filter(s -> s.startsWith(verb + " ")).toList();
    }

    final class SimFlow implements Flow {
        final FlowSpec spec;
        final FlowListener listener;
        final List<SimRegistration> registrations = new ArrayList<>();
        FlowState state = FlowState.CONNECTING;
        /** Counts the flow's connections: what was sent over an earlier one is not answered on this one. */
        private long generation;

        private Cancellable recovery;

        SimFlow(FlowSpec spec, FlowListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        String host() {
            return spec.address().host();
        }

        String name() {
            return host() + " reg-id " + spec.regId();
        }

        private Duration timeout() {
            return spec.transactionTimeout().orElse(DEFAULT_TRANSACTION_TIMEOUT);
        }

        private void emit(FlowEvent.Kind kind, FailureCause cause, String detail) {
            listener.onEvent(new FlowEvent(this, kind, time.now(), cause, null, detail));
        }

        /** Opens the connection, or opens it again after a failure, and registers what it carries. */
        void connect() {
            if (state == FlowState.CLOSED) {
                return;
            }
            state = FlowState.CONNECTING;
            long gen = ++generation;
            if (down.contains(host())) {
                FailureCause cause =
                        registrations.isEmpty() ? FailureCause.PROBE_TIMEOUT : FailureCause.TRANSACTION_TIMEOUT;
                time.schedule(
                        () -> {
                            if (gen == generation) {
                                fail(cause, host() + " did not answer");
                            }
                        },
                        timeout());
                return;
            }
            state = FlowState.UP;
            emit(FlowEvent.Kind.UP, null, name());
            for (SimRegistration r : List.copyOf(registrations)) {
                if (!r.removed) {
                    send(r);
                }
            }
        }

        /** The flow is lost: its bindings with it; it tries again after the recovery wait. */
        void fail(FailureCause cause, String detail) {
            if (state == FlowState.CLOSED || state == FlowState.RECOVERING) {
                return;
            }
            state = FlowState.RECOVERING;
            generation++;
            for (SimRegistration r : registrations) {
                r.registered = false;
                SimulatedServers.cancel(r.refresh);
            }
            emit(FlowEvent.Kind.FAILED, cause, detail);
            recovery = time.schedule(this::connect, spec.recoveryBaseAllFailed());
        }

        /** Sends a registration's REGISTER: answered at once by a registrar that is up, else timed out. */
        void send(SimRegistration r) {
            if (state != FlowState.UP || r.removed) {
                return;
            }
            long gen = generation;
            String registrar = r.request.registrar().host();
            if (down.contains(host()) || down.contains(registrar)) {
                time.schedule(
                        () -> {
                            if (gen == generation && !r.removed) {
                                fail(FailureCause.TRANSACTION_TIMEOUT, "REGISTER to " + registrar + " timed out");
                            }
                        },
                        timeout());
                return;
            }
            r.registered = true;
            emit(FlowEvent.Kind.REGISTERED, null, r.request.aor());
            Duration expires = r.request.expires();
            Duration beforeEnd = expires.minus(r.request.renewBefore());
            Duration half = expires.dividedBy(2);
            r.refresh = time.schedule(
                    () -> {
                        if (gen == generation) {
                            log.add("refresh " + r.request.aor() + " at " + registrar + " over " + name());
                            send(r);
                        }
                    },
                    beforeEnd.compareTo(half) < 0 ? half : beforeEnd);
        }

        @Override
        public FlowSpec spec() {
            return spec;
        }

        @Override
        public FlowState state() {
            return state;
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
            log.add("register " + request.aor() + " at " + request.registrar().host() + " over " + name());
            SimRegistration r = new SimRegistration(this, request);
            registrations.add(r);
            if (state == FlowState.UP) {
                time.execute(() -> send(r));
            }
            return r;
        }

        @Override
        public Subscription subscribe(SubscribeRequest request, SubscriptionListener l) {
            log.add("subscribe " + request.target() + " as " + request.subscriber() + " over " + name());
            return new Subscription() {
                @Override
                public SubscribeRequest request() {
                    return request;
                }

                @Override
                public boolean isActive() {
                    return true;
                }

                @Override
                public CompletionStage<Void> unsubscribe() {
                    log.add("unsubscribe " + request.target() + " as " + request.subscriber() + " over " + name());
                    return CompletableFuture.completedFuture(null);
                }
            };
        }

        @Override
        public CompletionStage<ProbeResult> probe() {
            log.add("probe " + name());
            if (state != FlowState.UP) {
                return CompletableFuture.completedFuture(new ProbeResult(0, null, FailureCause.CONNECTION_REFUSED));
            }
            if (!down.contains(host())) {
                return CompletableFuture.completedFuture(new ProbeResult(200, Duration.ofMillis(1), null));
            }
            CompletableFuture<ProbeResult> unanswered = new CompletableFuture<>();
            time.schedule(() -> unanswered.complete(new ProbeResult(0, null, FailureCause.PROBE_TIMEOUT)), timeout());
            return unanswered;
        }

        @Override
        public void close() {
            if (state == FlowState.CLOSED) {
                return;
            }
            state = FlowState.CLOSED;
            log.add("close " + name());
            SimulatedServers.cancel(recovery);
            registrations.forEach(r -> SimulatedServers.cancel(r.refresh));
        }
    }

    /** A registration kept over a simulated flow. */
    final class SimRegistration implements Registration {
        final SimFlow flow;
        final RegisterRequest request;
        boolean registered;
        boolean removed;
        Cancellable refresh;

        SimRegistration(SimFlow flow, RegisterRequest request) {
            this.flow = flow;
            this.request = request;
        }

        @Override
        public RegisterRequest request() {
            return request;
        }

        @Override
        public boolean isRegistered() {
            return registered;
        }

        @Override
        public Optional<java.time.Instant> expiresAt() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> flowTimer() {
            return Optional.empty();
        }

        @Override
        public boolean outboundAccepted() {
            return flow.spec.outbound();
        }

        @Override
        public CompletionStage<Void> unregister() {
            log.add("unregister " + request.aor() + " at " + request.registrar().host() + " over " + flow.name());
            removed = true;
            registered = false;
            SimulatedServers.cancel(refresh);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void refresh() {
            if (registered && !removed) {
                log.add("refresh " + request.aor() + " at "
                        + request.registrar().host() + " over " + flow.name());
                flow.send(this);
            }
        }
    }

    private static void cancel(Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }
}
