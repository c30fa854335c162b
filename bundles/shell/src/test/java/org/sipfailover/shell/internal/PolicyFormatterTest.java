// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.shell.internal.PolicyFormatter.PolicyService;

class PolicyFormatterTest {

    private static final String BUNDLE = "org.sipfailover.policy 0.1.0 [7]";

    @Test
    void eachPolicyShowsItsRankingBundleAndTheLinesItDecidesFor() {
        List<PolicyService> policies = List.of(
                new PolicyService("redundant-symmetric", 0, 21, BUNDLE),
                new PolicyService("aastra", 0, 20, BUNDLE),
                // a second aastra, better ranked: the lines use it, and the first is outranked
                new PolicyService("aastra", 100, 40, "com.example.aastra 2.0.0 [9]"));
        List<LineStatus> lines = List.of(
                TestLineStatus.using("alice", "aastra", "aastra"),
                TestLineStatus.using("bob", "aastra", "aastra"),
                TestLineStatus.using("carol", "redundant-symmetric", "redundant-symmetric"),
                TestLineStatus.using("dave", "none (waiting for fancy)", "fancy"));

        List<String> rows = PolicyFormatter.table(policies, lines).lines().toList();

        assertThat(rows.get(0).split(" {2,}")).containsExactly("POLICY", "RANKING", "SERVICE", "BUNDLE", "LINES");
        assertThat(rows.get(1).split(" {2,}"))
                .containsExactly("aastra", "100", "40", "com.example.aastra 2.0.0 [9]", "2");
        assertThat(rows.get(2).split(" {2,}")).containsExactly("aastra", "0", "20", BUNDLE, "0 (outranked)");
        assertThat(rows.get(3).split(" {2,}")).containsExactly("redundant-symmetric", "0", "21", BUNDLE, "1");
        assertThat(rows.get(4)).isEqualTo("lines waiting for their policy: dave (fancy)");
        assertThat(rows).hasSize(5);
    }

    @Test
    void withoutPoliciesItSaysSo() {
        assertThat(PolicyFormatter.table(List.of(), List.of())).startsWith("no failover policies");
    }
}
