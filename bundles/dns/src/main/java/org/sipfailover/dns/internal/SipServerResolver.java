// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolutionSource;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The resolver without OSGi: RFC 3263 resolution of a configured server, on any {@link RecordSource},
 * with two caches. The record cache holds each record set for no longer than its TTL (negative answers
 * for their SOA-derived TTL, RFC 2308) and keeps it a bounded time beyond for serve-stale (RFC 8767). The
 * plan cache holds, per configured server, the structure built from those records until the first of
 * them expires, so that a cached resolution does no DNS work at all, only a fresh weighted draw.
 *
 * <p>A plan used after {@code refreshAheadPercent} of its life is rebuilt in the background from fresh
 * answers for all of its record sets; the caller gets the cached plan without waiting.
 */
public final class SipServerResolver implements ServerResolver {

    private static final Logger LOG = LoggerFactory.getLogger(SipServerResolver.class);

    private final ResolverSettings settings;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final RecordSetCache records;
    private final BoundedCache<ServerAddress, Plan> plans;
    private final ConcurrentHashMap<ServerAddress, Boolean> refreshing = new ConcurrentHashMap<>();

    SipServerResolver(ResolverSettings settings, RecordSource source, Scheduler scheduler, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(source, "source");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.records = new RecordSetCache(settings, source, scheduler);
        this.plans = new BoundedCache<>(settings.maxCacheEntries());
    }

    @Override
    public Resolution resolve(ServerAddress address) {
        return resolveAsync(address).toCompletableFuture().join();
    }

    @Override
    public CompletionStage<Resolution> resolveAsync(ServerAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isIpLiteral()) {
            return CompletableFuture.completedFuture(literal(address));
        }
        Instant now = scheduler.now();
        Plan cached = plans.get(address);
        if (cached != null && now.isBefore(cached.expiry())) {
            if (cached.refreshAt() != null && !now.isBefore(cached.refreshAt())) {
                refreshInBackground(address);
            }
            ResolutionSource as =
                    cached.source() == ResolutionSource.STALE ? ResolutionSource.STALE : ResolutionSource.CACHE;
            return CompletableFuture.completedFuture(cached.draw(random, settings.maxTargets(), as));
        }
        return build(address, false).handle((plan, error) -> {
            if (error != null) {
                // a bug, not DNS: still an answer, never an exception in the caller's thread
                LOG.error("resolving {} failed unexpectedly", address, error);
                return Resolution.failed(address, scheduler.now(), ResolutionSource.DNS, "internal error: " + error);
            }
            if (plan.expiry().isAfter(scheduler.now())) {
                plans.put(address, plan);
            }
            return plan.draw(random, settings.maxTargets(), plan.source());
        });
    }

    @Override
    public void invalidate(ServerAddress address) {
        Plan plan = plans.get(address);
        plans.remove(address);
        Set<String> names = new HashSet<>();
        names.add(address.host().toLowerCase(Locale.ROOT));
        if (plan != null) {
            for (List<Plan.Member> group : plan.groups()) {
                for (Plan.Member m : group) {
                    names.add(m.host().toLowerCase(Locale.ROOT));
                }
            }
        }
        String under = "." + address.host().toLowerCase(Locale.ROOT);
        // the domain, its SRV and NAPTR names below it, and the targets the plan led to
        records.removeIf(name -> {
            String n = name.toString(true).toLowerCase(Locale.ROOT);
            return names.contains(n) || n.endsWith(under);
        });
    }

    private Resolution literal(ServerAddress a) {
        Transport t = a.transport() != null ? a.transport() : Transport.UDP;
        int port = a.port() != 0 ? a.port() : t.defaultPort();
        try {
            InetAddress ip = InetAddress.getByName(a.host()); // a literal: parsed, never looked up
            return Resolution.of(
                    a,
                    List.of(new org.sipfailover.api.dns.ResolvedTarget(a.host(), ip, port, t, 0, 0)),
                    Instant.MAX,
                    ResolutionSource.LITERAL);
        } catch (UnknownHostException e) {
            return Resolution.failed(a, Instant.MAX, ResolutionSource.LITERAL, "malformed IP literal " + a.host());
        }
    }

    private void refreshInBackground(ServerAddress address) {
        if (refreshing.putIfAbsent(address, Boolean.TRUE) != null) {
            return;
        }
        build(address, true).whenComplete((plan, error) -> {
            refreshing.remove(address);
            Instant now = scheduler.now();
            if (error != null) {
                LOG.warn("background refresh of {} failed", address, error);
                return;
            }
            if (plan.hasTargets() && plan.expiry().isAfter(now)) {
                // a refresh that could not reach DNS gives back the same aging records: try again half-way
                // to their expiry rather than on every use
                boolean failed = plan.refreshAt() == null || !plan.refreshAt().isAfter(now);
                plans.put(
                        address,
                        failed
                                ? plan.withRefreshAt(now.plus(
                                        Duration.between(now, plan.expiry()).dividedBy(2)))
                                : plan);
            }
        });
    }

    // ---- RFC 3263 ---------------------------------------------------------------------------------------

    private CompletionStage<Plan> build(ServerAddress a, boolean refresh) {
        Name host;
        try {
            host = Name.fromString(a.host(), Name.root);
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(failedPlan(a, "malformed name " + a.host()));
        }
        if (a.port() != 0) {
            // an explicit port: A/AAAA only; UDP for sip when no transport is given (RFC 3263 §4.1)
            Transport t = a.transport() != null ? a.transport() : Transport.UDP;
            return hostPart(host, a.port(), t, refresh).thenApply(p -> p.toPlan(a, scheduler.now()));
        }
        if (a.transport() != null) {
            // no SRV record at all: A/AAAA of the domain on the transport's default port (RFC 3263 §4.2)
            return srvPart(host, a.transport(), refresh)
                    .thenCompose(p -> p.decided()
                            ? CompletableFuture.completedFuture(p)
                            : hostPart(host, a.transport().defaultPort(), a.transport(), refresh)
                                    .thenApply(p::then))
                    .thenApply(p -> p.toPlan(a, scheduler.now()));
        }
        return naptrPart(host, refresh)
                .thenCompose(p -> {
                    if (p.decided()) {
                        return CompletableFuture.completedFuture(p);
                    }
                    // no usable NAPTR: SRV for every transport, in order of preference (RFC 3263 §4.1)
                    List<CompletableFuture<Part>> srvs = new ArrayList<>();
                    for (Transport t : Transport.values()) {
                        srvs.add(srvPart(host, t, refresh).toCompletableFuture());
                    }
                    return CompletableFuture.allOf(srvs.toArray(new CompletableFuture<?>[0]))
                            .thenCompose(v -> {
                                Part all = p;
                                for (CompletableFuture<Part> f : srvs) {
                                    all = all.then(f.join());
                                }
                                if (all.decided()) {
                                    return CompletableFuture.completedFuture(all);
                                }
                                Part sofar = all;
                                return hostPart(host, Transport.UDP.defaultPort(), Transport.UDP, refresh)
                                        .thenApply(sofar::then);
                            });
                })
                .thenApply(p -> p.toPlan(a, scheduler.now()));
    }

    /** NAPTR records of the domain that lead to SIP over a known transport, then their SRV records. */
    private CompletionStage<Part> naptrPart(Name host, boolean refresh) {
        return records.lookup(host, Type.NAPTR, refresh).thenCompose(f -> {
            Part meta = Part.of(f);
            if (f.answer().kind() == DnsAnswer.Kind.FAILED) {
                return CompletableFuture.completedFuture(meta.decided(f.answer().cause()));
            }
            List<NAPTRRecord> usable = new ArrayList<>();
            for (Record r : f.answer().records()) {
                NAPTRRecord n = (NAPTRRecord) r;
                if ("s".equalsIgnoreCase(n.getFlags()) && transportOf(n.getService()) != null) {
                    usable.add(n);
                }
            }
            usable.sort(Comparator.comparingInt(NAPTRRecord::getOrder).thenComparingInt(NAPTRRecord::getPreference));
            if (usable.isEmpty()) {
                return CompletableFuture.completedFuture(meta);
            }
            List<CompletableFuture<Part>> parts = new ArrayList<>();
            for (NAPTRRecord n : usable) {
                parts.add(srvAt(n.getReplacement(), transportOf(n.getService()), refresh)
                        .toCompletableFuture());
            }
            return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                    .thenApply(v -> {
                        Part all = meta;
                        for (CompletableFuture<Part> part : parts) {
                            all = all.then(part.join());
                        }
                        return all;
                    });
        });
    }

    private static Transport transportOf(String naptrService) {
        for (Transport t : Transport.values()) {
            if (t.naptrService().equalsIgnoreCase(naptrService)) {
                return t;
            }
        }
        return null;
    }

    private CompletionStage<Part> srvPart(Name host, Transport t, boolean refresh) {
        Name owner;
        try {
            owner = Name.fromString(t.srvPrefix(), host);
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(Part.EMPTY.decided("malformed SRV name for " + host));
        }
        return srvAt(owner, t, refresh);
    }

    /** The SRV records at {@code owner}, grouped by priority, each target expanded to its addresses. */
    private CompletionStage<Part> srvAt(Name owner, Transport t, boolean refresh) {
        return records.lookup(owner, Type.SRV, refresh).thenCompose(f -> {
            Part meta = Part.of(f);
            if (f.answer().kind() == DnsAnswer.Kind.FAILED) {
                // DNS did not answer: falling back to A/AAAA would only hide that
                return CompletableFuture.completedFuture(meta.decided(f.answer().cause()));
            }
            if (f.answer().kind() != DnsAnswer.Kind.FOUND) {
                return CompletableFuture.completedFuture(
                        meta.withCause(f.answer().cause()));
            }
            List<SRVRecord> srv = new ArrayList<>();
            for (Record r : f.answer().records()) {
                srv.add((SRVRecord) r);
            }
            // RFC 2782: a single record with target "." means the service is decidedly not available
            if (srv.size() == 1 && srv.get(0).getTarget().equals(Name.root)) {
                return CompletableFuture.completedFuture(
                        meta.decided("no service: " + owner + " has the SRV target \".\""));
            }
            srv.removeIf(r -> r.getTarget().equals(Name.root) || r.getPort() == 0);
            srv.sort(Comparator.comparingInt(SRVRecord::getPriority));
            if (srv.size() > settings.maxTargets()) {
                srv = new ArrayList<>(srv.subList(0, settings.maxTargets()));
            }
            List<CompletableFuture<Part>> expanded = new ArrayList<>();
            for (SRVRecord r : srv) {
                expanded.add(addresses(r.getTarget(), r.getPort(), t, r.getPriority(), r.getWeight(), refresh)
                        .toCompletableFuture());
            }
            return CompletableFuture.allOf(expanded.toArray(new CompletableFuture<?>[0]))
                    .thenApply(v -> {
                        List<List<Plan.Member>> groups = new ArrayList<>();
                        List<Plan.Member> group = new ArrayList<>();
                        int prio = -1;
                        Part all = meta;
                        for (CompletableFuture<Part> e : expanded) {
                            Part p = e.join();
                            all = all.thenMetaOnly(p);
                            for (Plan.Member m : p.members()) {
                                if (m.priority() != prio && !group.isEmpty()) {
                                    groups.add(group);
                                    group = new ArrayList<>();
                                }
                                prio = m.priority();
                                group.add(m);
                            }
                        }
                        if (!group.isEmpty()) {
                            groups.add(group);
                        }
                        // SRV records exist: whatever their targets gave, there is no falling back to A/AAAA
                        return all.withGroups(groups)
                                .decided(
                                        all.cause() != null
                                                ? all.cause()
                                                : "no address for any SRV target of " + owner);
                    });
        });
    }

    private CompletionStage<Part> hostPart(Name host, int port, Transport t, boolean refresh) {
        return addresses(host, port, t, 0, 0, refresh)
                .thenApply(p -> p.members().isEmpty() ? p : p.withGroups(List.of(p.members())));
    }

    /** A and AAAA of one name, as one member (or none when the name has no address). */
    private CompletionStage<Part> addresses(
            Name name, int port, Transport t, int priority, int weight, boolean refresh) {
        CompletableFuture<RecordSetCache.Fetched> v4 =
                records.lookup(name, Type.A, refresh).toCompletableFuture();
        CompletableFuture<RecordSetCache.Fetched> v6 =
                records.lookup(name, Type.AAAA, refresh).toCompletableFuture();
        return v4.thenCombine(v6, (a, aaaa) -> {
            List<InetAddress> ips = new ArrayList<>();
            for (Record r : a.answer().records()) {
                ips.add(((ARecord) r).getAddress());
            }
            for (Record r : aaaa.answer().records()) {
                ips.add(((AAAARecord) r).getAddress());
            }
            Part meta = Part.of(a).thenMetaOnly(Part.of(aaaa));
            if (ips.isEmpty()) {
                return meta.withCause(
                        a.answer().kind() == DnsAnswer.Kind.FAILED
                                ? a.answer().cause()
                                : aaaa.answer().kind() == DnsAnswer.Kind.FAILED
                                        ? aaaa.answer().cause()
                                        : "no address for " + name.toString(true));
            }
            return meta.withMembers(List.of(new Plan.Member(name.toString(true), ips, port, t, priority, weight)));
        });
    }

    private Plan failedPlan(ServerAddress a, String cause) {
        return new Plan(a, List.of(), scheduler.now(), null, ResolutionSource.DNS, cause);
    }

    /**
     * A piece of a plan being built: its members or groups, what the records behind it imply for the
     * plan's expiry, refresh time and source, and whether it settles the answer so that RFC 3263's next
     * fallback must not be tried (SRV records exist, "no service", or DNS did not answer).
     */
    private record Part(
            List<Plan.Member> members,
            List<List<Plan.Member>> groups,
            Instant expiry,
            Instant refreshAt,
            boolean network,
            boolean stale,
            boolean failed,
            String cause,
            boolean decided) {

        static final Part EMPTY = new Part(List.of(), List.of(), Instant.MAX, null, false, false, false, null, false);

        static Part of(RecordSetCache.Fetched f) {
            return new Part(
                    List.of(),
                    List.of(),
                    f.expiry() != null ? f.expiry() : Instant.MAX,
                    f.refreshAt(),
                    f.origin() == RecordSetCache.Origin.NETWORK,
                    f.origin() == RecordSetCache.Origin.STALE,
                    f.answer().kind() == DnsAnswer.Kind.FAILED,
                    null,
                    false);
        }

        Part withMembers(List<Plan.Member> m) {
            return new Part(m, groups, expiry, refreshAt, network, stale, failed, cause, decided);
        }

        Part withGroups(List<List<Plan.Member>> g) {
            return new Part(List.of(), g, expiry, refreshAt, network, stale, failed, cause, decided || !g.isEmpty());
        }

        Part withCause(String c) {
            return new Part(members, groups, expiry, refreshAt, network, stale, failed, c, decided);
        }

        Part decided(String c) {
            return new Part(
                    members, groups, expiry, refreshAt, network, stale, failed, cause != null ? cause : c, true);
        }

        /** Merges what another part's records imply, without its members. */
        Part thenMetaOnly(Part o) {
            return new Part(
                    members,
                    groups,
                    expiry.isBefore(o.expiry) ? expiry : o.expiry,
                    refreshAt == null
                            ? o.refreshAt
                            : o.refreshAt == null || refreshAt.isBefore(o.refreshAt) ? refreshAt : o.refreshAt,
                    network || o.network,
                    stale || o.stale,
                    failed || o.failed,
                    cause != null ? cause : o.cause,
                    decided);
        }

        /** Appends another part's groups after this one's; the later step's cause explains a failure best. */
        Part then(Part o) {
            List<List<Plan.Member>> g = new ArrayList<>(groups);
            g.addAll(o.groups);
            Part merged = thenMetaOnly(o);
            return new Part(
                    List.of(),
                    g,
                    merged.expiry,
                    merged.refreshAt,
                    merged.network,
                    merged.stale,
                    merged.failed,
                    o.cause != null ? o.cause : cause,
                    decided || o.decided);
        }

        Plan toPlan(ServerAddress a, Instant now) {
            ResolutionSource src =
                    stale ? ResolutionSource.STALE : network ? ResolutionSource.DNS : ResolutionSource.CACHE;
            if (groups.isEmpty()) {
                // a negative answer is cached for its SOA-derived TTL; a failure, or a negative answer
                // without SOA, is asked again
                Instant exp = failed || expiry.equals(Instant.MAX) ? now : expiry;
                return new Plan(a, groups, exp, null, src, cause != null ? cause : "no target for " + a);
            }
            return new Plan(a, groups, expiry, refreshAt, src, null);
        }
    }
}
