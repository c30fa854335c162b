// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowListener;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.time.ExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FlowManager} service: one SIP stack for the framework. The instance-id lives in the bundle's
 * data area, so it outlives restarts and updates of the bundle. Immediate: the flows must not go away when
 * the last user of the service lets it go (a shell command, say).
 */
@Component(
        service = FlowManager.class,
        configurationPid = FlowManager.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = OutboundConfig.class)
public final class OutboundFlowManager implements FlowManager {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundFlowManager.class);

    /*
     * Dynamic and greedy: live flows must not drop when the resolver's bundle is stopped, updated or
     * replaced. A flow reads the field once per connection attempt; while there is none, the attempt fails
     * with DNS_FAILURE and is retried, and a flow that is up is not touched at all.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerResolver resolver;

    private final ScheduledExecutorService executor;
    private final FlowManagerCore core;

    /**
     * @throws IllegalArgumentException naming the configuration key when the stack cannot start with it
     */
    @Activate
    public OutboundFlowManager(OutboundConfig config, BundleContext context) {
        // one thread per processor: when a server dies, thousands of flows connect to another one and send their
        // REGISTERs from here, and the answers are handled here; a single thread made that the failover's pace.
        // A flow's state is guarded by its own lock, as the stack's threads reach it too.
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        executor = Executors.newScheduledThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread t = new Thread(r, "sip-failover-flows-" + threads.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                });
        try {
            core = new FlowManagerCore(
                    config,
                    context.getDataFile("instance-id").toPath(),
                    () -> resolver,
                    new ExecutorScheduler(executor, Clock.systemUTC(), e -> LOG.error("flow task failed", e)),
                    () -> ThreadLocalRandom.current().nextLong());
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot keep the instance-id in the bundle's data area", e);
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        core.close();
        executor.shutdownNow();
    }

    @Override
    public String instanceId() {
        return core.instanceId();
    }

    @Override
    public Flow open(FlowSpec spec, FlowListener listener) {
        return core.open(spec, listener);
    }

    @Override
    public List<Flow> flows() {
        return core.flows();
    }
}
