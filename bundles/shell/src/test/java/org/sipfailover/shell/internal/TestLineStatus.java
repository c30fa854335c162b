// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.ServerHealth;

/** A line as the lines bundle reports it, for the formatter and command tests; records the drills asked of it. */
final class TestLineStatus implements LineStatus {

    static final Placement PRIMARY = Placement.of(new Binding(0, Rank.PRIMARY, Rank.PRIMARY, null));
    static final Placement BACKUP = Placement.of(new Binding(0, Rank.BACKUP, Rank.BACKUP, null));

    private final LineConfig config;
    private final String policyName;
    private final List<LineTransition> transitions;
    final List<String> drills = new CopyOnWriteArrayList<>();

    TestLineStatus(String id, String policyName, String configuredPolicy, List<LineTransition> transitions) {
        this.config = LineConfig.builder(id)
                .user("1001")
                .credentials(new Credentials("1001", "s3cret"))
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("127.0.0.1:5060"))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.parse("127.0.0.2:5060"))
                .policy(configuredPolicy)
                .build();
        this.policyName = policyName;
        this.transitions = List.copyOf(transitions);
    }

    /** A line without transitions, deciding with {@code policyName}, configured for {@code configuredPolicy}. */
    static TestLineStatus using(String id, String policyName, String configuredPolicy) {
        return new TestLineStatus(id, policyName, configuredPolicy, List.of());
    }

    public String lineId() {
        return config.id();
    }

    public LineConfig config() {
        return config;
    }

    public Placement placement() {
        return transitions.isEmpty()
                ? PRIMARY
                : transitions.get(transitions.size() - 1).to();
    }

    public Set<Binding> liveBindings() {
        return Set.copyOf(placement().bindings());
    }

    public String policyName() {
        return policyName;
    }

    public Map<ServerRef, ServerHealth> health() {
        return Map.of();
    }

    public List<LineTransition> transitions() {
        return transitions;
    }

    public void forceFailover() {
        drills.add("failover");
    }

    public void forceFailback() {
        drills.add("failback");
    }

    public void setCallInProgress(boolean inProgress) {}
}
