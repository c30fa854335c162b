// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.line.SubscriptionState;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.ServerHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a line shows: the snapshots readers get, the transition history, and the events it posts.
 *
 * <p>Written on the lane only; the snapshots are immutable and published through volatile fields.
 */
final class LineViews {

    private static final Logger LOG = LoggerFactory.getLogger(LineViews.class);
    /** How many transitions {@link #transitions()} keeps. */
    static final int TRANSITION_HISTORY = 64;

    private final LineContext line;
    private final LineRuntime.EventSink events;
    private final ArrayDeque<LineTransition> history = new ArrayDeque<>();
    private boolean wasRegistered;
    /** The placement the last REGISTERED event announced. */
    private Placement registeredPlacement = Placement.NONE;

    private volatile Placement placement = Placement.NONE;
    private volatile Set<Binding> live = Set.of();
    private volatile Map<ServerRef, ServerHealth> health = Map.of();
    private volatile List<LineTransition> transitions = List.of();
    private volatile List<SubscriptionState> subscriptions = List.of();

    LineViews(LineContext line, LineRuntime.EventSink events) {
        this.line = line;
        this.events = Objects.requireNonNull(events, "events");
    }

    Placement placement() {
        return placement;
    }

    Set<Binding> live() {
        return live;
    }

    Map<ServerRef, ServerHealth> health() {
        return health;
    }

    List<LineTransition> transitions() {
        return transitions;
    }

    List<SubscriptionState> subscriptions() {
        return subscriptions;
    }

    /** Publishes the last state of each subscription. */
    void publishSubscriptions(List<SubscriptionState> states) {
        subscriptions = List.copyOf(states);
    }

    /** Publishes a new snapshot of the line. */
    void publish(Placement current, Set<Binding> liveBindings, Map<ServerRef, ServerHealth> healthNow) {
        placement = current;
        live = Set.copyOf(liveBindings);
        health = healthNow;
        transitions = List.copyOf(history);
    }

    /** Publishes the servers' health alone, when nothing else changed. */
    void publishHealth(Map<ServerRef, ServerHealth> healthNow) {
        health = healthNow;
    }

    /** Adds a transition to the history, which keeps the last {@value #TRANSITION_HISTORY}. */
    void record(LineTransition t) {
        history.addLast(t);
        while (history.size() > TRANSITION_HISTORY) {
            history.removeFirst();
        }
    }

    /**
     * Posts REGISTERED when every binding of the placement became registered, and UNREGISTERED when the announced
     * placement lost one; a placement that changed meanwhile had its TRANSITION event, and nothing more is said.
     */
    void registered(boolean registered, Placement current) {
        if (registered == wasRegistered) {
            return;
        }
        wasRegistered = registered;
        if (registered) {
            registeredPlacement = current;
            post(LineEvents.TOPIC_REGISTERED, Map.of(LineEvents.TO, current.toString()));
        } else if (current.equals(registeredPlacement)) {
            post(
                    LineEvents.TOPIC_UNREGISTERED,
                    Map.of(LineEvents.CAUSE, "not every binding of " + current + " is registered"));
        }
        // else the placement changed: a TRANSITION event said so, and the old bindings stay until the new
        // ones are registered
    }

    /** Posts a line event, with the line's id and the lane's time; a failing sink never fails the line. */
    void post(String topic, Map<String, Object> properties) {
        Map<String, Object> p = new HashMap<>(properties);
        p.put(LineEvents.LINE_ID, line.id());
        p.put(LineEvents.TIMESTAMP, line.now().toEpochMilli());
        try {
            events.post(topic, p);
        } catch (RuntimeException e) {
            LOG.debug("line {}: could not post {}: {}", line.id(), topic, e.toString());
        }
    }
}
