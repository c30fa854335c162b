// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.dns;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;
import org.sipfailover.dns.embed.DnsResolvers;
import org.sipfailover.dns.embed.EmbeddedResolver;

/**
 * The resolver service as a host uses it, against the dnsmasq that {@link ResolverBench} starts (its
 * address in the system property {@value #DNS_PROPERTY}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResolverBenchmark {

    static final String DNS_PROPERTY = "bench.dns";
    static final String CACHED_DOMAIN = "cached.bench.test";
    static final String MISS_DOMAIN = "miss.bench.test";

    private static final ServerAddress CACHED = new ServerAddress(CACHED_DOMAIN, 0, Transport.UDP);
    private static final ServerAddress MISS = new ServerAddress(MISS_DOMAIN, 0, Transport.UDP);

    private EmbeddedResolver resolver;

    @Setup(Level.Trial)
    public void start() {
        String dns = System.getProperty(DNS_PROPERTY);
        if (dns == null) {
            throw new IllegalStateException("run through BenchMain dns, which starts the DNS server");
        }
        resolver = DnsResolvers.create(Map.of("servers", new String[] {dns}, "timeoutMillis", 1000));
        if (resolver.resolve(CACHED).isEmpty() || resolver.resolve(MISS).isEmpty()) {
            throw new IllegalStateException("the DNS server does not serve the benchmark names");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        resolver.close();
    }

    /** A resolution whose records are all within their TTL: no DNS, a fresh RFC 2782 draw. */
    @Benchmark
    public Resolution cachedSrv() {
        return resolver.resolve(CACHED);
    }

    /** A full miss: SRV, then A and AAAA of both targets, from the DNS server on loopback. */
    @Benchmark
    public Resolution cacheMissSrv() {
        resolver.invalidate(MISS);
        return resolver.resolve(MISS);
    }
}
