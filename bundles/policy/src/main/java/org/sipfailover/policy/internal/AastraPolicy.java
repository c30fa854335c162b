// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import static org.sipfailover.policy.internal.Servers.allUsable;
import static org.sipfailover.policy.internal.Servers.failure;
import static org.sipfailover.policy.internal.Servers.firstUnusable;
import static org.sipfailover.policy.internal.Servers.has;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.sipfailover.api.policy.Trigger;

/**
 * {@code aastra}: the backup proxy, registrar and outbound proxy behaviour of Aastra/Mitel phones (seeds
 * 000, 001, 003; backup proxy/registrar basics in 002). One binding, reg-id 1 with SIP outbound, 0
 * without; the line starts on the primaries. Which row applies follows from the servers configured:
 *
 * <ul>
 * <li><b>Backup proxy and backup registrar</b>, no backup outbound proxy (SIP outbound off or on): the
 *     proxy and the registrar move independently. The primary registrar fails: the binding goes to the
 *     backup registrar with the proxy (the AOR) it has. The primary proxy fails: the backup proxy's AOR is
 *     registered at the registrar in use, and the subscriptions follow the active binding's proxy. The
 *     primary registrar is back: register there with the AOR in use ("the currently active AOR"). The
 *     primary proxy is back: the primary AOR at the registrar in use. A primary outbound proxy without a
 *     backup stays the first hop throughout. A backup registrar counts as configured when {@code
 *     registrar.backup} is set, or when the line has no registrar at all (its proxies register).
 * <li><b>Backup outbound proxy</b> configured: every role with a backup moves as one. Backup proxy,
 *     registrar and outbound proxy: (primary, primary, primary) until the primary outbound proxy fails
 *     (with SIP outbound off: until any primary fails, "if any connection fails"), then (backup, backup,
 *     backup), back when the primary outbound proxy (all the primaries) is healthy again. Backup outbound
 *     proxy only: (primary, primary, primary) to (primary, primary, backup) and back.
 * <li><b>No backup at all</b>: the line stays on its primaries; its flows recover by themselves.
 * </ul>
 *
 * For each role (or the group): a primary that is unusable (grey, or black-listed by a 503 Retry-After) is
 * left for a usable backup; when the backup is unusable too the line stays and the backup is probed, so
 * that it is used once it answers. A backup that fails while the primary is usable sends the line back at
 * once. A working backup is left for the primary by the {@link Failback} rules: primary up for the
 * hold-off, the failback mode's occasion, no call in progress when {@code failbackWhenIdle}. While the line
 * is on a backup its primaries are in {@link Decision#probes()} (the flow re-established "in the
 * background"), except in failback mode never and during a failback timeout.
 *
 * <p>{@link Trigger#FORCED_FAILOVER} moves every role that has a backup to it; {@link
 * Trigger#FORCED_FAILBACK} moves everything back to the primaries. A restart (or a swap from another
 * policy) continues from the line's placement, read as this policy's shape: the active binding's ranks
 * for the roles that have a backup, primary for the others.
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
        Binding from = in.current().activeBinding().orElse(null);
        Steps steps = new Steps();
        Binding to = has(c, ServerRole.OUTBOUND_PROXY, Rank.BACKUP)
                ? together(in, from, steps)
                : eachOnItsOwn(in, from, steps);
        return steps.decide(in, Placement.of(to), "placement fitted to the aastra rows of line " + c.id());
    }

    /** The backup proxy and backup registrar rows: each role fails over and back on its own. */
    private static Binding eachOnItsOwn(PolicyInput in, Binding from, Steps steps) {
        LineConfig c = in.config();
        boolean proxyBackup = has(c, ServerRole.PROXY, Rank.BACKUP);
        boolean registrarBackup = Servers.registrarHasBackup(c);
        Rank proxy = proxyBackup && from != null ? from.proxy() : Rank.PRIMARY;
        Rank registrar = registrarBackup && from != null ? from.registrar() : Rank.PRIMARY;
        if (proxyBackup) {
            proxy = step(
                    in,
                    "proxy",
                    List.of(ServerRef.of(ServerRole.PROXY, Rank.PRIMARY)),
                    List.of(ServerRef.of(ServerRole.PROXY, Rank.BACKUP)),
                    proxy,
                    steps);
        }
        if (registrarBackup) {
            registrar = step(
                    in,
                    "registrar",
                    List.of(Servers.registrar(c, Rank.PRIMARY)),
                    List.of(Servers.registrar(c, Rank.BACKUP)),
                    registrar,
                    steps);
        }
        Rank outbound = has(c, ServerRole.OUTBOUND_PROXY, Rank.PRIMARY) ? Rank.PRIMARY : null;
        return new Binding(Servers.regId(c), proxy, registrar, outbound);
    }

    /** The backup outbound proxy rows: every role with a backup moves with the outbound proxy. */
    private static Binding together(PolicyInput in, Binding from, Steps steps) {
        LineConfig c = in.config();
        boolean proxyBackup = has(c, ServerRole.PROXY, Rank.BACKUP);
        boolean registrarBackup = Servers.registrarHasBackup(c);
        List<ServerRef> primaries = new ArrayList<>();
        List<ServerRef> backups = new ArrayList<>();
        primaries.add(ServerRef.of(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY));
        backups.add(ServerRef.of(ServerRole.OUTBOUND_PROXY, Rank.BACKUP));
        if (!c.sipOutbound()) {
            // seed 001: without SIP outbound "if any connection fails" the line moves; with it, the outbound
            // proxy keeps its own connections to the proxy and registrar (seed 000 note) and only its flow counts
            if (proxyBackup) {
                primaries.add(ServerRef.of(ServerRole.PROXY, Rank.PRIMARY));
                backups.add(ServerRef.of(ServerRole.PROXY, Rank.BACKUP));
            }
            if (registrarBackup) {
                primaries.add(Servers.registrar(c, Rank.PRIMARY));
                backups.add(Servers.registrar(c, Rank.BACKUP));
            }
        }
        Rank rank = from == null ? Rank.PRIMARY : from.outboundProxy() != null ? from.outboundProxy() : from.proxy();
        rank = step(
                in, proxyBackup || registrarBackup ? "primaries" : "outbound proxy", primaries, backups, rank, steps);
        return new Binding(
                Servers.regId(c), proxyBackup ? rank : Rank.PRIMARY, registrarBackup ? rank : Rank.PRIMARY, rank);
    }

    /**
     * One role's (or the group's) next rank.
     *
     * @param what the role, for the transition log
     * @param primaries the primary servers whose failure moves the role and whose health brings it back
     * @param backups their backups, in the same order
     */
    private static Rank step(
            PolicyInput in, String what, List<ServerRef> primaries, List<ServerRef> backups, Rank rank, Steps steps) {
        if (in.trigger() == Trigger.FORCED_FAILOVER) {
            if (rank == Rank.PRIMARY) {
                steps.moved("forced failover: " + what + " to the backup");
            }
            if (Failback.watch(in, primaries)) {
                steps.probe(primaries);
            }
            return Rank.BACKUP;
        }
        if (in.trigger() == Trigger.FORCED_FAILBACK) {
            if (rank == Rank.BACKUP) {
                steps.moved("forced failback: " + what + " to the primary");
            }
            return Rank.PRIMARY;
        }
        if (rank == Rank.PRIMARY) {
            Optional<ServerRef> failed = firstUnusable(in, primaries);
            if (failed.isEmpty()) {
                return Rank.PRIMARY;
            }
            if (allUsable(in, backups)) {
                steps.moved(failure(in, failed.get()));
                if (Failback.watch(in, primaries)) {
                    steps.probe(primaries);
                }
                return Rank.BACKUP;
            }
            // both down: the primary's flow keeps recovering by itself; the backup is watched so that the
            // line moves as soon as it answers
            steps.stayed(failure(in, failed.get()) + ", and "
                    + failure(in, firstUnusable(in, backups).orElseThrow()));
            steps.probe(backups);
            return Rank.PRIMARY;
        }
        Optional<ServerRef> failed = firstUnusable(in, backups);
        if (failed.isPresent()) {
            if (allUsable(in, primaries)) {
                // not a failback: the backup is gone, so no hold-off and no waiting for idle
                steps.moved(failure(in, failed.get()) + ": " + what + " back to the primary");
                return Rank.PRIMARY;
            }
            steps.stayed(failure(in, failed.get()) + ", and "
                    + failure(in, firstUnusable(in, primaries).orElseThrow()));
            steps.probe(primaries);
            return Rank.BACKUP;
        }
        if (Failback.watch(in, primaries)) {
            steps.probe(primaries);
        }
        Failback.Outcome o = Failback.check(in, primaries, backups);
        switch (o.verdict()) {
            case GO:
                steps.moved(what + " back to the primary: " + o.reason());
                return Rank.PRIMARY;
            case WAIT:
                steps.askAt(o.at());
                steps.stayed(what + ": " + o.reason());
                return Rank.BACKUP;
            default:
                steps.stayed(what + ": " + o.reason());
                return Rank.BACKUP;
        }
    }
}
