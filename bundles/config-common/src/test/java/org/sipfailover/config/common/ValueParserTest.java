// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Numbers and durations from file values; each bad value reported once, in the vendor's words. */
class ValueParserTest {

    record V(String file, int line, String key, String value) implements ValueParser.Value {}

    private final List<Problem> problems = new ArrayList<>();
    private final ValueParser values =
            new ValueParser(problems::add, (shown, accepted) -> shown + " is not accepted: expected " + accepted);

    @Test
    void aWholeNumberInItsRangeIsRead() {
        assertThat(values.number(new V("f", 1, "k", "5060"), 1, 65535, "a port"))
                .isEqualTo(5060L);
        assertThat(values.number(new V("f", 1, "k", "0"), 0, 1, "0 or 1")).isZero();
        assertThat(problems).isEmpty();
    }

    @Test
    void anAbsentOrEmptyValueIsNoNumberAndNoProblem() {
        assertThat(values.number(null, 0, 9, "x")).isNull();
        assertThat(values.number(new V("f", 1, "k", ""), 0, 9, "x")).isNull();
        assertThat(values.seconds(null, 0, 9, Duration.ofSeconds(3), "x")).isEqualTo(Duration.ofSeconds(3));
        assertThat(problems).isEmpty();
    }

    @Test
    void aBadValueIsReportedWithFileLineKeyAndWhatIsAccepted() {
        for (String bad : List.of("-1", "4.5", "abc", "70000", "1234567890123456789", "+1")) {
            problems.clear();
            assertThat(values.number(new V("p.cfg", 6, "proxy port", bad), 1, 65535, "1..65535"))
                    .isNull();
            assertThat(problems).singleElement().satisfies(p -> {
                assertThat(p.file()).isEqualTo("p.cfg");
                assertThat(p.line()).isEqualTo(6);
                assertThat(p.key()).isEqualTo("proxy port");
                assertThat(p.message()).endsWith(" is not accepted: expected 1..65535");
            });
        }
        problems.clear();
        values.number(new V("p.cfg", 6, "proxy port", "fifty"), 1, 65535, "1..65535");
        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly("p.cfg:6: proxy port: 'fifty' is not accepted: expected 1..65535");
    }

    @Test
    void aBadValueIsReportedOnceHoweverOftenItIsRead() {
        V v = new V("p.cfg", 2, "timer", "soon");
        values.seconds(v, 0, 10, Duration.ZERO, "0..10 seconds");
        values.seconds(v, 0, 10, Duration.ZERO, "0..10 seconds");
        assertThat(problems).hasSize(1);
    }

    @Test
    void secondsAndMillisecondsAreDurations() {
        assertThat(values.seconds(new V("f", 1, "k", "30"), 0, 60, null, "x")).isEqualTo(Duration.ofSeconds(30));
        assertThat(values.millis(new V("f", 1, "k", "4000"), 4000, 64000, null, "x"))
                .isEqualTo(Duration.ofMillis(4000));
        assertThat(values.millis(new V("f", 1, "k", "100"), 4000, 64000, Duration.ofMillis(4000), "x"))
                .isEqualTo(Duration.ofMillis(4000));
        assertThat(problems).hasSize(1);
    }

    @Test
    void aSecretIsNeverInTheMessage() {
        values.bad(new V("p.cfg", 3, "sip line1 password", "hunter2"), "anything");
        values.bad(new V("p.cfg", 4, "sip proxy port", "5060sip line1 password: hunter2"), "a port");
        assertThat(problems)
                .extracting(Problem::toString)
                .noneMatch(s -> s.contains("hunter2"))
                .allMatch(s -> s.contains("the value is not accepted"));
    }
}
