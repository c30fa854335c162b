// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.line.LineTransition;

class LinesCommandTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void theDrillsAskTheLineAndSaySo() {
        TestLineStatus alice = TestLineStatus.using("alice", "aastra", "aastra");
        TestLineStatus bob = TestLineStatus.using("bob", "aastra", "aastra");
        LinesCommand command = new LinesCommand();
        command.lines.addAll(List.of(bob, alice));

        String out = command.failover("alice");
        assertThat(alice.drills).containsExactly("failover");
        assertThat(out)
                .contains("line alice")
                .contains("aastra")
                .contains("fail over")
                .contains("proxy=primary registrar=primary")
                .contains("sipfailover:transitions alice");

        assertThat(command.failback("alice")).contains("fail back");
        assertThat(alice.drills).containsExactly("failover", "failback");
        assertThat(bob.drills).isEmpty();
    }

    @Test
    void anUnknownLineIsRefusedNamingTheKnownOnes() {
        LinesCommand command = new LinesCommand();
        command.lines.add(TestLineStatus.using("bob", "aastra", "aastra"));
        command.lines.add(TestLineStatus.using("alice", "aastra", "aastra"));

        for (String function : List.of("failover", "failback", "transitions", "line")) {
            assertThatThrownBy(() -> {
                        switch (function) {
                            case "failover" -> command.failover("carol");
                            case "failback" -> command.failback("carol");
                            case "transitions" -> command.transitions("carol");
                            default -> command.line("carol");
                        }
                    })
                    .as(function)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no line 'carol'; lines: [alice, bob]");
        }
    }

    @Test
    void transitionsAreListedNewestLastWithTimePlacementsPolicyAndCause() {
        TestLineStatus line = new TestLineStatus(
                "alice",
                "redundant-symmetric",
                "redundant-symmetric",
                List.of(
                        new LineTransition(
                                NOW.minusSeconds(300),
                                "alice",
                                TestLineStatus.PRIMARY,
                                TestLineStatus.BACKUP,
                                "aastra",
                                "forced failover"),
                        new LineTransition(
                                NOW.minusSeconds(42),
                                "alice",
                                TestLineStatus.BACKUP,
                                TestLineStatus.PRIMARY,
                                "redundant-symmetric",
                                "forced failback")));

        List<String> rows = LineFormatter.transitions(line, NOW).lines().toList();

        assertThat(rows.get(0)).isEqualTo("line alice: 2 transitions, newest last");
        assertThat(rows.get(1).split(" {2,}")).containsExactly("TIME", "AGO", "FROM", "TO", "POLICY", "CAUSE");
        assertThat(rows.get(2).split(" {2,}"))
                .containsExactly(
                        "2026-01-01T11:55:00Z",
                        "5 min",
                        "proxy=primary registrar=primary",
                        "proxy=backup registrar=backup",
                        "aastra",
                        "forced failover");
        assertThat(rows.get(3).split(" {2,}"))
                .containsExactly(
                        "2026-01-01T11:59:18Z",
                        "42 s",
                        "proxy=backup registrar=backup",
                        "proxy=primary registrar=primary",
                        "redundant-symmetric",
                        "forced failback");
        assertThat(String.join("\n", rows)).doesNotContain("s3cret");
        assertThat(LineFormatter.transitions(TestLineStatus.using("bob", "aastra", "aastra"), NOW))
                .isEqualTo("line bob: no transitions yet (placement proxy=primary registrar=primary, policy aastra)");
    }
}
