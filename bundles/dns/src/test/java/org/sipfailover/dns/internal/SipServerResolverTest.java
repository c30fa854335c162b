// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolutionSource;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.dns.TestDnsServer;
import org.sipfailover.testkit.time.VirtualScheduler;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * The resolver against an in-JVM DNS server over real UDP and TCP sockets, in virtual time: every RFC 3263
 * rule, the cache and its TTLs, refresh-ahead, serve-stale, and hostile answers.
 */
class SipServerResolverTest {

    private static final Name ZONE = name("example.test");

    private TestDnsServer dns;
    private VirtualScheduler clock;
    private SipServerResolver resolver;

    @BeforeEach
    void start() throws IOException {
        dns = TestDnsServer.start();
        clock = new VirtualScheduler();
        resolver = resolver(defaults());
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private ResolverSettings defaults() {
        ResolverSettings d = ResolverSettings.defaults(List.of(dns.address()));
        // short real-time time-outs: a silent server must not slow the suite down
        return new ResolverSettings(
                d.servers(),
                Duration.ofMillis(300),
                1,
                d.maxCacheEntries(),
                d.maxTtlSeconds(),
                d.maxNegativeTtlSeconds(),
                d.staleWindow(),
                d.staleTtl(),
                d.refreshAheadPercent(),
                d.maxRecords(),
                d.maxTargets(),
                d.maxCnameChain());
    }

    private SipServerResolver resolver(ResolverSettings s) {
        return new SipServerResolver(s, new DnsjavaRecordSource(s), clock, new SplittableRandom(7));
    }

    // ---- the seed rules ----------------------------------------------------------------------------

    @Test
    void ipLiteralWithPortZeroUsesTheTransportsDefaultPortWithoutDns() {
        Resolution udp = resolver.resolve(ServerAddress.of("127.0.0.10", 0));
        Resolution tls = resolver.resolve(new ServerAddress("127.0.0.10", 0, Transport.TLS));
        Resolution given = resolver.resolve(new ServerAddress("::1", 5080, Transport.TCP));

        assertThat(udp.targets())
                .extracting(ResolvedTarget::port, ResolvedTarget::transport)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5060, Transport.UDP));
        assertThat(tls.targets().get(0).port()).isEqualTo(5061);
        assertThat(given.targets().get(0).port()).isEqualTo(5080);
        assertThat(given.targets().get(0).address().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(udp.source()).isEqualTo(ResolutionSource.LITERAL);
        assertThat(udp.expiry()).isEqualTo(Instant.MAX);
        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void domainWithAPortIsLookedUpWithAAndAaaaOnly() {
        addA("pbx.example.test", 60, "127.0.0.11");
        dns.add(aaaa("pbx.example.test", 60, "::1"));
        dns.add(srv("_sip._udp.pbx.example.test", 60, 10, 10, 5999, "other.example.test"));

        Resolution r = resolver.resolve(ServerAddress.of("pbx.example.test", 5070));

        assertThat(r.targets())
                .extracting(t -> t.address().getHostAddress(), ResolvedTarget::port, ResolvedTarget::transport)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("127.0.0.11", 5070, Transport.UDP),
                        org.assertj.core.groups.Tuple.tuple("0:0:0:0:0:0:0:1", 5070, Transport.UDP));
        assertThat(r.source()).isEqualTo(ResolutionSource.DNS);
        assertThat(dns.queryCount(name("_sip._udp.pbx.example.test"), Type.SRV)).isZero();
        assertThat(dns.queryCount(name("pbx.example.test"), Type.NAPTR)).isZero();
    }

    @Test
    void domainWithPortZeroAndTransportUsesThatTransportsSrvInPriorityOrder() {
        dns.add(srv("_sip._tcp.example.test", 60, 20, 0, 5062, "backup.example.test"));
        dns.add(srv("_sip._tcp.example.test", 60, 10, 0, 5061, "primary.example.test"));
        addA("primary.example.test", 60, "127.0.0.21", "127.0.0.22");
        addA("backup.example.test", 60, "127.0.0.23");

        Resolution r = resolver.resolve(new ServerAddress("example.test", 0, Transport.TCP));

        assertThat(r.targets())
                .extracting(t -> t.address().getHostAddress() + ":" + t.port())
                .containsExactly("127.0.0.21:5061", "127.0.0.22:5061", "127.0.0.23:5062");
        assertThat(r.targets())
                .extracting(ResolvedTarget::host)
                .containsExactly("primary.example.test", "primary.example.test", "backup.example.test");
        assertThat(r.targets()).allSatisfy(t -> assertThat(t.transport()).isEqualTo(Transport.TCP));
        assertThat(r.targets().get(2).priority()).isEqualTo(20);
    }

    @Test
    void tlsUsesTheSipsSrvName() {
        dns.add(srv("_sips._tcp.example.test", 60, 10, 0, 5061, "tls.example.test"));
        addA("tls.example.test", 60, "127.0.0.31");

        Resolution r = resolver.resolve(new ServerAddress("example.test", 0, Transport.TLS));

        assertThat(r.targets())
                .extracting(ResolvedTarget::port, ResolvedTarget::transport)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5061, Transport.TLS));
    }

    @Test
    void withoutTransportNaptrComesFirstAndChoosesTheTransport() {
        dns.add(naptr("example.test", 60, 20, 10, "SIP+D2U", "_sip._udp.example.test"));
        dns.add(naptr("example.test", 60, 10, 10, "SIP+D2T", "_sip._tcp.example.test"));
        dns.add(naptr("example.test", 60, 5, 10, "SIP+D2X", "_sip._xyz.example.test")); // unknown: ignored
        dns.add(srv("_sip._tcp.example.test", 60, 10, 0, 5060, "tcp.example.test"));
        dns.add(srv("_sip._udp.example.test", 60, 10, 0, 5060, "udp.example.test"));
        addA("tcp.example.test", 60, "127.0.0.41");
        addA("udp.example.test", 60, "127.0.0.42");

        Resolution r = resolver.resolve(ServerAddress.of("example.test", 0));

        assertThat(r.targets()).extracting(ResolvedTarget::transport).containsExactly(Transport.TCP, Transport.UDP);
        assertThat(dns.queryCount(ZONE, Type.NAPTR)).isEqualTo(1);
        assertThat(dns.queryCount(name("_sips._tcp.example.test"), Type.SRV)).isZero();
    }

    @Test
    void withoutTransportOrNaptrEveryTransportsSrvIsTriedTlsFirst() {
        dns.add(srv("_sip._udp.example.test", 60, 10, 0, 5060, "udp.example.test"));
        dns.add(srv("_sips._tcp.example.test", 60, 10, 0, 5061, "tls.example.test"));
        addA("udp.example.test", 60, "127.0.0.42");
        addA("tls.example.test", 60, "127.0.0.43");

        Resolution r = resolver.resolve(ServerAddress.of("example.test", 0));

        assertThat(r.targets()).extracting(ResolvedTarget::transport).containsExactly(Transport.TLS, Transport.UDP);
    }

    @Test
    void withoutNaptrOrSrvTheDomainsAddressIsUsedOnUdp5060() {
        addA("example.test", 60, "127.0.0.51");

        Resolution r = resolver.resolve(ServerAddress.of("example.test", 0));

        assertThat(r.targets())
                .extracting(ResolvedTarget::port, ResolvedTarget::transport)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5060, Transport.UDP));
        Resolution tcp = resolver.resolve(new ServerAddress("example.test", 0, Transport.TLS));
        assertThat(tcp.targets()).extracting(ResolvedTarget::port).containsExactly(5061);
    }

    @Test
    void aDotTargetMeansNoServiceAndNoFallbackToTheAddress() {
        dns.add(srv("_sip._udp.example.test", 60, 0, 0, 0, "."));
        addA("example.test", 60, "127.0.0.51");

        Resolution r = resolver.resolve(new ServerAddress("example.test", 0, Transport.UDP));

        assertThat(r.isEmpty()).isTrue();
        assertThat(r.failure()).get().asString().contains("no service");
    }

    @Test
    void srvTargetsWithoutAddressesDoNotFallBackToTheDomainsAddress() {
        dns.add(srv("_sip._udp.example.test", 60, 10, 0, 5060, "missing.example.test"));
        addA("example.test", 60, "127.0.0.51");

        Resolution r = resolver.resolve(new ServerAddress("example.test", 0, Transport.UDP));

        assertThat(r.isEmpty()).isTrue();
        assertThat(r.failure()).get().asString().contains("missing.example.test");
    }

    @Test
    void aCnamedSrvTargetIsFollowed() {
        dns.add(srv("_sip._udp.example.test", 60, 10, 0, 5060, "alias.example.test"));
        dns.add(new CNAMERecord(name("alias.example.test"), DClass.IN, 60, name("real.example.test")));
        addA("real.example.test", 60, "127.0.0.61");

        Resolution r = resolver.resolve(new ServerAddress("example.test", 0, Transport.UDP));

        assertThat(r.targets()).extracting(t -> t.address().getHostAddress()).containsExactly("127.0.0.61");
    }

    // ---- cache and TTLs ----------------------------------------------------------------------------

    @Test
    void aCachedAnswerSendsNoPacketUntilItsTtlEndsThenChangedRecordsAreSeen() {
        dns.add(srv("_sip._udp.example.test", 60, 10, 0, 5060, "one.example.test"));
        addA("one.example.test", 30, "127.0.0.71");
        ServerAddress server = new ServerAddress("example.test", 0, Transport.UDP);

        Resolution first = resolver.resolve(server);
        int queries = dns.queryCount();
        dns.remove(name("one.example.test"), Type.A);
        addA("one.example.test", 30, "127.0.0.72");
        clock.advance(Duration.ofSeconds(20));
        Resolution cached = resolver.resolve(server);

        assertThat(first.source()).isEqualTo(ResolutionSource.DNS);
        assertThat(first.expiry()).isEqualTo(VirtualSchedulerStart.plus(30));
        assertThat(cached.source()).isEqualTo(ResolutionSource.CACHE);
        assertThat(cached.targets().get(0).address().getHostAddress()).isEqualTo("127.0.0.71");
        assertThat(dns.queryCount()).isEqualTo(queries);

        clock.advance(Duration.ofSeconds(10)); // t = 30 s: the A record's TTL has ended, not the SRV's
        Resolution after = resolver.resolve(server);

        assertThat(after.source()).isEqualTo(ResolutionSource.DNS);
        assertThat(after.targets().get(0).address().getHostAddress()).isEqualTo("127.0.0.72");
        assertThat(dns.queryCount(name("_sip._udp.example.test"), Type.SRV)).isEqualTo(1);
        assertThat(dns.queryCount(name("one.example.test"), Type.A)).isEqualTo(2);
    }

    @Test
    void ttlZeroIsNeverCached() {
        addA("zero.example.test", 0, "127.0.0.81");
        ServerAddress server = ServerAddress.of("zero.example.test", 5060);

        resolver.resolve(server);
        Resolution second = resolver.resolve(server);

        assertThat(second.source()).isEqualTo(ResolutionSource.DNS);
        assertThat(dns.queryCount(name("zero.example.test"), Type.A)).isEqualTo(2);
    }

    @Test
    void negativeAnswersAreCachedForTheSoaMinimum() {
        dns.setSoa(ZONE, 300, 45);
        ServerAddress server = ServerAddress.of("nothing.example.test", 5060);

        Resolution first = resolver.resolve(server);
        clock.advance(Duration.ofSeconds(44));
        Resolution second = resolver.resolve(server);
        int during = dns.queryCount(name("nothing.example.test"), Type.A);
        clock.advance(Duration.ofSeconds(1));
        resolver.resolve(server);

        assertThat(first.isEmpty()).isTrue();
        assertThat(first.failure()).get().asString().contains("nothing.example.test");
        assertThat(second.isEmpty()).isTrue();
        assertThat(during).isEqualTo(1);
        assertThat(dns.queryCount(name("nothing.example.test"), Type.A)).isEqualTo(2);
    }

    @Test
    void negativeAnswersWithoutSoaAreNotCached() {
        ServerAddress server = ServerAddress.of("nothing.example.test", 5060);

        resolver.resolve(server);
        resolver.resolve(server);

        assertThat(dns.queryCount(name("nothing.example.test"), Type.A)).isEqualTo(2);
    }

    @Test
    void aHotEntryIsRefreshedAheadOfExpirySoNoCallerWaits() {
        addA("hot.example.test", 100, "127.0.0.91");
        ServerAddress server = ServerAddress.of("hot.example.test", 5060);
        resolver.resolve(server);

        clock.advance(Duration.ofSeconds(85)); // past 80 % of the TTL
        dns.remove(name("hot.example.test"), Type.A);
        addA("hot.example.test", 100, "127.0.0.92");
        Resolution during = resolver.resolve(server);
        Poll.until(
                Duration.ofSeconds(5),
                () -> dns.queryCount(name("hot.example.test"), Type.A) == 2
                        && resolver.resolve(server)
                                .targets()
                                .get(0)
                                .address()
                                .getHostAddress()
                                .equals("127.0.0.92"),
                () -> "a background refresh of hot.example.test");
        clock.advance(Duration.ofSeconds(30)); // t = 115 s: past the first answer's expiry
        Resolution after = resolver.resolve(server);

        assertThat(during.source()).isEqualTo(ResolutionSource.CACHE);
        assertThat(during.targets().get(0).address().getHostAddress()).isEqualTo("127.0.0.91");
        assertThat(after.source()).isEqualTo(ResolutionSource.CACHE);
        assertThat(after.expiry()).isEqualTo(VirtualSchedulerStart.plus(185));
        assertThat(dns.queryCount(name("hot.example.test"), Type.A)).isEqualTo(2);
    }

    @Test
    void whenNoServerAnswersAnExpiredAnswerIsServedMarkedStaleForABoundedTime() {
        addA("pbx.example.test", 60, "127.0.0.101");
        ServerAddress server = ServerAddress.of("pbx.example.test", 5060);
        resolver.resolve(server);
        dns.setMode(TestDnsServer.Mode.SILENT);

        clock.advance(Duration.ofSeconds(61));
        Resolution stale = resolver.resolve(server);
        clock.advance(Duration.ofSeconds(10));
        Resolution stillStale = resolver.resolve(server);
        int queriesDuringStaleTtl = dns.queryCount(name("pbx.example.test"), Type.A);
        clock.advance(Duration.ofSeconds(3600));
        Resolution gone = resolver.resolve(server);

        assertThat(stale.source()).isEqualTo(ResolutionSource.STALE);
        assertThat(stale.targets().get(0).address().getHostAddress()).isEqualTo("127.0.0.101");
        assertThat(stale.expiry()).isEqualTo(VirtualSchedulerStart.plus(61 + 30));
        assertThat(stillStale.source()).isEqualTo(ResolutionSource.STALE);
        assertThat(queriesDuringStaleTtl).isEqualTo(2); // the first one, and the one that failed at 61 s
        assertThat(gone.isEmpty()).isTrue();
        assertThat(gone.failure()).get().asString().contains("no answer");
    }

    @Test
    void aDeadServerGivesAResultWithItsCauseNotAnException() {
        dns.setMode(TestDnsServer.Mode.SILENT);

        Resolution r = resolver.resolveAsync(new ServerAddress("example.test", 0, Transport.UDP))
                .toCompletableFuture()
                .join();

        assertThat(r.isEmpty()).isTrue();
        assertThat(r.failure())
                .get()
                .asString()
                .contains("no answer")
                .contains(dns.address().getPort() + "");
    }

    @Test
    void servfailIsAFailureAndIsNotCached() {
        dns.setMode(TestDnsServer.Mode.SERVFAIL);
        ServerAddress server = new ServerAddress("example.test", 0, Transport.UDP);

        Resolution r = resolver.resolve(server);
        dns.setMode(TestDnsServer.Mode.NORMAL);
        dns.add(srv("_sip._udp.example.test", 60, 10, 0, 5060, "one.example.test"));
        addA("one.example.test", 60, "127.0.0.71");
        Resolution later = resolver.resolve(server);

        assertThat(r.failure()).get().asString().contains("SERVFAIL");
        assertThat(later.targets()).hasSize(1);
    }

    @Test
    void aTruncatedUdpAnswerIsRetriedOverTcp() {
        dns.setTruncateUdp(true);
        addA("big.example.test", 60, "127.0.0.111");

        Resolution r = resolver.resolve(ServerAddress.of("big.example.test", 5060));

        assertThat(r.targets()).hasSize(1);
        assertThat(dns.tcpQueryCount()).isPositive();
    }

    @Test
    void invalidateForgetsTheServerAndTheTargetsItLedTo() {
        dns.add(srv("_sip._udp.example.test", 60, 10, 0, 5060, "one.other.test"));
        addA("one.other.test", 60, "127.0.0.71");
        ServerAddress server = new ServerAddress("example.test", 0, Transport.UDP);
        resolver.resolve(server);

        resolver.invalidate(server);
        Resolution again = resolver.resolve(server);

        assertThat(again.source()).isEqualTo(ResolutionSource.DNS);
        assertThat(dns.queryCount(name("_sip._udp.example.test"), Type.SRV)).isEqualTo(2);
        assertThat(dns.queryCount(name("one.other.test"), Type.A)).isEqualTo(2);
    }

    // ---- hostile answers ---------------------------------------------------------------------------

    @Test
    void aHugeRecordSetIsBounded() throws Exception {
        for (int i = 0; i < 300; i++) {
            dns.add(new ARecord(
                    name("huge.example.test"),
                    DClass.IN,
                    60,
                    InetAddress.getByName("127.1." + (i / 250) + "." + (i % 250 + 1))));
        }
        for (int i = 0; i < 200; i++) {
            dns.add(srv("_sip._udp.huge.example.test", 60, i, 1, 5060, "huge.example.test"));
        }

        Resolution byA = resolver.resolve(ServerAddress.of("huge.example.test", 5060));
        Resolution bySrv = resolver.resolve(new ServerAddress("huge.example.test", 0, Transport.UDP));

        assertThat(byA.targets()).hasSize(32);
        assertThat(bySrv.targets()).hasSize(32);
    }

    @Test
    void aCnameLoopEndsWithACauseInsteadOfHanging() {
        dns.add(new CNAMERecord(name("loop1.example.test"), DClass.IN, 60, name("loop2.example.test")));
        dns.add(new CNAMERecord(name("loop2.example.test"), DClass.IN, 60, name("loop1.example.test")));

        Resolution r = resolver.resolve(ServerAddress.of("loop1.example.test", 5060));

        assertThat(r.isEmpty()).isTrue();
        assertThat(r.failure()).get().asString().contains("CNAME");
    }

    @Test
    void absurdTtlsAreCutToTheBound() {
        addA("forever.example.test", 0x7FFFFFFFL, "127.0.0.121");

        Resolution forever = resolver.resolve(ServerAddress.of("forever.example.test", 5060));

        assertThat(forever.expiry()).isEqualTo(VirtualSchedulerStart.plus(86400));
        // RFC 2181 §8: from the wire (where dnsjava takes any 32-bit value), the top bit set counts as zero
        assertThat(DnsjavaRecordSource.saneTtl(0xFFFFFFF0L)).isZero();
        assertThat(DnsjavaRecordSource.saneTtl(0x7FFFFFFFL)).isEqualTo(0x7FFFFFFFL);
    }

    // ---- concurrency -------------------------------------------------------------------------------

    @Test
    void concurrentCallsForOneNameShareOneQuery() {
        dns.setAnswerDelay(Duration.ofMillis(150));
        addA("busy.example.test", 60, "127.0.0.131");
        ServerAddress server = ServerAddress.of("busy.example.test", 5060);

        List<CompletableFuture<Resolution>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(resolver.resolveAsync(server).toCompletableFuture());
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).join();

        assertThat(calls).allSatisfy(c -> assertThat(c.join().targets()).hasSize(1));
        assertThat(dns.queryCount(name("busy.example.test"), Type.A)).isEqualTo(1);
    }

    @Test
    void aCachedResolutionCompletesOnTheCallersThreadWithAFreshDraw() {
        dns.add(srv("_sip._udp.example.test", 60, 10, 50, 5060, "a.example.test"));
        dns.add(srv("_sip._udp.example.test", 60, 10, 50, 5060, "b.example.test"));
        addA("a.example.test", 60, "127.0.0.141");
        addA("b.example.test", 60, "127.0.0.142");
        ServerAddress server = new ServerAddress("example.test", 0, Transport.UDP);
        resolver.resolve(server);

        java.util.Set<String> firsts = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            CompletableFuture<Resolution> f = resolver.resolveAsync(server).toCompletableFuture();
            assertThat(f).isDone();
            firsts.add(f.join().targets().get(0).host());
        }

        assertThat(firsts).containsExactlyInAnyOrder("a.example.test", "b.example.test");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** Times relative to the virtual scheduler's start. */
    private static final class VirtualSchedulerStart {
        static Instant plus(long seconds) {
            return VirtualScheduler.DEFAULT_START.plusSeconds(seconds);
        }
    }

    static Name name(String n) {
        try {
            return Name.fromString(n.endsWith(".") ? n : n + ".");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void addA(String owner, long ttl, String... ips) {
        for (String ip : ips) {
            try {
                dns.add(new ARecord(name(owner), DClass.IN, ttl, InetAddress.getByName(ip)));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }

    static AAAARecord aaaa(String owner, long ttl, String ip) {
        try {
            return new AAAARecord(name(owner), DClass.IN, ttl, InetAddress.getByName(ip));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static SRVRecord srv(String owner, long ttl, int priority, int weight, int port, String target) {
        return new SRVRecord(
                name(owner), DClass.IN, ttl, priority, weight, port, target.equals(".") ? Name.root : name(target));
    }

    static NAPTRRecord naptr(String owner, long ttl, int order, int pref, String service, String replacement) {
        return new NAPTRRecord(name(owner), DClass.IN, ttl, order, pref, "S", service, "", name(replacement));
    }
}
