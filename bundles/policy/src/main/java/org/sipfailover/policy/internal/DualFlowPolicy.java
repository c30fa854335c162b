// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import static org.sipfailover.policy.internal.Servers.has;
import static org.sipfailover.policy.internal.Servers.usable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.policy.Trigger;

/**
 * {@code dual-flow}, beyond the seeds: RFC 5626 as it is meant (§3.1, §4.2), two flows registered at
 * once, reg-id 1 and 2, so that one failure costs no registration at all. Both bindings carry the primary
 * proxy's AOR:
 *
 * <ul>
 * <li>with a backup outbound proxy: reg-id 1 through the primary outbound proxy, reg-id 2 through the
 *     backup one, both to the primary registrar (two edge proxies in front of one registrar, RFC 5626
 *     §3.1);
 * <li>without outbound proxies: reg-id 1 at the primary registrar, reg-id 2 at the backup registrar.
 * </ul>
 *
 * The placement always holds both bindings; a failure never drops one (the line's flow recovers it in
 * the background, RFC 5626 §4.5, and registers it again). Only {@link Placement#active()}, the binding
 * that carries new requests and subscriptions, moves: it stays on a binding that is live and whose first
 * hop is usable; when that first hop fails it moves to the other binding, if that one's first hop is
 * usable (registered, or registering again). A binding whose first hop works but is
 * still registering (at start, after a recovery) keeps {@code active}, so a start never moves the
 * subscriptions twice. From reg-id 2, {@code active} returns to reg-id 1 once reg-id 1 is live and its
 * first hop has been up for the failback hold-off, so that a flapping flow does not move the
 * subscriptions back and forth. The failback mode and {@code failbackWhenIdle} do not apply: no
 * registration moves, and a call's dialog stays on the flow it started on. No probes: each flow has its
 * own keep-alive (RFC 5626 §4.4).
 *
 * <p>{@link Trigger#FORCED_FAILOVER} moves {@code active} to the other binding, {@link
 * Trigger#FORCED_FAILBACK} to reg-id 1. {@link #validate} requires SIP outbound and a second first hop:
 * a backup outbound proxy when an outbound proxy is configured (every request goes through it, so a second
 * registrar would give no second first hop), else a backup registrar (or, on a line without registrars, a
 * backup proxy).
 */
@Component(service = FailoverPolicy.class, property = FailoverPolicy.POLICY_NAME + "=" + DualFlowPolicy.NAME)
public final class DualFlowPolicy implements FailoverPolicy {

    public static final String NAME = "dual-flow";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(LineConfig c) {
        if (!c.sipOutbound()) {
            throw new IllegalArgumentException("line " + c.id() + ": policy dual-flow needs SIP outbound ("
                    + LineProperties.SIP_OUTBOUND + "=true)");
        }
        if (has(c, ServerRole.OUTBOUND_PROXY, Rank.PRIMARY)) {
            if (!has(c, ServerRole.OUTBOUND_PROXY, Rank.BACKUP)) {
                throw new IllegalArgumentException(
                        "line " + c.id() + ": policy dual-flow needs a backup outbound proxy ("
                                + LineProperties.serverKey(ServerRole.OUTBOUND_PROXY, Rank.BACKUP)
                                + "): every request goes through the outbound proxy, so it is the only first hop");
            }
        } else if (!Servers.registrarHasBackup(c)) {
            throw new IllegalArgumentException("line " + c.id() + ": policy dual-flow needs a second first hop: a "
                    + "backup registrar (" + LineProperties.serverKey(ServerRole.REGISTRAR, Rank.BACKUP)
                    + ") or a backup outbound proxy ("
                    + LineProperties.serverKey(ServerRole.OUTBOUND_PROXY, Rank.BACKUP)
                    + ")");
        }
    }

    /** The two bindings of a line, reg-id 1 then 2. */
    static List<Binding> bindings(LineConfig c) {
        if (has(c, ServerRole.OUTBOUND_PROXY, Rank.BACKUP)) {
            return List.of(
                    new Binding(1, Rank.PRIMARY, Rank.PRIMARY, Rank.PRIMARY),
                    new Binding(2, Rank.PRIMARY, Rank.PRIMARY, Rank.BACKUP));
        }
        return List.of(
                new Binding(1, Rank.PRIMARY, Rank.PRIMARY, null), new Binding(2, Rank.PRIMARY, Rank.BACKUP, null));
    }

    @Override
    public Decision decide(PolicyInput in) {
        LineConfig c = in.config();
        List<Binding> both = bindings(c);
        Steps steps = new Steps();
        int from = in.current().activeBinding().map(both::indexOf).orElse(-1);
        int active = from < 0 ? start(in, both, steps) : next(in, both, from, steps);
        return steps.decide(in, new Placement(both, active), "both flows of line " + c.id());
    }

    /** At start, or from another policy's placement: reg-id 1 unless its first hop is known down. */
    private static int start(PolicyInput in, List<Binding> both, Steps steps) {
        int i = usable(in, hop(in, both, 0)) || !usable(in, hop(in, both, 1)) ? 0 : 1;
        steps.moved("register both flows; new work over reg-id " + both.get(i).regId());
        return i;
    }

    private static int next(PolicyInput in, List<Binding> both, int from, Steps steps) {
        if (in.trigger() == Trigger.FORCED_FAILOVER) {
            steps.moved("forced failover: new work over reg-id "
                    + both.get(1 - from).regId());
            return 1 - from;
        }
        if (in.trigger() == Trigger.FORCED_FAILBACK) {
            if (from != 0) {
                steps.moved("forced failback: new work over reg-id 1");
            }
            return 0;
        }
        int other = 1 - from;
        if (!usable(in, hop(in, both, from))) {
            String why = Servers.failure(in, hop(in, both, from));
            if (!usable(in, hop(in, both, other))) {
                steps.stayed(why + ", and " + Servers.failure(in, hop(in, both, other)));
                return from;
            }
            // a failure moves new work at once, no hold-off: the flow it was on is gone
            steps.moved(why + ": new work over reg-id " + both.get(other).regId());
            return other;
        }
        if (from == 0 || !good(in, both, 0)) {
            return from;
        }
        // from reg-id 2 back to reg-id 1 only after the hold-off: a flapping flow must not move the subscriptions
        ServerHealth h = in.health(hop(in, both, 0));
        if (h.state() != HealthState.UP) {
            return from;
        }
        Instant ready = h.since().plus(in.config().failbackHoldOff());
        if (in.now().isBefore(ready)) {
            steps.askAt(ready);
            steps.stayed(h.server() + " up since " + h.since() + ", hold-off until " + ready);
            return from;
        }
        steps.moved(h.server() + " up for " + Steps.text(Duration.between(h.since(), in.now()))
                + ": new work back over reg-id 1");
        return 0;
    }

    private static boolean good(PolicyInput in, List<Binding> both, int i) {
        return in.live().contains(both.get(i)) && usable(in, hop(in, both, i));
    }

    private static ServerRef hop(PolicyInput in, List<Binding> both, int i) {
        return Servers.firstHop(in.config(), both.get(i));
    }
}
