// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.ServerHealth;

class LineFormatterTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static LineStatus line() {
        LineConfig c = LineConfig.builder("alice")
                .user("1001")
                .credentials(new Credentials("1001", "s3cret"))
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("127.0.0.1:5060"))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.parse("127.0.0.2:5060"))
                .build();
        Placement backup = Placement.of(new Binding(0, Rank.BACKUP, Rank.BACKUP, null));
        Placement primary = Placement.of(new Binding(0, Rank.PRIMARY, Rank.PRIMARY, null));
        ServerRef p = ServerRef.of(ServerRole.PROXY, Rank.PRIMARY);
        return new LineStatus() {
            public String lineId() {
                return "alice";
            }

            public LineConfig config() {
                return c;
            }

            public Placement placement() {
                return backup;
            }

            public Set<Binding> liveBindings() {
                return Set.copyOf(backup.bindings());
            }

            public String policyName() {
                return "aastra";
            }

            public Map<ServerRef, ServerHealth> health() {
                return Map.of(
                        p,
                        new ServerHealth(
                                p, HealthState.GREY, NOW.minusSeconds(42), null, FailureCause.PONG_TIMEOUT, null));
            }

            public List<LineTransition> transitions() {
                return List.of(new LineTransition(
                        NOW.minusSeconds(41),
                        "alice",
                        primary,
                        backup,
                        "aastra",
                        "primary proxy failed: PONG_TIMEOUT"));
            }

            public void setCallInProgress(boolean inProgress) {}

            public void forceFailover() {}

            public void forceFailback() {}
        };
    }

    @Test
    void aLineShowsItsPlacementHealthAndTransitionsButNeverItsPassword() {
        String text = LineFormatter.details(line(), NOW);

        assertThat(text)
                .contains("placement  proxy=backup registrar=backup")
                .contains("primary proxy")
                .contains("GREY for 42 s, last failure PONG_TIMEOUT")
                .contains("41 s ago  proxy=primary registrar=primary -> proxy=backup registrar=backup")
                .contains("primary proxy failed: PONG_TIMEOUT")
                .doesNotContain("s3cret");
        assertThat(LineFormatter.table(List.of(line())))
                .contains("alice")
                .contains("aastra")
                .contains("yes");
        assertThat(LineFormatter.table(List.of())).startsWith("no lines");
    }
}
