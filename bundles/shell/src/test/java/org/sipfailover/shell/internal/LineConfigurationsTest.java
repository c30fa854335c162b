// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipfailover.shell.internal.LineConfigurations.Entry;

class LineConfigurationsTest {

    private static final Entry ALICE = new Entry("org.sipfailover.line~alice", Map.of("user", "1001"));
    private static final Entry BOB = new Entry("org.sipfailover.line~aastra-1", Map.of("id", "bob"));
    private static final Entry OLD_STYLE = new Entry("org.sipfailover.line.4f1d", Map.of("user", "1003"));

    @Test
    void theLineIdIsTheIdPropertyElseTheConfigurationsName() {
        assertThat(ALICE.lineId()).isEqualTo("alice");
        assertThat(BOB.lineId()).isEqualTo("bob");
        assertThat(OLD_STYLE.lineId()).isEqualTo("org.sipfailover.line.4f1d");
        assertThat(LineConfigurations.ids(List.of(BOB, ALICE))).containsExactly("alice", "bob");
    }

    @Test
    void findsTheOneConfigurationOfALine() {
        assertThat(LineConfigurations.find(List.of(ALICE, BOB), "bob")).contains(BOB);
        // the name after ~ does not count once an id property names the line otherwise
        assertThat(LineConfigurations.find(List.of(ALICE, BOB), "aastra-1")).isEmpty();
        assertThat(LineConfigurations.find(List.of(), "alice")).isEmpty();
    }

    @Test
    void twoConfigurationsOfOneLineAreRefused() {
        Entry twin = new Entry("org.sipfailover.line~other", Map.of("id", "alice"));
        assertThatThrownBy(() -> LineConfigurations.find(List.of(ALICE, twin), "alice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("org.sipfailover.line~alice")
                .hasMessageContaining("org.sipfailover.line~other");
    }
}
