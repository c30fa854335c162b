// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The resolver's configuration, PID {@code org.sipfailover.dns}. Every bound is a defence against hostile answers. */
@ObjectClassDefinition(
        name = "sip-failover DNS resolver",
        description = "DNS servers, time-outs, cache and safety bounds of the SIP server resolver")
public @interface DnsResolverConfig {

    @AttributeDefinition(
            name = "DNS servers",
            required = false,
            description = "host or host:port of each DNS server, tried in order; empty = the system's resolvers")
    String[] servers() default {};

    @AttributeDefinition(name = "Query time-out (ms)", description = "per attempt, per server")
    int timeoutMillis() default 2000;

    @AttributeDefinition(name = "Attempts", description = "rounds over all servers before a query fails")
    int attempts() default 2;

    @AttributeDefinition(name = "Cache size", description = "most entries (names and types) kept")
    int maxCacheEntries() default 10000;

    @AttributeDefinition(name = "Largest TTL (s)", description = "longer TTLs are cut to this")
    int maxTtlSeconds() default 86400;

    @AttributeDefinition(
            name = "Largest negative TTL (s)",
            description = "negative answers are cached for the SOA minimum (RFC 2308), at most this long")
    int maxNegativeTtlSeconds() default 900;

    @AttributeDefinition(
            name = "Serve-stale window (s)",
            description =
                    "how long past its TTL an answer may be served when no DNS server answers (RFC 8767); 0 = never")
    int staleSeconds() default 3600;

    @AttributeDefinition(
            name = "Stale answer TTL (s)",
            description = "the TTL given to a stale answer, after which DNS is tried again (RFC 8767 suggests 30)")
    int staleTtlSeconds() default 30;

    @AttributeDefinition(
            name = "Refresh ahead (%)",
            description = "an entry used after this share of its TTL is refreshed in the background; 0 = off")
    int refreshAheadPercent() default 80;

    @AttributeDefinition(name = "Most records per answer", description = "records beyond this are ignored")
    int maxRecords() default 64;

    @AttributeDefinition(name = "Most targets", description = "addresses in one resolution result")
    int maxTargets() default 32;

    @AttributeDefinition(name = "Longest CNAME chain")
    int maxCnameChain() default 8;
}
