// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.flow.SubscribeRequest;
import org.sipfailover.api.flow.Subscription;
import org.sipfailover.api.flow.SubscriptionListener;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.SubscriptionState;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line's subscription dialogs, moved to follow the active binding, the resources they name, and the state their
 * NOTIFYs report (kept in the views, announced as events).
 *
 * <p>They move to the active binding's proxy once that binding is registered, new dialog first, then the old
 * one ended. Owned by the lane.
 */
final class SubscriptionMover implements LineFlows.Carrier {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionMover.class);

    /** One subscription dialog, the flow that carries it, and whether it is being ended. */
    private final class Slot implements SubscriptionListener {
        final SubscriptionConfig config;
        final LineFlows.Slot flow;
        final String subscriber;
        Subscription subscription;
        boolean ending;

        Slot(SubscriptionConfig config, LineFlows.Slot flow, String subscriber) {
            this.config = config;
            this.flow = flow;
            this.subscriber = subscriber;
        }

        @Override
        public void onNotify(Subscription s, String contentType, byte[] body) {
            onNotify(s, null, contentType, body);
        }

        @Override
        public void onNotify(Subscription s, String subscriptionState, String contentType, byte[] body) {
            LOG.debug("line {}: NOTIFY for {} ({} bytes)", line.id(), config.target(), body.length);
            line.onLane(() -> notified(this, subscriptionState, contentType, body));
        }

        @Override
        public void onTerminated(Subscription s, String reason) {
            LOG.info("line {}: subscription to {} ended: {}", line.id(), config.target(), reason);
        }
    }

    private final LineContext line;
    private final LineFlows flows;
    private final LineViews views;
    private final List<Slot> subscriptions = new ArrayList<>();
    /** The last NOTIFY of each configured subscription; kept across moves, as the resource is the same. */
    private final Map<SubscriptionConfig, SubscriptionState> states = new HashMap<>();

    SubscriptionMover(LineContext line, LineFlows flows, LineViews views) {
        this.line = line;
        this.flows = flows;
        this.views = views;
    }

    /** On the lane: keeps and publishes the state a NOTIFY reports, then announces it. */
    private void notified(Slot s, String subscriptionState, String contentType, byte[] body) {
        if (line.closed() || s.ending || !subscriptions.contains(s)) {
            return; // a NOTIFY of a dialog being replaced: the new dialog's own NOTIFY says what is true now
        }
        SubscriptionState state =
                NotifyReader.read(line.id(), s.config, subscriptionState, contentType, body, line.now());
        states.put(s.config, state);
        publishStates();
        views.post(LineEvents.TOPIC_NOTIFY, NotifyReader.event(state));
    }

    /** Publishes the states of the configured subscriptions, in the configuration's order. */
    private void publishStates() {
        List<SubscriptionState> out = new ArrayList<>();
        for (SubscriptionConfig c : line.config().subscriptions()) {
            SubscriptionState st = states.get(c);
            if (st != null) {
                out.add(st);
            }
        }
        views.publishSubscriptions(out);
    }

    /**
     * Moves the configured subscriptions to the active binding's first hop once that binding is in
     * {@code live}, and ends those no longer configured; with no active binding, ends them all.
     */
    void reconcile(Placement current, Set<Binding> live) {
        if (states.keySet().retainAll(line.config().subscriptions())) {
            publishStates();
        }
        Optional<Binding> active = current.activeBinding();
        if (active.isEmpty()) {
            for (Slot s : List.copyOf(subscriptions)) {
                end(s);
            }
            return;
        }
        LineConfig config = line.config();
        Binding a = active.get();
        ServerRef hop = a.outboundProxy() != null
                ? ServerRef.of(ServerRole.OUTBOUND_PROXY, a.outboundProxy())
                : ServerRef.of(ServerRole.PROXY, a.proxy());
        LineFlows.Key key = flows.keyOf(hop, a.regId());
        String subscriber = config.aor(a.proxy());
        for (SubscriptionConfig c : config.subscriptions()) {
            Slot existing = null;
            for (Slot s : subscriptions) {
                if (!s.ending && s.config.equals(c)) {
                    existing = s;
                }
            }
            if (existing != null
                    && existing.flow.key.equals(key)
                    && existing.subscriber.equals(subscriber)
                    && flows.isOpen(existing.flow)) {
                continue;
            }
            // the subscriptions follow the registration: they move once the active binding is registered, so
            // that the notifier's NOTIFYs find the line where it is registered
            if (!live.contains(a)) {
                continue;
            }
            LineFlows.Slot slot = flows.flowFor(hop, a.regId());
            if (slot == null) {
                continue;
            }
            Slot s = new Slot(c, slot, subscriber);
            s.subscription = slot.flow.subscribe(
                    new SubscribeRequest(
                            c.kind().eventPackage(),
                            resource(c.target(), subscriber),
                            subscriber,
                            config.credentials().orElse(null),
                            c.period()),
                    s);
            subscriptions.add(s);
            LOG.info("line {}: subscribed to {} ({}) over {}", line.id(), c.target(), c.kind(), key);
            if (existing != null) {
                end(existing);
            }
        }
        for (Slot s : List.copyOf(subscriptions)) {
            if (!s.ending && !config.subscriptions().contains(s.config)) {
                end(s);
            }
        }
    }

    /**
     * The URI a subscription's target stands for. A target with a scheme ({@code sip:bob@example.test}) is one
     * already; {@code bob@example.test} gets {@code sip:}; a bare user or number ({@code 1002}, as the vendor files
     * give them) is at the domain of the active proxy, the host of the subscriber's AOR ({@link SubscriptionConfig}).
     */
    static String resource(String target, String subscriberAor) {
        String t = target.strip();
        if (t.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return t;
        }
        if (t.indexOf('@') >= 0) {
            return "sip:" + t;
        }
        return "sip:" + t + "@" + subscriberAor.substring(subscriberAor.indexOf('@') + 1);
    }

    private void end(Slot s) {
        if (s.ending) {
            return;
        }
        s.ending = true;
        s.subscription
                .unsubscribe()
                .whenComplete((v, e) -> line.onLane(() -> {
                    subscriptions.remove(s);
                    flows.closeIdle();
                }));
    }

    @Override
    public void forget(LineFlows.Slot flow) {
        subscriptions.removeIf(s -> s.flow == flow);
    }

    @Override
    public void addFlowsInUse(Set<LineFlows.Slot> used) {
        subscriptions.forEach(s -> used.add(s.flow));
    }

    /** Ends every subscription, for a line that ends so; adds the unsubscriptions to {@code removals}. */
    void unsubscribeAll(List<CompletableFuture<Void>> removals) {
        for (Slot s : subscriptions) {
            if (s.subscription != null) {
                removals.add(s.subscription.unsubscribe().toCompletableFuture());
            }
        }
    }
}
