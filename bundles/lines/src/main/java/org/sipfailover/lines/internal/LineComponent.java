// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.config.common.LinePropertiesCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per factory configuration of {@link LineConfig#FACTORY_PID}. It reads the configuration, runs a
 * {@link LineRuntime} and publishes it as a {@link LineStatus} service with the {@code line.id} property.
 *
 * <p>The policy is chosen among the {@link FailoverPolicy} services: those the configuration's
 * {@code policy.target} filter lets through (DS applies it), else those whose {@code policy.name} is the
 * line's {@code policy} setting; the highest ranking wins. The reference is dynamic and greedy, and
 * optional, because a line must outlive its policy: when a better-ranked policy comes, or the policy bundle
 * is updated, the line hands its placement and health to the new one and re-registers nothing unless the
 * new one wants another placement; while there is none, it keeps its bindings.
 */
@Component(
        configurationPid = LineConfig.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
public final class LineComponent {

    private static final Logger LOG = LoggerFactory.getLogger(LineComponent.class);

    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final BundleContext context;
    private final FlowManager flows;
    private final SharedLineServices shared;
    private final CopyOnWriteArrayList<ServiceReference<FailoverPolicy>> policyRefs = new CopyOnWriteArrayList<>();
    /** Optional and dynamic: a line runs without EventAdmin, and keeps running when it goes or comes. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;
    /** Optional, dynamic: read only for dns-ttl failback; a line runs on without it (it never blocks one). */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile org.sipfailover.api.dns.ServerResolver resolver;

    /**
     * The configuration ConfigAdmin gave last. The policy is chosen from it, never from {@code line.config()}:
     * the runtime takes a new configuration on its lane, later, and a choice made from the one it still shows
     * would keep the old policy.
     */
    private volatile LineConfig config;

    private volatile LineRuntime line;
    private volatile FailoverPolicy chosen;
    /** The reference whose service object this component holds, and that object. */
    private ServiceReference<FailoverPolicy> chosenRef;

    private FailoverPolicy chosenService;
    private ServiceRegistration<LineStatus> registration;

    /**
     * @param flows static: the line's flows belong to this flow manager; a new one means a new line runtime
     */
    @Activate
    public LineComponent(
            BundleContext context,
            @Reference FlowManager flows,
            @Reference SharedLineServices shared,
            Map<String, Object> properties) {
        this.context = context;
        this.flows = flows;
        this.shared = shared;
        this.config = read(properties);
        this.line = newRuntime(config);
        this.chosen = choose(config);
        line.start(chosen);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(LineEvents.LINE_ID, config.id());
        registration = context.registerService(LineStatus.class, line, props);
    }

    private LineRuntime newRuntime(LineConfig config) {
        return new LineRuntime.Builder(config, flows, shared.lane(config.id()), shared.store(), this::post)
                .resolver(() -> resolver)
                .serverProbes(shared.probes())
                .build();
    }

    /** Reads the configuration; a bad one fails this line's activation with a message naming the key. */
    private static LineConfig read(Map<String, Object> properties) {
        String pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        int tilde = pid.indexOf('~');
        String defaultId = tilde >= 0 ? pid.substring(tilde + 1) : pid;
        try {
            return LinePropertiesCodec.read(properties, defaultId);
        } catch (IllegalArgumentException e) {
            LOG.error("line configuration {} refused: {}", pid, e.getMessage());
            throw e;
        }
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        LineConfig next = read(properties);
        LineRuntime running = line;
        LineConfig before = config;
        config = next;
        switch (LineConfigChanges.of(before, next)) {
            case NEW_LINE -> {
                LOG.info("line {}: servers or identity changed; starting it again", next.id());
                restart(running, LineRuntime.Ending.DELETE, next);
            }
            case NEW_FLOWS -> {
                LOG.info("line {}: flow or registration timers changed; moving its bindings to new flows", next.id());
                restart(running, LineRuntime.Ending.HAND_OVER, next);
            }
            case IN_PLACE -> running.reconfigure(next);
        }
        reselect();
    }

    private void restart(LineRuntime running, LineRuntime.Ending ending, LineConfig next) {
        stopLine(running, ending, STOP_WAIT);
        LineRuntime fresh = newRuntime(next);
        line = fresh;
        registration.unregister();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(LineEvents.LINE_ID, next.id());
        registration = context.registerService(LineStatus.class, fresh, props);
        chosen = choose(next);
        fresh.start(chosen);
    }

    @Deactivate
    void deactivate(int reason) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
        // a deleted line leaves its registrars; so does every line when the framework (the process) stops, unless
        // configured otherwise; a stopping or updated bundle leaves the bindings in place for the next instance
        // of the line (same instance-id and reg-id), so that an update costs no registration
        boolean deleted = reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED
                || reason == ComponentConstants.DEACTIVATION_REASON_DISABLED;
        if (deleted) {
            stopLine(line, LineRuntime.Ending.DELETE, STOP_WAIT);
        } else if (shared.shuttingDown()) {
            stopLine(line, LineRuntime.Ending.SHUT_DOWN, shared.shutdownTimeLeft());
        } else {
            stopLine(line, LineRuntime.Ending.HAND_OVER, STOP_WAIT);
        }
        synchronized (this) {
            release();
        }
    }

    private static void stopLine(LineRuntime line, LineRuntime.Ending ending, Duration wait) {
        try {
            line.close(ending).toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn(
                    "line {}: still unregistering after {} ms; left to finish on its own",
                    line.lineId(),
                    wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn(
                    "line {}: did not stop cleanly: {}",
                    line.lineId(),
                    e.getCause().toString());
        }
    }

    @Reference(
            service = FailoverPolicy.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPolicy(ServiceReference<FailoverPolicy> ref) {
        policyRefs.add(ref);
        reselect();
    }

    void unbindPolicy(ServiceReference<FailoverPolicy> ref) {
        policyRefs.remove(ref);
        reselect();
    }

    void updatedPolicy(ServiceReference<FailoverPolicy> ref) {
        reselect();
    }

    private synchronized void reselect() {
        LineRuntime running = line;
        if (running == null) {
            return; // not constructed yet: the constructor chooses
        }
        FailoverPolicy next = choose(config);
        if (next == null && shared.shuttingDown()) {
            return; // the policy bundle stops with the framework, before the line unregisters: nothing to swap
        }
        if (next != chosen) {
            chosen = next;
            running.swapPolicy(next);
        }
    }

    /**
     * The best policy for the configuration, or {@code null}. The service object is got once per reference and
     * released when another is chosen, so that the usage count stays balanced however often lines re-select.
     */
    private synchronized FailoverPolicy choose(LineConfig config) {
        ServiceReference<FailoverPolicy> best = policyRefs.stream()
                .filter(r -> config.policy().equals(r.getProperty(FailoverPolicy.POLICY_NAME)))
                .max(Comparator.naturalOrder())
                .orElse(null);
        if (best != null && best.equals(chosenRef)) {
            return chosenService;
        }
        release();
        if (best != null) {
            chosenService = context.getService(best);
            chosenRef = chosenService != null ? best : null;
        }
        return chosenService;
    }

    private void release() {
        if (chosenRef != null) {
            try {
                context.ungetService(chosenRef);
            } catch (IllegalStateException e) {
                // the bundle context is gone: nothing to release
            }
        }
        chosenRef = null;
        chosenService = null;
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            Event e = new Event(topic, new HashMap<>(properties));
            // never on the line's lane: EventAdmin's postEvent can wait for its own delivery thread (seconds with
            // a slow handler and thousands of lines moving at once)
            shared.post(() -> ea.postEvent(e));
        }
    }
}
