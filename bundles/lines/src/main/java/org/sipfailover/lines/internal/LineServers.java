// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;

/** A line's servers: which one a binding goes through or registers at, and their cached addresses; lane-owned. */
final class LineServers {

    private final LineContext line;
    /** The servers' addresses with the line's transport, for {@link #addressesOf}. */
    private final Map<ServerRef, ServerAddress> addresses = new HashMap<>();

    private LineConfig addressesOf;

    LineServers(LineContext line) {
        this.line = line;
    }

    /** A binding's first hop: its outbound proxy if it has one, else its registrar. */
    ServerRef firstHop(Binding b) {
        return b.outboundProxy() != null
                ? ServerRef.of(ServerRole.OUTBOUND_PROXY, b.outboundProxy())
                : registrarRef(b.registrar());
    }

    /** The registrar of a rank; a line with no registrar configured registers at its proxy. */
    ServerRef registrarRef(Rank rank) {
        ServerRef r = ServerRef.of(ServerRole.REGISTRAR, rank);
        return line.config().server(r).isPresent() ? r : ServerRef.of(ServerRole.PROXY, rank);
    }

    /** The address of a binding's registrar. */
    ServerAddress registrarAddress(Binding b) {
        return address(registrarRef(b.registrar()));
    }

    /** A configured server's address with the line's transport when the address names none. */
    ServerAddress address(ServerRef ref) {
        LineConfig c = line.config();
        if (c != addressesOf) {
            // kept per configuration: every observation asks for every server's address, and making one
            // validates its host again (ten thousand lines hear each probe answer)
            addresses.clear();
            addressesOf = c;
        }
        ServerAddress cached = addresses.get(ref);
        if (cached != null) {
            return cached;
        }
        ServerAddress a = c.server(ref)
                .orElseThrow(() -> new IllegalStateException("line " + c.id() + ": " + ref + " is not configured"));
        a = a.transport() == null && c.transport().isPresent()
                ? a.withTransport(c.transport().get())
                : a;
        addresses.put(ref, a);
        return a;
    }

    /** The configured servers at an address (one Kamailio is often the proxy and the registrar). */
    List<ServerRef> refsAt(ServerAddress a) {
        List<ServerRef> out = new ArrayList<>();
        for (ServerRef ref : line.config().servers().keySet()) {
            if (address(ref).equals(a)) {
                out.add(ref);
            }
        }
        return out;
    }

    /** Whether every server a placement names is configured for this line. */
    boolean usable(Placement p) {
        LineConfig config = line.config();
        for (Binding b : p.bindings()) {
            if (config.server(ServerRole.PROXY, b.proxy()).isEmpty()
                    || (b.outboundProxy() != null
                            && config.server(ServerRole.OUTBOUND_PROXY, b.outboundProxy())
                                    .isEmpty())
                    || config.server(registrarRef(b.registrar())).isEmpty()) {
                return false;
            }
            if (b.regId() == 0 && config.sipOutbound() || b.regId() != 0 && !config.sipOutbound()) {
                return false;
            }
        }
        return true;
    }
}
