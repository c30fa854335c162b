// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.flows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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
import org.sipfailover.api.time.Scheduler;

/**
 * A flow manager that does no SIP, standing in for the real one where a test or a benchmark wants the line's own
 * work only. It records, in order, what its owner asks of it ("open 127.0.0.2 reg-id 1", "register
 * sip:1001@127.0.0.2 at 127.0.0.2 over 127.0.0.2 reg-id 1", "unregister ...", "close ...") and reports what a real
 * flow reports, in the real order: a flow starts {@link FlowState#CONNECTING}; on its first turn of the scheduler a
 * flow with nothing to register comes {@link FlowEvent.Kind#UP UP} (its OPTIONS answered); a REGISTER answered 200
 * brings {@code UP} (once, when the flow becomes up) and then {@code REGISTERED} for each binding; a failure is
 * {@code FAILED} in state {@link FlowState#RECOVERING} with every binding lost; a removal ends with {@code
 * UNREGISTERED}; {@link Flow#close()} ends with {@code CLOSED}. Events reach the listeners on the scheduler, as the
 * real flow manager delivers them.
 *
 * <p>{@link #scripted} lets the test play the registrars ({@link RecordedFlow#registered()}, {@link
 * RecordedFlow#failed()}); {@link #instant} answers every REGISTER 200 on the scheduler's next turn and records
 * nothing, for benchmarks that measure the line alone. OPTIONS probes and removals are answered at once in both.
 */
public final class RecordingFlowManager implements FlowManager {

    /** The instance-id every recording flow manager reports. */
    public static final String INSTANCE_ID = "urn:uuid:00000000-0000-0000-0000-000000000001";

    private final Scheduler scheduler;
    private final boolean answerAtOnce;
    private final boolean record;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<RecordedFlow> opened = new CopyOnWriteArrayList<>();
    private final Set<RecordedFlow> open = ConcurrentHashMap.newKeySet();
    private volatile Duration probeRoundTrip = Duration.ofMillis(1);

    private RecordingFlowManager(Scheduler scheduler, boolean answerAtOnce, boolean record) {
        this.scheduler = scheduler;
        this.answerAtOnce = answerAtOnce;
        this.record = record;
    }

    /** Records everything; a REGISTER waits for the test to play its answer. Events go through {@code scheduler}. */
    public static RecordingFlowManager scripted(Scheduler scheduler) {
        return new RecordingFlowManager(scheduler, false, true);
    }

    /** Answers every REGISTER 200 on the scheduler's next turn, and records nothing (no log to grow). */
    public static RecordingFlowManager instant(Scheduler scheduler) {
        return new RecordingFlowManager(scheduler, true, false);
    }

    /** What the owner asked so far, in order; the test may clear it. Empty for an {@link #instant} manager. */
    public List<String> log() {
        return log;
    }

    /** Every flow opened so far, closed ones too, in the order they were opened; none for {@link #instant}. */
    public List<RecordedFlow> opened() {
        return List.copyOf(opened);
    }

    /** How long the servers take to answer an OPTIONS probe from now on. */
    public void probeRoundTrip(Duration roundTrip) {
        this.probeRoundTrip = roundTrip;
    }

    /** The first open flow to a host. */
    public RecordedFlow flowTo(String host) {
        return opened.stream()
                .filter(f ->
                        f.state() != FlowState.CLOSED && f.spec.address().host().equals(host))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no open flow to " + host + "; log " + log));
    }

    @Override
    public String instanceId() {
        return INSTANCE_ID;
    }

    @Override
    public Flow open(FlowSpec spec, FlowListener listener) {
        // RFC 5626 §4.2: one reg-id per first hop, as the real flow manager enforces
        if (spec.regId() != 0
                && open.stream()
                        .anyMatch(f -> f.spec.lineId().equals(spec.lineId())
                                && f.spec.regId() == spec.regId()
                                && f.spec.address().equals(spec.address()))) {
            throw new IllegalArgumentException("flow for line " + spec.lineId() + ": reg-id " + spec.regId()
                    + " is already in use towards " + spec.address());
        }
        RecordedFlow f = new RecordedFlow(spec, listener);
        if (record) {
            // only when recording: a benchmark opens flows for as long as it runs
            opened.add(f);
        }
        open.add(f);
        record("open " + f.name());
        // as the real flow connects: after its owner's current task, so that what it registers meanwhile goes first
        scheduler.execute(f::connect);
        return f;
    }

    @Override
    public List<Flow> flows() {
        return List.copyOf(open);
    }

    private void record(String entry) {
        if (record) {
            log.add(entry);
        }
    }

    /** One flow of a {@link RecordingFlowManager}; its registrar's answers are the test's to play. */
    public final class RecordedFlow implements Flow {
        private final FlowSpec spec;
        private final FlowListener listener;
        private final List<RecordedRegistration> registrations = new CopyOnWriteArrayList<>();
        private volatile FlowState state = FlowState.CONNECTING;

        RecordedFlow(FlowSpec spec, FlowListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        /** How the log names this flow: "127.0.0.2 reg-id 1". */
        public String name() {
            return spec.address().host() + " reg-id " + spec.regId();
        }

        /**
         * The registrar answers 200 to every binding over this flow (the flow connected or recovered): {@code UP}
         * if the flow was not up, then {@code REGISTERED} for each binding. Without bindings the flow comes up.
         */
        public synchronized void registered() {
            if (state == FlowState.CLOSED) {
                return;
            }
            up();
            registrations.forEach(r -> r.answered(false));
        }

        /**
         * The server dies: the flow fails and waits out its RFC 5626 §4.5 recovery back-off, every binding over it
         * lost; a removal under way ends. A later {@link #registered()} plays the recovery.
         */
        public void failed() {
            synchronized (this) {
                if (state == FlowState.CLOSED || state == FlowState.RECOVERING) {
                    return;
                }
                state = FlowState.RECOVERING;
            }
            registrations.forEach(RecordedRegistration::flowLost);
            emit(FlowEvent.Kind.FAILED, FailureCause.CONNECTION_RESET, name());
        }

        private synchronized void connect() {
            if (state != FlowState.CONNECTING) {
                return;
            }
            if (registrations.isEmpty()) {
                up(); // nothing to register: an OPTIONS request, answered at once, proves the server
            } else if (answerAtOnce) {
                registered();
            }
        }

        private void up() {
            if (state != FlowState.UP) {
                state = FlowState.UP;
                emit(FlowEvent.Kind.UP, null, name());
            }
        }

        private void emit(FlowEvent.Kind kind, FailureCause cause, String detail) {
            FlowEvent e = new FlowEvent(this, kind, scheduler.now(), cause, null, detail);
            scheduler.execute(() -> listener.onEvent(e));
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
            record("register " + request.aor() + " at " + request.registrar().host() + " over " + name());
            RecordedRegistration r = new RecordedRegistration(request);
            registrations.add(r);
            if (answerAtOnce && state == FlowState.UP) {
                scheduler.execute(() -> {
                    synchronized (this) {
                        r.answered(true);
                    }
                });
            }
            return r;
        }

        @Override
        public Subscription subscribe(SubscribeRequest request, SubscriptionListener subscriptionListener) {
            record("subscribe " + request.target() + " as " + request.subscriber() + " over " + name());
            return new Subscription() {
                private volatile boolean active = true;

                @Override
                public SubscribeRequest request() {
                    return request;
                }

                @Override
                public boolean isActive() {
                    return active;
                }

                @Override
                public CompletionStage<Void> unsubscribe() {
                    record("unsubscribe " + request.target() + " as " + request.subscriber() + " over " + name());
                    active = false;
                    return CompletableFuture.completedFuture(null);
                }
            };
        }

        @Override
        public CompletionStage<ProbeResult> probe() {
            record("probe " + name());
            return CompletableFuture.completedFuture(new ProbeResult(200, probeRoundTrip, null));
        }

        @Override
        public void close() {
            record("close " + name());
            synchronized (this) {
                if (state == FlowState.CLOSED) {
                    return;
                }
                state = FlowState.CLOSED;
            }
            registrations.forEach(RecordedRegistration::stop);
            open.remove(this);
            emit(FlowEvent.Kind.CLOSED, null, "closed by its owner");
        }

        /** A binding over a {@link RecordedFlow}. */
        final class RecordedRegistration implements Registration {
            private final RegisterRequest request;
            private volatile boolean registered;
            /** Removed or stopped: nothing more is sent for it. */
            private volatile boolean done;

            RecordedRegistration(RegisterRequest request) {
                this.request = request;
            }

            /** A 200 to this binding's REGISTER; {@code bringUp}: the flow comes up with it, if it was not. */
            void answered(boolean bringUp) {
                if (done || state == FlowState.CLOSED || state == FlowState.RECOVERING && bringUp) {
                    return;
                }
                if (bringUp) {
                    up();
                }
                registered = true;
                emit(FlowEvent.Kind.REGISTERED, null, request.aor());
            }

            void flowLost() {
                registered = false;
            }

            void stop() {
                done = true;
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
            public Optional<Instant> expiresAt() {
                return Optional.empty();
            }

            @Override
            public Optional<Duration> flowTimer() {
                return Optional.empty();
            }

            @Override
            public boolean outboundAccepted() {
                return spec.outbound();
            }

            @Override
            public CompletionStage<Void> unregister() {
                record("unregister " + request.aor() + " at "
                        + request.registrar().host() + " over " + name());
                if (!done) {
                    // the registrar answers the removal at once (or, over a lost flow, there is nothing to remove)
                    done = true;
                    registered = false;
                    registrations.remove(this);
                    emit(FlowEvent.Kind.UNREGISTERED, null, request.aor());
                }
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void refresh() {
                if (registered && !done) {
                    record("refresh " + request.aor() + " at "
                            + request.registrar().host() + " over " + name());
                    if (answerAtOnce) {
                        scheduler.execute(() -> answered(false));
                    }
                }
            }
        }
    }
}
