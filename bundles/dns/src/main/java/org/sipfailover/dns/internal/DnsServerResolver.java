// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.time.ExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ServerResolver} service. Configuration is optional: without one it asks the system's DNS
 * servers. A changed configuration is applied in place (new servers, bounds and an empty cache) so that
 * consumers keep their service object.
 */
@Component(
        service = ServerResolver.class,
        configurationPid = ServerResolver.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DnsResolverConfig.class)
public final class DnsServerResolver implements ServerResolver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DnsServerResolver.class);

    private final ScheduledExecutorService executor;
    private final ExecutorScheduler scheduler;
    private volatile Engine engine;

    /**
     * @throws IllegalArgumentException naming the configuration key when a value is invalid
     */
    @Activate
    public DnsServerResolver(DnsResolverConfig config) {
        this(ResolverSettings.from(config));
    }

    /**
     * The resolver with the system's DNS servers and the default bounds of {@link DnsResolverConfig}: for
     * plain-Java hosts, which have no SCR to make a configuration. {@link #close()} it when done.
     */
    public DnsServerResolver() {
        this(ResolverSettings.defaults(List.of()));
    }

    // private: SCR looks for its constructor among the public ones only
    private DnsServerResolver(ResolverSettings settings) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-failover-dns");
            t.setDaemon(true);
            return t;
        });
        this.scheduler =
                new ExecutorScheduler(executor, Clock.systemUTC(), e -> LOG.error("DNS resolver task failed", e));
        this.engine = Engine.create(settings, scheduler);
        LOG.info("DNS resolver started with servers {}", engine.source.servers());
    }

    @Modified
    void modified(DnsResolverConfig config) {
        Engine next = Engine.create(ResolverSettings.from(config), scheduler);
        engine = next;
        LOG.info("DNS resolver reconfigured: servers {}", next.source.servers());
    }

    /** Stops the resolver; also what plain-Java hosts call when they are done with it. */
    @Deactivate
    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public Resolution resolve(ServerAddress address) {
        return engine.resolver.resolve(address);
    }

    @Override
    public CompletionStage<Resolution> resolveAsync(ServerAddress address) {
        return engine.resolver.resolveAsync(address);
    }

    @Override
    public void invalidate(ServerAddress address) {
        engine.resolver.invalidate(address);
    }

    /** A source and the resolver on it, replaced together when the configuration changes. */
    private record Engine(DnsjavaRecordSource source, SipServerResolver resolver) {

        static Engine create(ResolverSettings settings, ExecutorScheduler scheduler) {
            DnsjavaRecordSource source = new DnsjavaRecordSource(settings);
            return new Engine(
                    source,
                    new SipServerResolver(
                            settings,
                            source,
                            scheduler,
                            () -> ThreadLocalRandom.current().nextLong()));
        }
    }
}
