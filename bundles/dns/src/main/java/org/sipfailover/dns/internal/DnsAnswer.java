// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Record;

/**
 * One record set as a DNS server answered it, already checked and bounded: only records of the asked type
 * at the end of the CNAME chain that starts at the asked name, at most the configured number, TTLs cut to
 * the configured bound.
 *
 * @param kind the outcome
 * @param records the records for {@link Kind#FOUND}; empty otherwise
 * @param ttlSeconds how long the answer may be cached: the smallest record TTL, or for a negative answer
 *     the SOA-derived negative TTL (RFC 2308 §5), or -1 when it must not be cached at all
 * @param cause for {@link Kind#FAILED} (and negative answers), what happened, naming the server and name
 */
record DnsAnswer(Kind kind, List<Record> records, long ttlSeconds, String cause) {

    enum Kind {
        /** Records of the asked type exist. */
        FOUND,
        /** The name does not exist (NXDOMAIN). */
        NO_NAME,
        /** The name exists but has no record of this type (NODATA). */
        NO_DATA,
        /** No usable answer: time-out, SERVFAIL, REFUSED, malformed, or a CNAME chain too long. */
        FAILED
    }

    DnsAnswer {
        Objects.requireNonNull(kind, "kind");
        records = List.copyOf(records);
    }

    static DnsAnswer failed(String cause) {
        return new DnsAnswer(Kind.FAILED, List.of(), -1, cause);
    }

    /** Whether the answer is authoritative about the name (positive or negative), as opposed to a failure. */
    boolean isAnswer() {
        return kind != Kind.FAILED;
    }
}
