// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.ServerHealth;

/**
 * A line's servers read the way the lines bundle reads them, so that a policy names exactly the server
 * the line will use and observe: a registrar rank without a registrar of that rank is the proxy of that
 * rank, and a binding's first hop is its outbound proxy, else its registrar.
 */
final class Servers {

    private Servers() {}

    static boolean has(LineConfig c, ServerRole role, Rank rank) {
        return c.server(role, rank).isPresent();
    }

    /** The reg-id of a single-binding line: 1 with SIP outbound (RFC 5626 §4.2), 0 without. */
    static int regId(LineConfig c) {
        return c.sipOutbound() ? 1 : 0;
    }

    /** The server a binding's registrar rank names; a line without registrars registers at its proxy. */
    static ServerRef registrar(LineConfig c, Rank rank) {
        return has(c, ServerRole.REGISTRAR, rank)
                ? ServerRef.of(ServerRole.REGISTRAR, rank)
                : ServerRef.of(ServerRole.PROXY, rank);
    }

    /**
     * Whether the registrar can move to a backup: a backup registrar is configured, or the line has no
     * registrar at all (its proxies register) and a backup proxy. A line with a primary registrar and no
     * backup registrar keeps its registrar: moving it would register at the backup proxy, which was never
     * configured as a registrar.
     */
    static boolean registrarHasBackup(LineConfig c) {
        return has(c, ServerRole.REGISTRAR, Rank.BACKUP)
                || !has(c, ServerRole.REGISTRAR, Rank.PRIMARY) && has(c, ServerRole.PROXY, Rank.BACKUP);
    }

    /** A binding's first hop: its outbound proxy if it has one, else its registrar. */
    static ServerRef firstHop(LineConfig c, Binding b) {
        return b.outboundProxy() != null
                ? ServerRef.of(ServerRole.OUTBOUND_PROXY, b.outboundProxy())
                : registrar(c, b.registrar());
    }

    static boolean usable(PolicyInput in, ServerRef s) {
        return in.health(s).usable(in.now());
    }

    static boolean allUsable(PolicyInput in, Collection<ServerRef> servers) {
        return servers.stream().allMatch(s -> usable(in, s));
    }

    static Optional<ServerRef> firstUnusable(PolicyInput in, Collection<ServerRef> servers) {
        return servers.stream().filter(s -> !usable(in, s)).findFirst();
    }

    /** For the transition log: "primary registrar failed: PONG_TIMEOUT". */
    static String failure(PolicyInput in, ServerRef s) {
        ServerHealth h = in.health(s);
        String cause = h.lastCause() == null ? "" : ": " + h.lastCause();
        return h.state() == HealthState.BLACK ? s + " refuses work until " + h.until() + cause : s + " failed" + cause;
    }

    /**
     * The servers to probe: only configured ones, and one per address, because the line reports a
     * probe's answer for every server configured at that address (one Kamailio is often proxy and
     * registrar), so a second OPTIONS to the same address would tell nothing new.
     */
    static Set<ServerRef> probes(LineConfig c, Collection<ServerRef> wanted) {
        Set<ServerRef> out = new LinkedHashSet<>();
        List<ServerAddress> seen = new ArrayList<>();
        for (ServerRef s : wanted) {
            Optional<ServerAddress> a = c.server(s);
            if (a.isPresent() && !seen.contains(a.get())) {
                seen.add(a.get());
                out.add(s);
            }
        }
        return out;
    }
}
