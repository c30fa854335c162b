// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Asks real DNS servers through dnsjava. Everything a server sends is bounded here: the number of records
 * taken, the TTLs, the CNAME chain; records that do not belong to the question are ignored. A truncated
 * UDP answer is retried over TCP (dnsjava's {@link SimpleResolver} does it when truncation is not
 * ignored).
 */
final class DnsjavaRecordSource implements RecordSource {

    private static final Logger LOG = LoggerFactory.getLogger(DnsjavaRecordSource.class);

    /** RFC 2181 §8: a TTL with the most significant bit set is treated as zero. */
    private static final long MAX_SANE_TTL = 0x7FFFFFFFL;
    /** A safe EDNS payload that avoids IP fragmentation (DNS flag day 2020). */
    private static final int EDNS_PAYLOAD = 1232;

    private final Resolver resolver;
    private final String serversText;
    private final ResolverSettings settings;
    private final long budgetMillis;

    DnsjavaRecordSource(ResolverSettings settings) {
        this.settings = settings;
        List<InetSocketAddress> servers =
                settings.servers().isEmpty() ? ResolverConfig.getCurrentConfig().servers() : settings.servers();
        List<Resolver> simple = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver r = new SimpleResolver(server);
            r.setTimeout(settings.timeout());
            r.setEDNS(0, EDNS_PAYLOAD, 0, List.of());
            simple.add(r);
        }
        if (simple.isEmpty()) {
            throw new IllegalArgumentException("servers: no DNS server configured and the system has none");
        }
        ExtendedResolver ext = new ExtendedResolver(simple);
        ext.setLoadBalance(false);
        ext.setRetries(settings.attempts());
        ext.setTimeout(settings.timeout());
        this.resolver = ext;
        this.serversText = servers.toString();
        // ExtendedResolver gives each server `attempts` tries of `timeout` each; a little slack on top
        this.budgetMillis = settings.timeout().toMillis() * settings.attempts() * servers.size() + 1000;
    }

    /** The servers queried, for messages. */
    String servers() {
        return serversText;
    }

    @Override
    public CompletionStage<DnsAnswer> query(Name name, int type) {
        return query(name, type, settings.maxCnameChain(), new HashSet<>());
    }

    private CompletionStage<DnsAnswer> query(Name name, int type, int cnameBudget, Set<Name> seen) {
        Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        CompletableFuture<Message> sent;
        try {
            sent = resolver.sendAsync(q).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(describe(name, type) + ": " + e));
        }
        return sent.orTimeout(budgetMillis, TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        return CompletableFuture.completedFuture(DnsAnswer.failed(describe(name, type)
                                + ": no answer from " + serversText + " (" + rootCause(error) + ")"));
                    }
                    return interpret(name, type, response, cnameBudget, seen);
                })
                .thenCompose(stage -> stage);
    }

    private CompletionStage<DnsAnswer> interpret(
            Name qname, int type, Message response, int cnameBudget, Set<Name> seen) {
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return done(DnsAnswer.failed(describe(qname, type) + ": " + Rcode.string(rcode) + " from " + serversText));
        }
        List<Record> answer = response.getSection(Section.ANSWER);
        Name current = qname;
        long ttl = MAX_SANE_TTL;
        int budget = cnameBudget;
        seen.add(current);
        while (true) {
            List<Record> found = new ArrayList<>();
            CNAMERecord cname = null;
            for (Record r : answer) {
                if (!r.getName().equals(current)) {
                    continue; // not part of the chain: never trust it (cache poisoning)
                }
                if (r.getType() == type) {
                    if (found.size() < settings.maxRecords()) {
                        found.add(r);
                    }
                } else if (r.getType() == Type.CNAME && cname == null) {
                    cname = (CNAMERecord) r;
                }
            }
            if (answer.size() > settings.maxRecords() * 4 && LOG.isDebugEnabled()) {
                LOG.debug(
                        "{}: {} records in one answer, at most {} used",
                        describe(qname, type),
                        answer.size(),
                        settings.maxRecords());
            }
            if (!found.isEmpty()) {
                for (Record r : found) {
                    ttl = Math.min(ttl, saneTtl(r.getTTL()));
                }
                return done(new DnsAnswer(DnsAnswer.Kind.FOUND, found, Math.min(ttl, settings.maxTtlSeconds()), null));
            }
            if (cname == null) {
                break;
            }
            ttl = Math.min(ttl, saneTtl(cname.getTTL()));
            Name target = cname.getTarget();
            if (--budget < 0 || !seen.add(target)) {
                return done(DnsAnswer.failed(describe(qname, type) + ": CNAME chain longer than "
                        + settings.maxCnameChain() + " or looping"));
            }
            current = target;
            if (!containsName(answer, current)) {
                // the server gave the alias but not what it points to: ask for the target itself
                final long chainTtl = ttl;
                return query(current, type, budget, seen)
                        .thenApply(a -> a.kind() == DnsAnswer.Kind.FOUND
                                ? new DnsAnswer(a.kind(), a.records(), Math.min(a.ttlSeconds(), chainTtl), null)
                                : a);
            }
        }
        DnsAnswer.Kind kind = rcode == Rcode.NXDOMAIN ? DnsAnswer.Kind.NO_NAME : DnsAnswer.Kind.NO_DATA;
        return done(new DnsAnswer(
                kind,
                List.of(),
                negativeTtl(response),
                describe(qname, type) + (kind == DnsAnswer.Kind.NO_NAME ? ": no such name" : ": no record")));
    }

    /** RFC 2308 §5: the negative TTL is the smaller of the SOA's TTL and its MINIMUM; no SOA, no caching. */
    private long negativeTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord) {
                SOARecord soa = (SOARecord) r;
                long ttl = Math.min(saneTtl(soa.getTTL()), saneTtl(soa.getMinimum()));
                return Math.min(ttl, settings.maxNegativeTtlSeconds());
            }
        }
        return -1;
    }

    private static boolean containsName(List<Record> records, Name name) {
        for (Record r : records) {
            if (r.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 2181 §8, for TTLs read from the wire, where dnsjava accepts any unsigned 32-bit value. */
    static long saneTtl(long ttl) {
        return ttl < 0 || ttl > MAX_SANE_TTL ? 0 : ttl;
    }

    private static CompletionStage<DnsAnswer> done(DnsAnswer a) {
        return CompletableFuture.completedFuture(a);
    }

    static String describe(Name name, int type) {
        return Type.string(type) + " " + name;
    }

    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
