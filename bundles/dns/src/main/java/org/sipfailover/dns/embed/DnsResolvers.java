// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.embed;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.dns.internal.DnsResolverConfig;
import org.sipfailover.dns.internal.DnsServerResolver;

/**
 * Makes the bundle's DNS resolver (dnsjava, RFC 3263 and RFC 2782, a TTL-honouring cache) without OSGi. Each
 * resolver runs one daemon thread of its own for its timers and background refreshes, until it is closed.
 */
@ProviderType
public final class DnsResolvers {

    private DnsResolvers() {}

    /** A resolver that asks the system's DNS servers, with the default bounds of the configuration. */
    public static EmbeddedResolver system() {
        return new Handle(new DnsServerResolver());
    }

    /**
     * A resolver that asks these DNS servers, with the default bounds for the rest.
     *
     * @param servers {@code host} or {@code host:port} of each DNS server, tried in order; empty for the system's
     * @param timeout per attempt and per server, at least a millisecond
     * @param attempts rounds over all servers before a query fails, at least 1
     * @throws IllegalArgumentException naming the setting when a value is invalid
     */
    public static EmbeddedResolver create(List<String> servers, Duration timeout, int attempts) {
        long millis = timeout.toMillis();
        if (millis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeoutMillis: " + timeout + " is too long");
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("servers", servers.toArray(String[]::new));
        properties.put("timeoutMillis", (int) millis);
        properties.put("attempts", attempts);
        return create(properties);
    }

    /**
     * A resolver configured as the component of {@link ServerResolver#PID} would be: the keys of that
     * configuration ({@code servers}, {@code timeoutMillis}, {@code attempts}, {@code maxCacheEntries}, ...) with
     * typed values or their text; {@code servers} as an array, a collection or one string. The defaults for the
     * keys not given.
     *
     * @throws IllegalArgumentException naming the key when it is no setting or its value is invalid
     */
    public static EmbeddedResolver create(Map<String, ?> properties) {
        return new Handle(new DnsServerResolver(config(properties)));
    }

    /** The configuration annotation the component's constructor takes, as SCR would make it from properties. */
    private static DnsResolverConfig config(Map<String, ?> properties) {
        Map<String, Object> values = new HashMap<>();
        properties.forEach((key, v) -> {
            Method m;
            try {
                m = DnsResolverConfig.class.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(key + ": no such setting of " + ServerResolver.PID, e);
            }
            Objects.requireNonNull(v, key);
            if (m.getReturnType() == int.class) {
                try {
                    values.put(
                            key,
                            v instanceof Number n
                                    ? n.intValue()
                                    : Integer.parseInt(v.toString().trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number", e);
                }
            } else if (v instanceof String[] a) {
                values.put(key, a.clone());
            } else if (v instanceof Collection<?> c) {
                values.put(key, c.stream().map(String::valueOf).toArray(String[]::new));
            } else {
                values.put(key, new String[] {v.toString()});
            }
        });
        return (DnsResolverConfig) Proxy.newProxyInstance(
                DnsResolverConfig.class.getClassLoader(),
                new Class<?>[] {DnsResolverConfig.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "annotationType" -> DnsResolverConfig.class;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "DnsResolverConfig" + values.keySet();
                    // an array element is handed out as a copy, as an annotation's would be
                    default -> values.containsKey(m.getName()) ? copy(values.get(m.getName())) : m.getDefaultValue();
                });
    }

    private static Object copy(Object v) {
        return v instanceof String[] a ? a.clone() : v;
    }

    /** The component's instance behind the embedding type, so that its internal class stays unexported. */
    private static final class Handle implements EmbeddedResolver {

        private final DnsServerResolver resolver;

        Handle(DnsServerResolver resolver) {
            this.resolver = resolver;
        }

        @Override
        public Resolution resolve(ServerAddress address) {
            return resolver.resolve(address);
        }

        @Override
        public CompletionStage<Resolution> resolveAsync(ServerAddress address) {
            return resolver.resolveAsync(address);
        }

        @Override
        public void invalidate(ServerAddress address) {
            resolver.invalidate(address);
        }

        @Override
        public void close() {
            resolver.close();
        }

        @Override
        public String toString() {
            return resolver.toString();
        }
    }
}
