// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolutionSource;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;

/**
 * What DNS said about one configured server, before the random part: the priority groups in order (for
 * NAPTR, one run of groups per NAPTR record), each member with its addresses. Every call draws a fresh
 * RFC 2782 order from it, so that many lines in one JVM still spread over equal servers, without asking
 * DNS again while every record is within its TTL.
 *
 * @param query the server
 * @param groups priority groups in the order to try them
 * @param expiry when the first record involved expires
 * @param refreshAt when to refresh in the background if the plan is used; {@code null} for never
 * @param source where the records came from when the plan was built
 * @param failure why there are no targets; {@code null} when there are
 */
record Plan(
        ServerAddress query,
        List<List<Member>> groups,
        Instant expiry,
        Instant refreshAt,
        ResolutionSource source,
        String failure) {

    /**
     * One SRV target (or the host itself when no SRV applies) with its addresses.
     *
     * @param host the name the addresses belong to
     * @param addresses its addresses, IPv4 first
     * @param port the port
     * @param transport the transport
     * @param priority SRV priority, 0 without SRV
     * @param weight SRV weight, 0 without SRV
     */
    record Member(String host, List<InetAddress> addresses, int port, Transport transport, int priority, int weight) {}

    Plan {
        groups = List.copyOf(groups);
    }

    boolean hasTargets() {
        for (List<Member> g : groups) {
            for (Member m : g) {
                if (!m.addresses().isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    Plan withRefreshAt(Instant at) {
        return new Plan(query, groups, expiry, at, source, failure);
    }

    /** A fresh draw, at most {@code maxTargets} long, labelled with {@code as}. */
    Resolution draw(RandomGenerator random, int maxTargets, ResolutionSource as) {
        List<ResolvedTarget> out = new ArrayList<>();
        for (List<Member> group : groups) {
            for (Member m : SrvOrder.order(group, Member::weight, random)) {
                for (InetAddress a : m.addresses()) {
                    if (out.size() == maxTargets) {
                        return Resolution.of(query, out, expiry, as);
                    }
                    out.add(new ResolvedTarget(m.host(), a, m.port(), m.transport(), m.priority(), m.weight()));
                }
            }
        }
        if (out.isEmpty()) {
            return Resolution.failed(query, expiry, as, failure != null ? failure : "no address for " + query);
        }
        return Resolution.of(query, out, expiry, as);
    }
}
