package org.sipfailover.policy.internal;

import java.time.Instant;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.PolicyInput;

/** What every policy asks of a line's configuration and health, the same way the lines bundle reads them. */
final class Servers {

    private Servers() {
    }

    static ServerRef ref(ServerRole role, Rank rank) {
        return ServerRef.of(role, rank);
    }

    static boolean has(LineConfig c, ServerRole role, Rank rank) {
        return c.server(role, rank).isPresent();
    }

    /** The reg-id of a line's single binding: 1 with SIP outbound, 0 (plain RFC 3261) without. */
    static int regId(LineConfig c) {
        return c.sipOutbound() ? 1 : 0;
    }

    /** The registrar of a rank; a line without registrars registers at its proxy. */
    static ServerRef registrar(LineConfig c, Rank rank) {
        return has(c, ServerRole.REGISTRAR, rank) ? ref(ServerRole.REGISTRAR, rank) : ref(ServerRole.PROXY, rank);
    }

    /** The registrar rank that goes with a proxy rank when the line has no registrar of its own. */
    static Rank registrarFor(LineConfig c, Rank proxy, Rank wanted) {
        if (!has(c, ServerRole.REGISTRAR, Rank.PRIMARY)) {
            return proxy;
        }
        return has(c, ServerRole.REGISTRAR, wanted) ? wanted : Rank.PRIMARY;
    }

    /** A binding's first hop: its outbound proxy if it has one, else its registrar. */
    static ServerRef firstHop(LineConfig c, Binding b) {
        return b.outboundProxy() != null ? ref(ServerRole.OUTBOUND_PROXY, b.outboundProxy())
                : registrar(c, b.registrar());
    }

    static boolean usable(PolicyInput in, ServerRef server) {
        return in.health(server).usable(in.now());
    }

    static Instant now(PolicyInput in) {
        return in.now();
    }
}
