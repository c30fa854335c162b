// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.time.Cancellable;

/** The shared probes a line watches, one per address its policy wants probed, and what they heard; lane-owned. */
final class ProbeWatches {

    /** Hears, on the lane, what the probe of a watched address saw. */
    @FunctionalInterface
    interface Listener {
        void heard(ServerAddress address, HealthObservation o);
    }

    private final LineContext line;
    private final LineServers servers;
    private final FlowManager flows;
    private final ServerProbes serverProbes;
    private final BindingReconciler bindings;
    private final Listener listener;
    /** The servers the policy wants probed, as it last decided. */
    private Set<ServerRef> wanted = Set.of();

    private final Map<ServerProbes.Key, Cancellable> watches = new HashMap<>();

    ProbeWatches(
            LineContext line,
            LineServers servers,
            FlowManager flows,
            ServerProbes serverProbes,
            BindingReconciler bindings,
            Listener listener) {
        this.line = line;
        this.servers = servers;
        this.flows = flows;
        this.serverProbes = Objects.requireNonNull(serverProbes, "serverProbes");
        this.bindings = bindings;
        this.listener = listener;
    }

    /** The servers the policy wants probed. */
    Set<ServerRef> wanted() {
        return wanted;
    }

    /** Takes what the policy wants probed; {@link #reconcile()} applies it. */
    void want(Set<ServerRef> servers) {
        wanted = servers;
    }

    /** Watches the shared probe of each address the policy wants probed, and stops watching the others. */
    void reconcile() {
        Map<ServerProbes.Key, ServerRef> keys = new HashMap<>();
        for (ServerRef ref : wanted) {
            if (line.config().server(ref).isPresent()) {
                keys.putIfAbsent(ServerProbes.Key.of(flows, line.config(), servers.address(ref)), ref);
            }
        }
        for (Iterator<Map.Entry<ServerProbes.Key, Cancellable>> it =
                        watches.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<ServerProbes.Key, Cancellable> e = it.next();
            if (!keys.containsKey(e.getKey())) {
                LineContext.cancel(e.getValue());
                it.remove();
            }
        }
        for (Map.Entry<ServerProbes.Key, ServerRef> e : keys.entrySet()) {
            ServerProbes.Key key = e.getKey();
            if (!watches.containsKey(key)) {
                // what it hears comes through the lane, after this line has noted the watch
                watches.put(
                        key,
                        serverProbes.watch(key, e.getValue(), (o, late) -> line.onLane(() -> heard(key, o, late))));
            }
        }
    }

    /** What the shared probe of a watched address saw: an observation of every server of the line there. */
    private void heard(ServerProbes.Key key, HealthObservation o, boolean late) {
        if (line.closed() || !watches.containsKey(key)) {
            return;
        }
        if (late) {
            // over UDP a registrar that restarted inside one retransmission window answers in the end, with an
            // empty table: the bindings there are sent again rather than trusted until their refresh
            bindings.refreshAt(key.address(), o.detail());
        }
        listener.heard(key.address(), o);
    }

    /** Stops every watch, for a line that closes. */
    void cancelAll() {
        watches.values().forEach(LineContext::cancel);
        watches.clear();
    }
}
