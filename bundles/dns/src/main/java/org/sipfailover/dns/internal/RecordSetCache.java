// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/** The record sets a resolver has fetched: their TTL cache, one query per name at a time, serve-stale. */
final class RecordSetCache {

    private static final Logger LOG = LoggerFactory.getLogger(RecordSetCache.class);

    private final ResolverSettings settings;
    private final RecordSource source;
    private final Scheduler scheduler;
    private final BoundedCache<RecordKey, Cached> records;
    private final ConcurrentHashMap<RecordKey, CompletableFuture<Fetched>> inflight = new ConcurrentHashMap<>();

    RecordSetCache(ResolverSettings settings, RecordSource source, Scheduler scheduler) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.source = Objects.requireNonNull(source, "source");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.records = new BoundedCache<>(settings.maxCacheEntries());
    }

    /**
     * One record set: from the cache while it is fresh (unless {@code refresh}), else from the source, sharing
     * a query already under way for the same set. Never completes exceptionally.
     */
    CompletionStage<Fetched> lookup(Name name, int type, boolean refresh) {
        RecordKey key = new RecordKey(name, type);
        Instant now = scheduler.now();
        Cached c = records.get(key);
        if (c != null && now.isBefore(c.expiry()) && !refresh) {
            return CompletableFuture.completedFuture(new Fetched(c.answer(), c.expiry(), c.refreshAt(), Origin.CACHE));
        }
        CompletableFuture<Fetched> promise = new CompletableFuture<>();
        CompletableFuture<Fetched> running = inflight.putIfAbsent(key, promise);
        if (running != null) {
            return running;
        }
        source.query(name, type).whenComplete((answer, error) -> {
            Fetched f;
            try {
                f = store(
                        key,
                        error == null
                                ? answer
                                : DnsAnswer.failed(DnsjavaRecordSource.describe(name, type) + ": " + error));
            } catch (RuntimeException e) {
                f = new Fetched(DnsAnswer.failed("internal error: " + e), scheduler.now(), null, Origin.NETWORK);
            }
            inflight.remove(key, promise);
            promise.complete(f);
        });
        return promise;
    }

    /** Forgets every cached record set whose owner name passes {@code nameTest}. */
    void removeIf(Predicate<Name> nameTest) {
        records.removeIf(k -> nameTest.test(k.name()));
    }

    private Fetched store(RecordKey key, DnsAnswer answer) {
        Instant now = scheduler.now();
        if (answer.isAnswer()) {
            if (answer.ttlSeconds() > 0) {
                Instant expiry = now.plusSeconds(answer.ttlSeconds());
                Instant refreshAt = settings.refreshAheadPercent() == 0
                        ? expiry
                        : now.plusMillis(answer.ttlSeconds() * 10L * settings.refreshAheadPercent());
                records.put(key, new Cached(answer, expiry, refreshAt));
                return new Fetched(answer, expiry, refreshAt, Origin.NETWORK);
            }
            // TTL 0 is used once and never cached; a negative answer without SOA is not cached either
            // (RFC 2308 §5) and does not shorten the life of the plan it is part of
            return new Fetched(answer, answer.ttlSeconds() == 0 ? now : null, null, Origin.NETWORK);
        }
        Cached old = records.get(key);
        if (old != null && now.isBefore(old.expiry())) {
            return new Fetched(old.answer(), old.expiry(), old.refreshAt(), Origin.CACHE);
        }
        if (old != null && now.isBefore(old.expiry().plus(settings.staleWindow()))) {
            LOG.info("{}; serving the answer that expired at {} (stale)", answer.cause(), old.expiry());
            return new Fetched(old.answer(), now.plus(settings.staleTtl()), null, Origin.STALE);
        }
        LOG.debug("{}", answer.cause());
        // RFC 8767 §5: a failed lookup is not retried before the failure recheck time (the stale TTL), so
        // that an outage does not make every caller wait for a time-out
        return new Fetched(answer, now.plus(settings.staleTtl()), null, Origin.NETWORK);
    }

    /** Key of a record set. */
    private record RecordKey(Name name, int type) {}

    /** A cached record set. */
    private record Cached(DnsAnswer answer, Instant expiry, Instant refreshAt) {}

    enum Origin {
        NETWORK,
        CACHE,
        STALE
    }

    /**
     * A record set as one resolution got it.
     *
     * @param expiry until when it may be used; {@code null} when it does not limit the plan
     */
    record Fetched(DnsAnswer answer, Instant expiry, Instant refreshAt, Origin origin) {}
}
