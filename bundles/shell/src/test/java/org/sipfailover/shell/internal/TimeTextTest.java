// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeTextTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void agesAreShortAndWhole() {
        assertThat(TimeText.ago(Optional.of(NOW.minusMillis(3400)), NOW)).isEqualTo("3 s ago");
        assertThat(TimeText.ago(Optional.of(NOW.minusSeconds(119)), NOW)).isEqualTo("119 s ago");
        assertThat(TimeText.ago(Optional.of(NOW.minusSeconds(120)), NOW)).isEqualTo("2 min ago");
        assertThat(TimeText.ago(Optional.of(NOW.minusSeconds(7200)), NOW)).isEqualTo("2 h ago");
        // a clock a little ahead of ours: never a negative age
        assertThat(TimeText.ago(Optional.of(NOW.plusSeconds(1)), NOW)).isEqualTo("0 s ago");
        assertThat(TimeText.ago(Optional.empty(), NOW)).isEqualTo("-");
    }

    @Test
    void durationsAreExact() {
        assertThat(TimeText.duration(Duration.ofSeconds(25))).isEqualTo("25 s");
        assertThat(TimeText.duration(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(TimeText.instant(NOW.plusMillis(999))).isEqualTo("2026-01-01T12:00:00Z");
    }

    @Test
    void tableColumnsAreAsWideAsTheirWidestCell() {
        String t = new TextTable("A", "BB").row("long cell", "x").row("y", "").toString();
        assertThat(t).isEqualTo("A          BB\nlong cell  x\ny");
        assertThatThrownBy(() -> new TextTable("A").row("1", "2")).isInstanceOf(IllegalArgumentException.class);
    }
}
