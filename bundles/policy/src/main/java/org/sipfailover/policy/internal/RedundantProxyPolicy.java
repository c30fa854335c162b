package org.sipfailover.policy.internal;

import static org.sipfailover.policy.internal.Servers.ref;
import static org.sipfailover.policy.internal.Servers.usable;

import java.util.List;
import java.util.Set;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.Trigger;

/**
 * The AudioCodes 400HD redundant proxy (seed 004), both modes. The line registers to one proxy at a time
 * and keeps it alive with OPTIONS at the keep-alive period (the line's probe interval).
 *
 * <ul>
 * <li>Asymmetric (mode 0): the primary has the higher priority. On the primary, it is probed; no answer,
 *     and the line registers to the redundant proxy while it goes on probing the primary; an answer (held
 *     for the failback hold-off, see {@link Failback}) and it registers to the primary again.
 * <li>Symmetric (mode 1): both have the same priority; only the proxy in use is probed, and the line
 *     switches only when that one fails: it never returns while the current one works.
 * <li>Both: while the proxy being tried does not answer, the line alternates between the two until one
 *     registers; after a restart it starts with the proxy it was last trying (the saved placement), not
 *     necessarily the primary.
 * </ul>
 *
 * AudioCodes has no backup registrar of its own: the registrar goes with the proxy (a separate backup
 * registrar, when one is configured, is used with the redundant proxy).
 */
abstract class RedundantProxyPolicy {

    private final boolean symmetric;

    RedundantProxyPolicy(boolean symmetric) {
        this.symmetric = symmetric;
    }

    abstract String policyName();

    void check(LineConfig c) {
        if (c.server(ServerRole.PROXY, Rank.BACKUP).isEmpty()) {
            throw new IllegalArgumentException("line " + c.id() + ": policy " + policyName()
                    + " needs a redundant proxy (proxy.backup)");
        }
    }

    Decision choose(PolicyInput in) {
        LineConfig c = in.config();
        Rank rank = in.current().activeBinding().map(Binding::proxy).orElse(Rank.PRIMARY);
        ServerRef primary = ref(ServerRole.PROXY, Rank.PRIMARY);
        ServerRef current = ref(ServerRole.PROXY, rank);
        ServerRef other = ref(ServerRole.PROXY, rank.other());
        String why = null;
        java.time.Instant reconsider = null;
        if (in.trigger() == Trigger.FORCED_FAILOVER) {
            rank = rank.other();
            why = "forced failover";
        } else if (!usable(in, current) || !usable(in, Servers.registrar(c, registrarRank(c, rank)))) {
            // the proxy tried does not answer: the other one, and so on until one registers
            rank = rank.other();
            why = current + " does not answer (" + in.health(current).lastCause() + "); trying " + other;
        } else if (!symmetric && rank == Rank.BACKUP) {
            Failback.Gate gate = Failback.check(in, List.of(primary));
            if (gate.now()) {
                rank = Rank.PRIMARY;
                why = "the primary answers again (" + gate.why() + ")";
            } else {
                reconsider = gate.at();
            }
        }
        // asymmetric: the primary is always kept alive or watched; symmetric: only the proxy in use
        Set<ServerRef> probes = symmetric || rank == Rank.PRIMARY ? Set.of(ref(ServerRole.PROXY, rank))
                : Set.of(primary, ref(ServerRole.PROXY, rank));
        Placement desired = Placement.of(new Binding(Servers.regId(c), rank, registrarRank(c, rank), null));
        if (desired.equals(in.current())) {
            return new Decision(in.current(), probes, reconsider, "stay: " + in.current());
        }
        return new Decision(desired, probes, reconsider, why == null ? "register to the " + rank.name().toLowerCase()
                + " proxy" : why);
    }

    private static Rank registrarRank(LineConfig c, Rank proxy) {
        return Servers.registrarFor(c, proxy, proxy);
    }
}
