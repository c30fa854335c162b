// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.examples.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.policy.Trigger;

class StickyPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final ServerRef PRIMARY = ServerRef.of(ServerRole.PROXY, Rank.PRIMARY);
    private static final ServerRef BACKUP = ServerRef.of(ServerRole.PROXY, Rank.BACKUP);
    private static final LineConfig LINE = LineConfig.builder("l1")
            .user("1001")
            .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("127.0.0.1:5060"))
            .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.parse("127.0.0.2:5060"))
            .build();

    private final StickyPolicy policy = new StickyPolicy();

    @Test
    void startsOnThePrimary() {
        Decision d = policy.decide(input(Placement.NONE, Map.of(), Trigger.START));

        assertThat(d.desired()).isEqualTo(StickyPolicy.placement(LINE, Rank.PRIMARY));
    }

    @Test
    void movesToTheBackupWhenThePrimaryFails() {
        Placement onPrimary = StickyPolicy.placement(LINE, Rank.PRIMARY);

        Decision d = policy.decide(input(onPrimary, Map.of(PRIMARY, failed(PRIMARY)), Trigger.OBSERVATION));

        assertThat(d.desired()).isEqualTo(StickyPolicy.placement(LINE, Rank.BACKUP));
        assertThat(d.reason()).contains("primary proxy failed", "PONG_TIMEOUT");
    }

    @Test
    void staysOnTheBackupWhenThePrimaryComesBack() {
        Placement onBackup = StickyPolicy.placement(LINE, Rank.BACKUP);

        Decision d = policy.decide(input(onBackup, Map.of(PRIMARY, up(PRIMARY), BACKUP, up(BACKUP)), Trigger.TIMER));

        assertThat(d.desired()).isEqualTo(onBackup);
    }

    @Test
    void staysWhereItIsWhenBothFail() {
        Placement onPrimary = StickyPolicy.placement(LINE, Rank.PRIMARY);

        Decision d = policy.decide(
                input(onPrimary, Map.of(PRIMARY, failed(PRIMARY), BACKUP, failed(BACKUP)), Trigger.OBSERVATION));

        assertThat(d.desired()).isEqualTo(onPrimary);
    }

    @Test
    void refusesALineWithoutABackupProxy() {
        LineConfig single = LineConfig.builder("l2")
                .user("1002")
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("127.0.0.1:5060"))
                .build();

        assertThatThrownBy(() -> policy.validate(single))
                .hasMessageContaining("l2")
                .hasMessageContaining("proxy.backup");
    }

    private static PolicyInput input(Placement current, Map<ServerRef, ServerHealth> health, Trigger trigger) {
        return new PolicyInput(LINE, current, Set.copyOf(current.bindings()), health, NOW, trigger, null, false);
    }

    private static ServerHealth failed(ServerRef s) {
        return new ServerHealth(s, HealthState.GREY, NOW, null, FailureCause.PONG_TIMEOUT, null);
    }

    private static ServerHealth up(ServerRef s) {
        return new ServerHealth(s, HealthState.UP, NOW, null, null, NOW);
    }
}
