// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests.consumer;

import java.util.Hashtable;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;

/**
 * The whole of a small consumer bundle that the test builds on the fly: it tracks the {@link ServerResolver}
 * the way a long-lived consumer (a line, a flow) would, and offers a {@code Callable<String>} through which
 * the test asks it to resolve {@code example.test} over UDP. Only JDK types cross to the test, so the test
 * never shares a class with this bundle.
 *
 * <p>{@link #call()} answers {@value #NO_RESOLVER} when no resolver is registered, otherwise the source and the
 * targets in order, e.g. {@code "DNS 127.0.0.11:5070,127.0.0.12:5072"}, or {@code "FAILED <cause>"}.
 */
public final class ResolverConsumer implements BundleActivator, Callable<String> {

    public static final String SYMBOLIC_NAME = "org.sipfailover.itests.consumer";
    /** The service property that marks the consumer's {@code Callable}. */
    public static final String MARKER = "sipfailover.itest.consumer";

    public static final String NO_RESOLVER = "no resolver";

    private ServiceTracker<ServerResolver, ServerResolver> resolvers;
    private ServiceRegistration<?> registration;

    @Override
    public void start(BundleContext context) {
        resolvers = new ServiceTracker<>(context, ServerResolver.class, null);
        resolvers.open();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(MARKER, Boolean.TRUE);
        registration = context.registerService(Callable.class.getName(), this, properties);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        resolvers.close();
    }

    @Override
    public String call() {
        ServerResolver resolver = resolvers.getService();
        if (resolver == null) {
            return NO_RESOLVER;
        }
        Resolution r = resolver.resolve(new ServerAddress("example.test", 0, Transport.UDP));
        if (r.isEmpty()) {
            return "FAILED " + r.failure().orElse("?");
        }
        return r.source() + " "
                + r.targets().stream()
                        .map(t -> t.address().getHostAddress() + ":" + t.port())
                        .collect(Collectors.joining(","));
    }
}
