// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolutionSource;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.dns.DnsZone;
import org.sipfailover.testkit.dns.Dnsmasq;

/**
 * The resolver against a real DNS server, Debian's dnsmasq, started by the test on a loopback port, in
 * real time: the seed rules, TTL expiry with records changed mid-test, refresh-ahead, a dead server, and
 * the weighted draw. dnsmasq's own query log tells which queries reached it.
 */
@RealServers
class RealDnsServerTest {

    private static final ServerAddress SIP_UDP = new ServerAddress("example.test", 0, Transport.UDP);

    @TempDir
    Path work;

    private ScheduledExecutorService executor;
    private ExecutorScheduler scheduler;
    private Dnsmasq dnsmasq;

    @BeforeEach
    void scheduler() {
        executor = Executors.newSingleThreadScheduledExecutor();
        scheduler = new ExecutorScheduler(executor, Clock.systemUTC(), Throwable::printStackTrace);
    }

    @AfterEach
    void stop() {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
        executor.shutdownNow();
    }

    private SipServerResolver resolver(int refreshAheadPercent) {
        ResolverSettings d = ResolverSettings.defaults(List.of(dnsmasq.socketAddress()));
        ResolverSettings s = new ResolverSettings(
                d.servers(),
                Duration.ofMillis(300),
                1,
                d.maxCacheEntries(),
                d.maxTtlSeconds(),
                d.maxNegativeTtlSeconds(),
                d.staleWindow(),
                d.staleTtl(),
                refreshAheadPercent,
                d.maxRecords(),
                d.maxTargets(),
                d.maxCnameChain());
        return new SipServerResolver(
                s,
                new DnsjavaRecordSource(s),
                scheduler,
                () -> ThreadLocalRandom.current().nextLong());
    }

    private static DnsZone.Builder twoPriorities(int ttl) {
        return DnsZone.builder()
                .ttl(ttl)
                .srv("_sip._udp.example.test", "primary.example.test", 5060, 10, 0)
                .srv("_sip._udp.example.test", "backup.example.test", 5062, 20, 0)
                .host("primary.example.test", "127.0.0.11")
                .host("backup.example.test", "127.0.0.12");
    }

    @Test
    void seedRulesAgainstARealServer() throws Exception {
        dnsmasq = Dnsmasq.start(
                twoPriorities(60)
                        .naptr("naptr.test", 10, 10, "S", "SIP+D2T", "", "_sip._tcp.naptr.test")
                        .srv("_sip._tcp.naptr.test", "tcp.naptr.test", 5070, 0, 0)
                        .host("tcp.naptr.test", "127.0.0.21")
                        .host("plain.test", "127.0.0.31")
                        .noService("_sip._udp.closed.test")
                        .host("closed.test", "127.0.0.41")
                        .build(),
                work);
        SipServerResolver resolver = resolver(80);

        Resolution srv = resolver.resolve(SIP_UDP);
        Resolution aOnly = resolver.resolve(ServerAddress.of("primary.example.test", 5080));
        Resolution naptr = resolver.resolve(ServerAddress.of("naptr.test", 0));
        Resolution fallback = resolver.resolve(ServerAddress.of("plain.test", 0));
        Resolution closed = resolver.resolve(new ServerAddress("closed.test", 0, Transport.UDP));
        Resolution unknown = resolver.resolve(ServerAddress.of("nowhere.test", 0));

        assertThat(srv.targets())
                .extracting(t -> t.address().getHostAddress() + ":" + t.port())
                .containsExactly("127.0.0.11:5060", "127.0.0.12:5062");
        assertThat(srv.source()).isEqualTo(ResolutionSource.DNS);
        assertThat(aOnly.targets()).extracting(ResolvedTarget::port).containsExactly(5080);
        assertThat(dnsmasq.queriesFor("_sip._udp.primary.example.test")).isZero();
        assertThat(naptr.targets())
                .extracting(t -> t.transport() + " " + t.port())
                .containsExactly("TCP 5070");
        assertThat(fallback.targets())
                .extracting(t -> t.transport() + " " + t.port())
                .containsExactly("UDP 5060");
        assertThat(closed.isEmpty()).isTrue();
        assertThat(closed.failure()).get().asString().contains("no service");
        assertThat(unknown.isEmpty()).isTrue();
        assertThat(unknown.failure()).get().asString().isEqualTo("no address for nowhere.test");
    }

    @Test
    void nothingIsAskedWhileTheTtlIsValidAndChangedRecordsAreSeenWhenItEnds() throws Exception {
        dnsmasq = Dnsmasq.start(twoPriorities(2).build(), work);
        SipServerResolver resolver = resolver(0);
        Resolution first = resolver.resolve(SIP_UDP);
        int srvQueries = dnsmasq.queriesFor("_sip._udp.example.test");

        dnsmasq.restart(DnsZone.builder()
                .ttl(2)
                .srv("_sip._udp.example.test", "primary.example.test", 5060, 10, 0)
                .host("primary.example.test", "127.0.0.99")
                .build());
        Resolution cached = resolver.resolve(SIP_UDP);
        int queriesWhileValid = dnsmasq.queriesFor("_sip._udp.example.test") - srvQueries;
        // every answer with the time it was given: none may come from the cache past its expiry
        List<Map.Entry<Instant, Resolution>> seen = new ArrayList<>();
        Poll.until(
                Duration.ofSeconds(10),
                () -> {
                    Instant at = scheduler.now();
                    Resolution r = resolver.resolve(SIP_UDP);
                    seen.add(Map.entry(at, r));
                    return r.targets().get(0).address().getHostAddress().equals("127.0.0.99");
                },
                () -> "the changed A record after the TTL of 2 s");
        Resolution changed = seen.get(seen.size() - 1).getValue();

        assertThat(first.source()).isEqualTo(ResolutionSource.DNS);
        assertThat(cached.source()).isEqualTo(ResolutionSource.CACHE);
        assertThat(cached.targets()).hasSize(2);
        assertThat(queriesWhileValid).isZero();
        assertThat(changed.source()).isEqualTo(ResolutionSource.DNS);
        assertThat(changed.targets()).hasSize(1);
        assertThat(seen)
                .filteredOn(e -> e.getValue().source() == ResolutionSource.CACHE)
                .allSatisfy(e -> assertThat(e.getKey()).isBefore(e.getValue().expiry()));
        assertThat(changed.expiry()).isAfter(first.expiry());
    }

    @Test
    void aHotEntryIsRefreshedInTheBackgroundAndNoCallerWaits() throws Exception {
        dnsmasq = Dnsmasq.start(twoPriorities(2).build(), work);
        SipServerResolver resolver = resolver(50);
        Resolution first = resolver.resolve(SIP_UDP);
        Instant pastFirstExpiry = first.expiry().plusMillis(1500);

        List<String> notCached = new ArrayList<>();
        Poll.until(
                Duration.ofSeconds(10),
                () -> {
                    Instant before = scheduler.now();
                    Resolution r = resolver.resolve(SIP_UDP);
                    if (r.source() != ResolutionSource.CACHE) {
                        notCached.add(r.source() + " at +"
                                + Duration.between(first.expiry(), before).toMillis() + " ms");
                    }
                    return scheduler.now().isAfter(pastFirstExpiry);
                },
                () -> "time to pass the first answer's expiry");

        assertThat(notCached)
                .as("resolutions that were not served from the cache, relative to the first expiry")
                .isEmpty();
        assertThat(dnsmasq.queriesFor("_sip._udp.example.test")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void whenTheServerDiesTheLastAnswerIsServedStale() throws Exception {
        dnsmasq = Dnsmasq.start(twoPriorities(1).build(), work);
        SipServerResolver resolver = resolver(0);
        Resolution first = resolver.resolve(SIP_UDP);

        dnsmasq.kill();
        // the address records were fetched a little after the SRV record: wait until every TTL has ended
        Instant allExpired = first.expiry().plusMillis(500);
        Poll.until(Duration.ofSeconds(5), () -> scheduler.now().isAfter(allExpired), () -> "every TTL to end");
        Resolution stale = resolver.resolve(SIP_UDP);

        assertThat(stale.source()).isEqualTo(ResolutionSource.STALE);
        assertThat(stale.targets()).isEqualTo(first.targets());
        assertThat(stale.expiry()).isAfter(scheduler.now().plusSeconds(25));
    }

    /**
     * RFC 2782 through a real server: weights 10, 30 and 60 in one priority. Chi-squared over 6,000 draws
     * with 2 degrees of freedom; the 99.9 % critical value is 13.82. Ignoring the weights gives about
     * 1,400; always taking the server's order gives thousands.
     */
    @Test
    void theWeightedDrawFollowsTheWeights() throws Exception {
        dnsmasq = Dnsmasq.start(
                DnsZone.builder()
                        .ttl(300)
                        .srv("_sip._udp.example.test", "a.example.test", 5060, 10, 10)
                        .srv("_sip._udp.example.test", "b.example.test", 5060, 10, 30)
                        .srv("_sip._udp.example.test", "c.example.test", 5060, 10, 60)
                        .host("a.example.test", "127.0.0.51")
                        .host("b.example.test", "127.0.0.52")
                        .host("c.example.test", "127.0.0.53")
                        .build(),
                work);
        SipServerResolver resolver = resolver(80);

        int draws = 6000;
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < draws; i++) {
            first.merge(resolver.resolve(SIP_UDP).targets().get(0).host(), 1, Integer::sum);
        }

        Map<String, Integer> weights = Map.of("a.example.test", 10, "b.example.test", 30, "c.example.test", 60);
        double chi2 = 0;
        for (Map.Entry<String, Integer> w : weights.entrySet()) {
            double expected = draws * w.getValue() / 100.0;
            double observed = first.getOrDefault(w.getKey(), 0);
            chi2 += (observed - expected) * (observed - expected) / expected;
        }
        assertThat(chi2).as("chi-squared of %s", first).isLessThan(13.82);
        assertThat(dnsmasq.queriesFor("_sip._udp.example.test")).isEqualTo(1);
    }
}
