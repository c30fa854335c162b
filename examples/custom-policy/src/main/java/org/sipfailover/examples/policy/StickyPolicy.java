// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.examples.policy;

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
 * {@code sticky}: a line stays on whichever proxy works, and moves only when that one fails; it never moves
 * back by itself. The primary is where a line starts.
 *
 * <p>The whole of a policy: a pure function from {@link PolicyInput} to {@link Decision}, published as a
 * {@link FailoverPolicy} service with its {@code policy.name}. The lines bundle does the SIP work
 * (registering the new binding before it drops the old one), keeps the health of each server, and hands a
 * running line to this policy when the line's {@code policy} setting names it; nothing is registered again
 * unless this policy wants another placement than the line's current one.
 */
@Component(service = FailoverPolicy.class, property = FailoverPolicy.POLICY_NAME + "=" + StickyPolicy.NAME)
public final class StickyPolicy implements FailoverPolicy {

    public static final String NAME = "sticky";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(LineConfig config) {
        if (config.server(ServerRole.PROXY, Rank.BACKUP).isEmpty()) {
            throw new IllegalArgumentException(
                    "line " + config.id() + ": the sticky policy needs a backup proxy" + " (proxy.backup)");
        }
    }

    @Override
    public Decision decide(PolicyInput in) {
        Rank home = in.current().activeBinding().map(Binding::proxy).orElse(Rank.PRIMARY);
        Rank other = home == Rank.PRIMARY ? Rank.BACKUP : Rank.PRIMARY;
        ServerRef homeHop = firstHop(in.config(), home);
        if (in.health(homeHop).usable(in.now())
                || !in.health(firstHop(in.config(), other)).usable(in.now())) {
            // the one in use works, or neither does: stay (the line keeps retrying where it is)
            return Decision.stay(
                    placement(in.config(), home),
                    in.current().isNone() ? "start on the " + home.name().toLowerCase() : "stay");
        }
        return new Decision(
                placement(in.config(), other),
                Set.of(),
                null,
                homeHop + " failed: " + in.health(homeHop).lastCause());
    }

    /** The one binding of a line on the servers of one rank; a rank without a registrar registers at its proxy. */
    static Placement placement(LineConfig c, Rank rank) {
        Rank outbound = c.server(ServerRole.OUTBOUND_PROXY, rank).isPresent() ? rank : null;
        return Placement.of(new Binding(c.sipOutbound() ? 1 : 0, rank, rank, outbound));
    }

    /** Where the line's requests for a rank go first: its outbound proxy, else its registrar, else its proxy. */
    static ServerRef firstHop(LineConfig c, Rank rank) {
        for (ServerRole role : new ServerRole[] {ServerRole.OUTBOUND_PROXY, ServerRole.REGISTRAR}) {
            if (c.server(role, rank).isPresent()) {
                return ServerRef.of(role, rank);
            }
        }
        return ServerRef.of(ServerRole.PROXY, rank);
    }
}
