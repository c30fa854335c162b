package org.sipfailover.policy.internal;

import static org.sipfailover.policy.internal.Servers.has;
import static org.sipfailover.policy.internal.Servers.usable;

import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Component;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;

/**
 * {@code dual-flow}, beyond the seeds: RFC 5626 §3 as meant, two flows registered at once, reg-id 1 and 2,
 * so that one failure costs no binding at all. Through the primary and backup outbound proxy when a
 * backup outbound proxy is configured (the same AOR at the same registrar, RFC 5626 §3.1's two edge
 * proxies), else at the primary and the backup registrar. Both bindings are always wanted; new requests
 * and subscriptions go over a live one whose first hop is usable, reg-id 1 first. A failed flow recovers
 * in the background (RFC 5626 §4.5) and re-registers by itself.
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
            throw new IllegalArgumentException("line " + c.id() + ": policy dual-flow needs SIP outbound (sipOutbound)");
        }
        if (!has(c, ServerRole.OUTBOUND_PROXY, Rank.BACKUP) && !has(c, ServerRole.REGISTRAR, Rank.BACKUP)
                && !has(c, ServerRole.PROXY, Rank.BACKUP)) {
            throw new IllegalArgumentException("line " + c.id() + ": policy dual-flow needs a second first hop: a "
                    + "backup outbound proxy (outboundProxy.backup) or a backup registrar (registrar.backup)");
        }
    }

    static List<Binding> bindings(LineConfig c) {
        if (has(c, ServerRole.OUTBOUND_PROXY, Rank.BACKUP)) {
            Rank registrar = Servers.registrarFor(c, Rank.PRIMARY, Rank.PRIMARY);
            return List.of(new Binding(1, Rank.PRIMARY, registrar, Rank.PRIMARY),
                    new Binding(2, Rank.PRIMARY, registrar, Rank.BACKUP));
        }
        return List.of(new Binding(1, Rank.PRIMARY, Rank.PRIMARY, null),
                new Binding(2, Rank.PRIMARY, Rank.BACKUP, null));
    }

    @Override
    public Decision decide(PolicyInput in) {
        LineConfig c = in.config();
        List<Binding> both = bindings(c);
        int active = -1;
        for (int i = 0; i < both.size() && active < 0; i++) {
            if (in.live().contains(both.get(i)) && usable(in, Servers.firstHop(c, both.get(i)))) {
                active = i;
            }
        }
        for (int i = 0; i < both.size() && active < 0; i++) {
            if (usable(in, Servers.firstHop(c, both.get(i)))) {
                active = i;
            }
        }
        Placement desired = new Placement(both, active < 0 ? 0 : active);
        if (desired.equals(in.current())) {
            return new Decision(in.current(), Set.of(), null, "stay: " + in.current());
        }
        Binding a = desired.activeBinding().orElseThrow();
        return new Decision(desired, Set.of(), null, in.current().isNone() ? "register both flows"
                : "new work over reg-id " + a.regId() + " (" + Servers.firstHop(c, a) + ")");
    }
}
