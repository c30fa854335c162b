package org.sipfailover.policy.internal;

import static org.sipfailover.policy.internal.Servers.has;
import static org.sipfailover.policy.internal.Servers.ref;
import static org.sipfailover.policy.internal.Servers.usable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Component;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;

/**
 * {@code aastra}: the Aastra/Mitel backup proxy, registrar and outbound proxy behaviour (seeds 000, 001,
 * 003). The line starts on the primaries. The rows of the Aastra tables:
 *
 * <ul>
 * <li><b>Backup proxy and backup registrar</b> (SIP outbound off, reg-id 0, or on, reg-id 1): proxy and
 *     registrar fail over independently. The primary registrar fails: register at the backup registrar
 *     with the AOR in use. The primary proxy fails: register the backup proxy's AOR at the registrar in use,
 *     and the subscriptions move to the backup proxy (the line moves them with the active binding's proxy).
 *     The primary registrar is back: register there with the AOR in use. The primary proxy is back:
 *     register the primary AOR at the registrar in use, subscriptions back. A primary in use is watched by
 *     its binding's flow; one not in use is probed, which is how the line "re-establishes the flow in the
 *     background".
 * <li><b>Backup proxy, registrar and outbound proxy</b>: every request goes through the primary outbound
 *     proxy; when it fails (with SIP outbound off: when any primary fails), the backup AOR is registered at
 *     the backup registrar through the backup outbound proxy and the subscriptions move; when the primary
 *     outbound proxy (all primaries) is back, everything returns.
 * <li><b>Backup outbound proxy only</b>: registration and subscriptions through the backup outbound proxy
 *     while the primary one is down, back through the primary when it returns; proxy and registrar stay.
 * <li>No backup at all: the line stays on its primaries; its flows recover by themselves.
 * </ul>
 *
 * A backup that fails while the primary is usable again sends the line back at once (both were tried);
 * otherwise a return waits for the {@link Failback} rules: the primary up for the hold-off, the failback
 * mode's occasion, no call in progress.
 */
@Component(service = FailoverPolicy.class, property = FailoverPolicy.POLICY_NAME + "=" + AastraPolicy.NAME)
public final class AastraPolicy implements FailoverPolicy {

    public static final String NAME = "aastra";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Decision decide(PolicyInput in) {
        LineConfig c = in.config();
        boolean backupOutbound = has(c, ServerRole.OUTBOUND_PROXY, Rank.BACKUP);
        boolean backupProxy = has(c, ServerRole.PROXY, Rank.BACKUP);
        boolean backupRegistrar = has(c, ServerRole.REGISTRAR, Rank.BACKUP);
        Binding now = in.current().activeBinding().orElse(null);
        if (backupOutbound && (backupProxy || backupRegistrar)) {
            return allTogether(in, now);
        }
        if (backupOutbound) {
            return outboundProxyOnly(in, now);
        }
        return proxyAndRegistrar(in, now);
    }

    /** Backup proxy and/or registrar, no backup outbound proxy: each fails over and back on its own. */
    private Decision proxyAndRegistrar(PolicyInput in, Binding now) {
        LineConfig c = in.config();
        Rank outbound = has(c, ServerRole.OUTBOUND_PROXY, Rank.PRIMARY) ? Rank.PRIMARY : null;
        Rank proxy = now == null ? Rank.PRIMARY : now.proxy();
        Rank registrar = now == null ? Rank.PRIMARY : now.registrar();
        List<String> why = new ArrayList<>();
        Set<ServerRef> probes = new LinkedHashSet<>();
        Instant[] reconsider = {null};

        proxy = move(in, ServerRole.PROXY, proxy, why, probes, reconsider);
        if (has(c, ServerRole.REGISTRAR, Rank.PRIMARY)) {
            registrar = move(in, ServerRole.REGISTRAR, registrar, why, probes, reconsider);
        } else {
            registrar = proxy; // the proxy is the registrar
        }
        Placement desired = Placement.of(new Binding(Servers.regId(c), proxy, registrar, outbound));
        return decision(in, desired, probes, reconsider[0], why);
    }

    /** One role's next rank: fail over, fail back, or stay; probes and timers for a primary not in use. */
    private static Rank move(PolicyInput in, ServerRole role, Rank rank, List<String> why, Set<ServerRef> probes,
            Instant[] reconsider) {
        LineConfig c = in.config();
        ServerRef primary = ref(role, Rank.PRIMARY);
        ServerRef backup = ref(role, Rank.BACKUP);
        if (!has(c, role, Rank.BACKUP)) {
            return Rank.PRIMARY;
        }
        if (rank == Rank.PRIMARY) {
            if (!usable(in, primary) && usable(in, backup)) {
                why.add(primary + " failed: " + in.health(primary).lastCause());
                probes.add(primary);
                return Rank.BACKUP;
            }
            if (!usable(in, primary)) {
                // both down: the primary's flow keeps trying; the backup is watched so that it is used once back
                probes.add(backup);
            }
            return Rank.PRIMARY;
        }
        probes.add(primary);
        if (!usable(in, backup) && usable(in, primary)) {
            why.add(backup + " failed: " + in.health(backup).lastCause() + "; trying the primary again");
            return Rank.PRIMARY;
        }
        Failback.Gate gate = Failback.check(in, List.of(primary));
        if (gate.now()) {
            why.add(primary + " is back (" + gate.why() + ")");
            return Rank.PRIMARY;
        }
        reconsider[0] = earliest(reconsider[0], gate.at());
        return Rank.BACKUP;
    }

    /** Backup proxy + registrar + outbound proxy: all primaries or all backups. */
    private Decision allTogether(PolicyInput in, Binding now) {
        LineConfig c = in.config();
        List<ServerRef> watched = new ArrayList<>();
        watched.add(ref(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY));
        if (!c.sipOutbound()) {
            // without outbound "if any connection fails": the proxy and registrar are reached directly too
            watched.add(ref(ServerRole.PROXY, Rank.PRIMARY));
            watched.add(Servers.registrar(c, Rank.PRIMARY));
        }
        Rank rank = now == null ? Rank.PRIMARY : now.outboundProxy() == null ? Rank.PRIMARY : now.outboundProxy();
        List<String> why = new ArrayList<>();
        Set<ServerRef> probes = new LinkedHashSet<>();
        Instant reconsider = null;
        ServerRef backupHop = ref(ServerRole.OUTBOUND_PROXY, Rank.BACKUP);
        if (rank == Rank.PRIMARY) {
            ServerRef failed = watched.stream().filter(s -> !usable(in, s)).findFirst().orElse(null);
            if (failed != null && usable(in, backupHop)) {
                why.add(failed + " failed: " + in.health(failed).lastCause());
                rank = Rank.BACKUP;
            }
        } else if (!usable(in, backupHop) && watched.stream().allMatch(s -> usable(in, s))) {
            why.add(backupHop + " failed; trying the primaries again");
            rank = Rank.PRIMARY;
        } else {
            Failback.Gate gate = Failback.check(in, watched);
            if (gate.now()) {
                why.add("the primaries are back (" + gate.why() + ")");
                rank = Rank.PRIMARY;
            } else {
                reconsider = gate.at();
            }
        }
        if (rank == Rank.BACKUP) {
            probes.addAll(watched);
        }
        Rank proxy = has(c, ServerRole.PROXY, rank) ? rank : Rank.PRIMARY;
        Binding b = new Binding(Servers.regId(c), proxy, Servers.registrarFor(c, proxy, rank), rank);
        return decision(in, Placement.of(b), probes, reconsider, why);
    }

    /** Backup outbound proxy only: the first hop moves, the proxy and registrar stay. */
    private Decision outboundProxyOnly(PolicyInput in, Binding now) {
        LineConfig c = in.config();
        Rank rank = now == null || now.outboundProxy() == null ? Rank.PRIMARY : now.outboundProxy();
        List<String> why = new ArrayList<>();
        Set<ServerRef> probes = new LinkedHashSet<>();
        Instant[] reconsider = {null};
        rank = move(in, ServerRole.OUTBOUND_PROXY, rank, why, probes, reconsider);
        Binding b = new Binding(Servers.regId(c), Rank.PRIMARY, Servers.registrarFor(c, Rank.PRIMARY, Rank.PRIMARY),
                rank);
        return decision(in, Placement.of(b), probes, reconsider[0], why);
    }

    private static Decision decision(PolicyInput in, Placement desired, Set<ServerRef> probes, Instant reconsider,
            List<String> why) {
        if (desired.equals(in.current())) {
            return new Decision(in.current(), probes, reconsider, "stay: " + in.current());
        }
        return new Decision(desired, probes, reconsider, why.isEmpty() ? "start on the primaries" : String.join("; ", why));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
