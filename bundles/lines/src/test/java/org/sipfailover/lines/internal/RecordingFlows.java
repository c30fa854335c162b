// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.sipfailover.api.net.FailureCause;

/**
 * A flow manager that does no SIP: it records, in order, what a line asks of it ("open 127.0.0.2:5060 reg-id
 * 1", "register sip:1001@127.0.0.2", "unregister ...", "close ..."), and lets the test play the servers'
 * answers. For the reconciler's order of work in virtual time; the tests against real registrars show the
 * same work on the wire.
 */
final class RecordingFlows implements FlowManager {

    final List<String> log = new CopyOnWriteArrayList<>();
    final List<FakeFlow> flows = new ArrayList<>();
    /** How long the servers take to answer an OPTIONS probe. */
    volatile Duration probeRoundTrip = Duration.ofMillis(1);

    @Override
    public String instanceId() {
        return "urn:uuid:00000000-0000-0000-0000-000000000001";
    }

    @Override
    public Flow open(FlowSpec spec, FlowListener listener) {
        FakeFlow f = new FakeFlow(spec, listener);
        flows.add(f);
        log.add("open " + f.name());
        return f;
    }

    @Override
    public List<Flow> flows() {
        return List.copyOf(flows);
    }

    /** The open flow to a host. */
    FakeFlow flowTo(String host) {
        return flows.stream()
                .filter(f -> !f.closed && f.spec.address().host().equals(host))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no open flow to " + host + "; log " + log));
    }

    final class FakeFlow implements Flow {
        final FlowSpec spec;
        final FlowListener listener;
        final List<FakeRegistration> registrations = new ArrayList<>();
        boolean closed;
        FlowState state = FlowState.UP;

        FakeFlow(FlowSpec spec, FlowListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        String name() {
            return spec.address().host() + " reg-id " + spec.regId();
        }

        void emit(FlowEvent.Kind kind, FailureCause cause, Instant at) {
            listener.onEvent(new FlowEvent(this, kind, at, cause, null, name()));
        }

        /** The registrar answers 200 to every registration on this flow. */
        void registered(Instant at) {
            registrations.forEach(r -> r.registered = !r.removed);
            emit(FlowEvent.Kind.UP, null, at);
            emit(FlowEvent.Kind.REGISTERED, null, at);
        }

        /** The server dies and the flow waits out its RFC 5626 recovery back-off. */
        void recovering(Instant at) {
            state = FlowState.RECOVERING;
            failed(at);
        }

        /** The server dies: every binding over this flow is lost. */
        void failed(Instant at) {
            registrations.forEach(r -> r.registered = false);
            emit(FlowEvent.Kind.FAILED, FailureCause.CONNECTION_RESET, at);
        }

        @Override
        public FlowSpec spec() {
            return spec;
        }

        @Override
        public FlowState state() {
            return closed ? FlowState.CLOSED : state;
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
            FakeRegistration r = new FakeRegistration(request);
            registrations.add(r);
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
            return CompletableFuture.completedFuture(new ProbeResult(200, probeRoundTrip, null));
        }

        @Override
        public void close() {
            closed = true;
            log.add("close " + name());
        }

        final class FakeRegistration implements Registration {
            final RegisterRequest request;
            boolean registered;
            boolean removed;

            FakeRegistration(RegisterRequest request) {
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
                log.add("unregister " + request.aor() + " at "
                        + request.registrar().host() + " over " + name());
                removed = true;
                registered = false;
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void refresh() {
                if (registered && !removed) {
                    log.add("refresh " + request.aor() + " at "
                            + request.registrar().host() + " over " + name());
                }
            }
        }
    }
}
