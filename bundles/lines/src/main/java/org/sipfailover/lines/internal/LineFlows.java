// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A line's flows: one per first-hop address and reg-id, opened when first wanted, closed when idle; lane-owned. */
final class LineFlows {

    private static final Logger LOG = LoggerFactory.getLogger(LineFlows.class);

    /** A flow of this line: to one server address, with one reg-id. */
    record Key(ServerAddress address, int regId) {}

    /** One flow of the line, and the unregistrations it still carries. */
    static final class Slot {
        final Key key;
        final ServerRef server;
        Flow flow;
        /** Unregistrations under way over this flow: it stays open until they end. */
        int pendingRemovals;

        Slot(Key key, ServerRef server) {
            this.key = key;
            this.server = server;
        }
    }

    /** What a flow carries (bindings, subscriptions): forgotten with a flow that closes, keeping it open otherwise. */
    interface Carrier {
        /** Forgets what a closed flow carried: the next reconcile makes again what is still wanted. */
        void forget(Slot flow);

        /** Adds the flows in use to {@code used}. */
        void addFlowsInUse(Set<Slot> used);
    }

    /** Hears the events of the line's open flows, on the lane. */
    @FunctionalInterface
    interface Listener {
        void onFlowEvent(Slot slot, FlowEvent e);
    }

    private final LineContext line;
    private final FlowManager flows;
    private final LineServers servers;
    private Listener listener;
    private final Map<Key, Slot> slots = new LinkedHashMap<>();
    private List<Carrier> carriers = List.of();

    LineFlows(LineContext line, FlowManager flows, LineServers servers) {
        this.line = line;
        this.flows = Objects.requireNonNull(flows, "flows");
        this.servers = servers;
    }

    /** Names who hears the flows and what they carry, once, when the line is put together. */
    void wire(Listener listener, Carrier... carriers) {
        this.listener = listener;
        this.carriers = List.of(carriers);
    }

    /** The key of the flow to a server with a reg-id. */
    Key keyOf(ServerRef server, int regId) {
        return new Key(servers.address(server), regId);
    }

    /** The line's flow to a server with a reg-id, opened if there is none; {@code null} if it cannot be opened. */
    Slot flowFor(ServerRef server, int regId) {
        Key key = keyOf(server, regId);
        Slot slot = slots.get(key);
        if (slot != null) {
            return slot;
        }
        Slot created = new Slot(key, server);
        try {
            FlowSpec spec = FlowSpec.forLine(line.config(), server, regId)
                    .outbound(regId != 0)
                    .build();
            created.flow = flows.open(
                    spec,
                    e -> line.onLane(() -> {
                        // a closed line, or a flow it has closed meanwhile, has nothing more to hear
                        if (!line.closed() && isOpen(created)) {
                            listener.onFlowEvent(created, e);
                        }
                    }));
        } catch (IllegalArgumentException e) {
            LOG.error("line {}: cannot open a flow to {}: {}", line.id(), server, e.getMessage());
            return null;
        }
        slots.put(key, created);
        return created;
    }

    /** Whether a slot is still the line's flow for its key. */
    boolean isOpen(Slot slot) {
        return slots.get(slot.key) == slot;
    }

    /** Closes a flow and forgets what it carried; the next reconcile makes again what is still wanted. */
    void close(Slot slot) {
        slots.remove(slot.key);
        carriers.forEach(c -> c.forget(slot));
        if (slot.flow != null) {
            slot.flow.close();
        }
    }

    /** Closes every flow that carries nothing and has no unregistration under way; none once the line is closed. */
    void closeIdle() {
        if (line.closed()) {
            return;
        }
        Set<Slot> used = new HashSet<>();
        carriers.forEach(c -> c.addFlowsInUse(used));
        for (Slot s : List.copyOf(slots.values())) {
            if (!used.contains(s) && s.pendingRemovals == 0) {
                LOG.debug("line {}: closing the idle flow {}", line.id(), s.key);
                close(s);
            }
        }
    }

    /** The flows open now, for closing the line. */
    List<Flow> open() {
        return slots.values().stream().map(f -> f.flow).filter(Objects::nonNull).toList();
    }
}
