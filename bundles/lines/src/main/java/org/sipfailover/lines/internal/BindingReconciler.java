// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line's bindings and their registrations: started for the placement, retired when it no longer wants them.
 *
 * <p>The old ones are removed once every new one is registered, or at once when they are dead anyway. Owned by
 * the lane.
 */
final class BindingReconciler implements LineFlows.Carrier {

    private static final Logger LOG = LoggerFactory.getLogger(BindingReconciler.class);

    /** A binding, the flow that carries it and its registration. */
    private static final class Slot {
        final Binding binding;
        final LineFlows.Slot flow;
        final Registration registration;
        final String aor;

        Slot(Binding binding, LineFlows.Slot flow, Registration registration, String aor) {
            this.binding = binding;
            this.flow = flow;
            this.registration = registration;
            this.aor = aor;
        }
    }

    private final LineContext line;
    private final LineServers servers;
    private final LineFlows flows;
    private final Map<Binding, Slot> bindings = new LinkedHashMap<>();

    BindingReconciler(LineContext line, LineServers servers, LineFlows flows) {
        this.line = line;
        this.servers = servers;
        this.flows = flows;
    }

    /**
     * Registers the bindings of {@code current} the line lacks, then retires those it no longer wants: all of
     * them once every binding of {@code current} is registered, else only the dead ones.
     *
     * @return the bindings of {@code current} registered before any was retired
     */
    Set<Binding> reconcile(Placement current) {
        for (Binding b : current.bindings()) {
            if (!bindings.containsKey(b)) {
                start(b);
            }
        }
        Set<Binding> live = live(current);
        boolean allLive = !current.isNone() && live.containsAll(current.bindings());
        for (Slot old : List.copyOf(bindings.values())) {
            if (!current.bindings().contains(old.binding)
                    && (allLive || current.isNone() || !old.registration.isRegistered())) {
                retire(old);
            }
        }
        return live;
    }

    /** The bindings of a placement that are registered now. */
    Set<Binding> live(Placement current) {
        Set<Binding> live = new LinkedHashSet<>();
        for (Binding b : current.bindings()) {
            Slot s = bindings.get(b);
            if (s != null && s.registration.isRegistered()) {
                live.add(b);
            }
        }
        return live;
    }

    private void start(Binding b) {
        LineFlows.Slot slot = flows.flowFor(servers.firstHop(b), b.regId());
        if (slot == null) {
            return;
        }
        LineConfig config = line.config();
        String aor = config.aor(b.proxy());
        RegisterRequest request = new RegisterRequest(
                aor,
                servers.registrarAddress(b),
                config.credentials().orElse(null),
                config.registrationPeriod(),
                config.registrationRenewal(),
                config.displayName().orElse(null));
        LOG.debug("line {}: registering {} over {}", line.id(), b, slot.key);
        bindings.put(b, new Slot(b, slot, slot.flow.register(request), aor));
    }

    private void retire(Slot old) {
        bindings.remove(old.binding);
        ServerAddress registrar = servers.registrarAddress(old.binding);
        boolean replaced = bindings.values().stream()
                .anyMatch(o -> o.aor.equals(old.aor)
                        && servers.registrarAddress(o.binding).equals(registrar));
        if (replaced) {
            // the same AOR at the same registrar through another first hop: the registrar matches our Contact by
            // instance-id and reg-id (by address without outbound), so an unregister would remove the new
            // binding too. The old flow goes; its binding was replaced.
            LOG.debug("line {}: {} replaced at the registrar; closing its flow", line.id(), old.binding);
            flows.close(old.flow);
            return;
        }
        LOG.debug("line {}: unregistering {}", line.id(), old.binding);
        old.flow.pendingRemovals++;
        old.registration
                .unregister()
                .whenComplete((v, e) -> line.onLane(() -> {
                    old.flow.pendingRemovals--;
                    flows.closeIdle();
                }));
    }

    /** The registrars of the bindings a flow carries; the flow's own address when it carries none. */
    Set<ServerAddress> registrarsOver(LineFlows.Slot flow) {
        Set<ServerAddress> registrars = new LinkedHashSet<>();
        for (Slot b : bindings.values()) {
            if (b.flow == flow) {
                registrars.add(servers.registrarAddress(b.binding));
            }
        }
        if (registrars.isEmpty()) {
            registrars.add(flow.key.address());
        }
        return registrars;
    }

    /** Sends again the REGISTER of every registered binding whose first hop or registrar is at an address. */
    void refreshAt(ServerAddress address, String why) {
        for (Slot b : bindings.values()) {
            if (b.registration.isRegistered()
                    && (b.flow.key.address().equals(address)
                            || servers.registrarAddress(b.binding).equals(address))) {
                LOG.info("line {}: {} ({}); sending its REGISTER again", line.id(), address, why);
                b.registration.refresh();
            }
        }
    }

    @Override
    public void forget(LineFlows.Slot flow) {
        bindings.values().removeIf(b -> b.flow == flow);
    }

    @Override
    public void addFlowsInUse(Set<LineFlows.Slot> used) {
        bindings.values().forEach(b -> used.add(b.flow));
    }

    /** Unregisters every binding, for a line that ends so; adds the unregistrations to {@code removals}. */
    void unregisterAll(List<CompletableFuture<Void>> removals) {
        for (Slot b : bindings.values()) {
            removals.add(b.registration.unregister().toCompletableFuture());
        }
    }
}
