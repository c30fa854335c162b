// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.dns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import org.sipfailover.testkit.dns.DnsZone;
import org.sipfailover.testkit.dns.Dnsmasq;

/**
 * Starts a dnsmasq on loopback serving the benchmark names, runs {@link ResolverBenchmark} with JMH, and
 * prints a Markdown table: latency percentiles of a cached resolution and of a full cache miss, and how
 * many queries for the cached name reached the DNS server (one per forked JVM, at set-up, is the goal:
 * nothing while the TTL is valid).
 */
public final class ResolverBench {

    private ResolverBench() {}

    public static void run(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        Path work = Files.createTempDirectory("sip-failover-bench-dns");
        DnsZone zone = DnsZone.builder()
                .ttl(3600)
                .srv(
                        "_sip._udp." + ResolverBenchmark.CACHED_DOMAIN,
                        "a." + ResolverBenchmark.CACHED_DOMAIN,
                        5060,
                        10,
                        60)
                .srv(
                        "_sip._udp." + ResolverBenchmark.CACHED_DOMAIN,
                        "b." + ResolverBenchmark.CACHED_DOMAIN,
                        5060,
                        10,
                        40)
                .host("a." + ResolverBenchmark.CACHED_DOMAIN, "127.0.0.11")
                .host("b." + ResolverBenchmark.CACHED_DOMAIN, "127.0.0.12")
                .srv("_sip._udp." + ResolverBenchmark.MISS_DOMAIN, "a." + ResolverBenchmark.MISS_DOMAIN, 5060, 10, 60)
                .srv("_sip._udp." + ResolverBenchmark.MISS_DOMAIN, "b." + ResolverBenchmark.MISS_DOMAIN, 5060, 10, 40)
                .host("a." + ResolverBenchmark.MISS_DOMAIN, "127.0.0.21")
                .host("b." + ResolverBenchmark.MISS_DOMAIN, "127.0.0.22")
                .build();
        int forks = 1;
        try (Dnsmasq dns = Dnsmasq.start(zone, work)) {
            Options options = new OptionsBuilder()
                    .include(ResolverBenchmark.class.getName())
                    .warmupIterations(quick ? 1 : 3)
                    .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                    .measurementIterations(quick ? 2 : 5)
                    .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                    .forks(forks)
                    .jvmArgsAppend(
                            "-D" + ResolverBenchmark.DNS_PROPERTY + "=" + dns.address(),
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                    .build();
            Collection<RunResult> results = new Runner(options).run();
            int cachedQueries = dns.queriesFor("_sip._udp." + ResolverBenchmark.CACHED_DOMAIN);

            StringBuilder table = new StringBuilder();
            table.append("\n| benchmark | median | p90 | p99 | samples |\n| --- | ---: | ---: | ---: | ---: |\n");
            for (RunResult r : results) {
                Result<?> primary = r.getPrimaryResult();
                Statistics s = primary.getStatistics();
                table.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %s | %s | %d |%n",
                        primary.getLabel(),
                        ns(s.getPercentile(50)),
                        ns(s.getPercentile(90)),
                        ns(s.getPercentile(99)),
                        s.getN()));
            }
            // JMH runs each benchmark method in JVMs of its own, and each resolves the cached name once at set-up
            int jvms = results.size() * forks;
            table.append(String.format(
                    Locale.ROOT,
                    "%nSRV queries for %s that reached the DNS server: %d, in %d forked JVMs (the goal: one per JVM,"
                            + " at set-up, none while the TTL is valid)%n",
                    ResolverBenchmark.CACHED_DOMAIN,
                    cachedQueries,
                    jvms));
            System.out.println(table);
        }
    }

    private static String ns(double nanos) {
        return nanos < 10_000
                ? String.format(Locale.ROOT, "%.0f ns", nanos)
                : String.format(Locale.ROOT, "%.1f µs", nanos / 1000);
    }
}
