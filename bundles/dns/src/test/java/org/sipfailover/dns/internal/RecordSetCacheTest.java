// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.sipfailover.testkit.time.VirtualScheduler;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The record-set cache on a scripted source in virtual time: TTLs, coalescing, serve-stale, forgetting. */
class RecordSetCacheTest {

    private static final Name PBX = name("pbx.example.test.");
    private static final Name OTHER = name("other.example.test.");

    private final VirtualScheduler clock = new VirtualScheduler();
    private final ScriptedSource source = new ScriptedSource();
    private final ResolverSettings settings = ResolverSettings.defaults(List.of());
    private final RecordSetCache cache = new RecordSetCache(settings, source, clock);

    @Test
    void aFreshAnswerIsServedFromTheCacheUntilItsTtlEnds() {
        CompletableFuture<RecordSetCache.Fetched> first = lookup(PBX, false);
        source.answer(0, found(60));
        Instant stored = clock.now();

        RecordSetCache.Fetched cached = lookup(PBX, false).join();
        clock.advance(Duration.ofSeconds(60));
        CompletableFuture<RecordSetCache.Fetched> afterTtl = lookup(PBX, false);

        assertThat(first.join().origin()).isEqualTo(RecordSetCache.Origin.NETWORK);
        assertThat(first.join().expiry()).isEqualTo(stored.plusSeconds(60));
        // refresh-ahead at 80 % of the TTL
        assertThat(first.join().refreshAt()).isEqualTo(stored.plusSeconds(48));
        assertThat(cached.origin()).isEqualTo(RecordSetCache.Origin.CACHE);
        assertThat(cached.expiry()).isEqualTo(stored.plusSeconds(60));
        assertThat(afterTtl).isNotDone();
        assertThat(source.queries).hasSize(2);
    }

    @Test
    void aRefreshAsksTheSourceEvenWhileTheAnswerIsFresh() {
        lookup(PBX, false);
        source.answer(0, found(60));

        CompletableFuture<RecordSetCache.Fetched> refreshed = lookup(PBX, true);

        assertThat(refreshed).isNotDone();
        assertThat(source.queries).hasSize(2);
    }

    @Test
    void concurrentLookupsOfOneRecordSetShareOneQuery() {
        CompletableFuture<RecordSetCache.Fetched> a = lookup(PBX, false);
        CompletableFuture<RecordSetCache.Fetched> b = lookup(PBX, false);
        CompletableFuture<RecordSetCache.Fetched> otherType =
                cache.lookup(PBX, Type.AAAA, false).toCompletableFuture();

        assertThat(source.queries).hasSize(2);
        source.answer(0, found(60));

        assertThat(a.join()).isSameAs(b.join());
        assertThat(otherType).isNotDone();
        // the query is over: the next miss asks again
        lookup(OTHER, false);
        assertThat(source.queries).hasSize(3);
    }

    @Test
    void ttlZeroIsUsedOnceAndNeverCached() {
        CompletableFuture<RecordSetCache.Fetched> first = lookup(PBX, false);
        source.answer(0, found(0));

        lookup(PBX, false);

        assertThat(first.join().expiry()).isEqualTo(clock.now());
        assertThat(source.queries).hasSize(2);
    }

    @Test
    void aNegativeAnswerWithoutSoaIsNotCachedAndDoesNotLimitThePlan() {
        CompletableFuture<RecordSetCache.Fetched> first = lookup(PBX, false);
        source.answer(0, new DnsAnswer(DnsAnswer.Kind.NO_NAME, List.of(), -1, "no such name"));

        lookup(PBX, false);

        assertThat(first.join().expiry()).isNull();
        assertThat(first.join().origin()).isEqualTo(RecordSetCache.Origin.NETWORK);
        assertThat(source.queries).hasSize(2);
    }

    @Test
    void aFailureWithinTheStaleWindowServesTheExpiredAnswerMarkedStale() {
        lookup(PBX, false);
        DnsAnswer old = found(60);
        source.answer(0, old);
        clock.advance(Duration.ofSeconds(61));

        CompletableFuture<RecordSetCache.Fetched> failed = lookup(PBX, false);
        source.answer(1, DnsAnswer.failed("time-out"));

        assertThat(failed.join().origin()).isEqualTo(RecordSetCache.Origin.STALE);
        assertThat(failed.join().answer()).isSameAs(old);
        assertThat(failed.join().expiry()).isEqualTo(clock.now().plus(settings.staleTtl()));
        assertThat(failed.join().refreshAt()).isNull();
    }

    @Test
    void aFailureDuringARefreshKeepsTheFreshAnswerFromTheCache() {
        lookup(PBX, false);
        DnsAnswer old = found(60);
        source.answer(0, old);
        Instant expiry = clock.now().plusSeconds(60);

        CompletableFuture<RecordSetCache.Fetched> refreshed = lookup(PBX, true);
        source.answer(1, DnsAnswer.failed("time-out"));

        assertThat(refreshed.join().origin()).isEqualTo(RecordSetCache.Origin.CACHE);
        assertThat(refreshed.join().answer()).isSameAs(old);
        assertThat(refreshed.join().expiry()).isEqualTo(expiry);
    }

    @Test
    void aFailureBeyondTheStaleWindowIsNotRetriedBeforeTheStaleTtl() {
        lookup(PBX, false);
        source.answer(0, found(60));
        clock.advance(Duration.ofSeconds(60).plus(settings.staleWindow()));

        CompletableFuture<RecordSetCache.Fetched> failed = lookup(PBX, false);
        source.answer(1, DnsAnswer.failed("time-out"));

        assertThat(failed.join().origin()).isEqualTo(RecordSetCache.Origin.NETWORK);
        assertThat(failed.join().answer().kind()).isEqualTo(DnsAnswer.Kind.FAILED);
        assertThat(failed.join().expiry()).isEqualTo(clock.now().plus(settings.staleTtl()));
    }

    @Test
    void aSourceThatFailsAnywayGivesAFailedAnswerNamingTheRecordSet() {
        CompletableFuture<RecordSetCache.Fetched> f = lookup(PBX, false);
        source.queries.get(0).completeExceptionally(new IllegalStateException("boom"));

        assertThat(f.join().answer().kind()).isEqualTo(DnsAnswer.Kind.FAILED);
        assertThat(f.join().answer().cause())
                .contains(DnsjavaRecordSource.describe(PBX, Type.A))
                .contains("boom");
    }

    @Test
    void removeIfForgetsOnlyTheNamesItMatches() {
        lookup(PBX, false);
        source.answer(0, found(60));
        lookup(OTHER, false);
        source.answer(1, found(60));

        cache.removeIf(PBX::equals);
        lookup(PBX, false);
        RecordSetCache.Fetched other = lookup(OTHER, false).join();

        assertThat(source.queries).hasSize(3);
        assertThat(other.origin()).isEqualTo(RecordSetCache.Origin.CACHE);
    }

    private CompletableFuture<RecordSetCache.Fetched> lookup(Name name, boolean refresh) {
        return cache.lookup(name, Type.A, refresh).toCompletableFuture();
    }

    private static DnsAnswer found(long ttl) {
        try {
            return new DnsAnswer(
                    DnsAnswer.Kind.FOUND,
                    List.of(new ARecord(PBX, DClass.IN, ttl, InetAddress.getByName("127.0.0.11"))),
                    ttl,
                    null);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s);
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Records each query and answers it when the test says so. */
    private static final class ScriptedSource implements RecordSource {

        final List<CompletableFuture<DnsAnswer>> queries = new ArrayList<>();

        @Override
        public CompletionStage<DnsAnswer> query(Name name, int type) {
            CompletableFuture<DnsAnswer> q = new CompletableFuture<>();
            queries.add(q);
            return q;
        }

        void answer(int query, DnsAnswer answer) {
            queries.get(query).complete(answer);
        }
    }
}
