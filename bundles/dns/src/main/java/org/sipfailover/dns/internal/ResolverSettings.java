// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sipfailover.api.net.ServerAddress;

/**
 * The resolver's settings, checked: each invalid value is refused with a message naming its key.
 *
 * @param servers the DNS servers; empty = the system's
 */
record ResolverSettings(
        List<InetSocketAddress> servers,
        Duration timeout,
        int attempts,
        int maxCacheEntries,
        long maxTtlSeconds,
        long maxNegativeTtlSeconds,
        Duration staleWindow,
        Duration staleTtl,
        int refreshAheadPercent,
        int maxRecords,
        int maxTargets,
        int maxCnameChain) {

    ResolverSettings {
        servers = List.copyOf(servers);
        positive("timeoutMillis", timeout.toMillis());
        positive("attempts", attempts);
        positive("maxCacheEntries", maxCacheEntries);
        notNegative("maxTtlSeconds", maxTtlSeconds);
        notNegative("maxNegativeTtlSeconds", maxNegativeTtlSeconds);
        notNegative("staleSeconds", staleWindow.toSeconds());
        positive("staleTtlSeconds", staleTtl.toSeconds());
        if (refreshAheadPercent < 0 || refreshAheadPercent > 99) {
            throw new IllegalArgumentException(
                    "refreshAheadPercent: " + refreshAheadPercent + " is not in 0..99 (0 = off)");
        }
        positive("maxRecords", maxRecords);
        positive("maxTargets", maxTargets);
        notNegative("maxCnameChain", maxCnameChain);
    }

    /** The defaults of {@link DnsResolverConfig}, with these servers. */
    static ResolverSettings defaults(List<InetSocketAddress> servers) {
        return new ResolverSettings(
                servers,
                Duration.ofMillis(2000),
                2,
                10000,
                86400,
                900,
                Duration.ofSeconds(3600),
                Duration.ofSeconds(30),
                80,
                64,
                32,
                8);
    }

    /**
     * @throws IllegalArgumentException naming the key of the first invalid value
     */
    static ResolverSettings from(DnsResolverConfig c) {
        return new ResolverSettings(
                parseServers(c.servers()),
                Duration.ofMillis(c.timeoutMillis()),
                c.attempts(),
                c.maxCacheEntries(),
                c.maxTtlSeconds(),
                c.maxNegativeTtlSeconds(),
                Duration.ofSeconds(c.staleSeconds()),
                Duration.ofSeconds(c.staleTtlSeconds()),
                c.refreshAheadPercent(),
                c.maxRecords(),
                c.maxTargets(),
                c.maxCnameChain());
    }

    /** {@code host} or {@code host:port} (IPv6 in brackets), port 53 when absent. */
    static List<InetSocketAddress> parseServers(String[] servers) {
        List<InetSocketAddress> out = new ArrayList<>();
        if (servers == null) {
            return out;
        }
        for (String s : servers) {
            if (s == null || s.isBlank()) {
                continue;
            }
            ServerAddress a;
            try {
                a = ServerAddress.parse(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "servers: '" + s + "' is not host or host:port (" + e.getMessage() + ")", e);
            }
            if (a.transport() != null) {
                throw new IllegalArgumentException("servers: '" + s + "' must not name a transport");
            }
            // an IP literal needs no lookup; a name is looked up once, here, with the system's resolver
            InetSocketAddress isa = new InetSocketAddress(a.host(), a.port() == 0 ? 53 : a.port());
            if (isa.isUnresolved()) {
                throw new IllegalArgumentException("servers: cannot find the address of DNS server '" + s + "'");
            }
            out.add(isa);
        }
        return out;
    }

    private static void positive(String key, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + ": " + v + " must be positive");
        }
    }

    private static void notNegative(String key, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(key + ": " + v + " must not be negative");
        }
    }
}
