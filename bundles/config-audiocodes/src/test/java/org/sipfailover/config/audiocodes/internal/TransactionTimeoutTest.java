// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.config.common.LinePropertiesCodec;
import org.sipfailover.config.common.Problem;

/**
 * {@code voip/signalling/sip/outgoing_request_no_response_timeout_ms} (AC-228 p100): whole milliseconds, at
 * least 1000; it becomes every line's {@code transactionTimeout}, and its absence leaves that unset.
 */
class TransactionTimeoutTest {

    private static final String KEY = "voip/signalling/sip/outgoing_request_no_response_timeout_ms";

    private static final String LINES = String.join(
            "\n",
            "voip/line/0/enabled=1",
            "voip/line/0/id=2101",
            "voip/line/1/enabled=1",
            "voip/line/1/id=2102",
            "voip/signalling/sip/proxy_address=192.0.2.10",
            "voip/signalling/sip/proxy_timeout=600",
            "voip/services/msg_waiting_ind/enabled=1",
            "");

    private final AudioCodesParser parser = new AudioCodesParser();
    private final AudioCodesWriter writer = new AudioCodesWriter();

    private AudioCodesParseResult parse(String more) {
        return parser.parse("00908f1a2b3c.cfg", LINES + more);
    }

    @Test
    void theKeyGivesEveryLineThatTimeout() {
        AudioCodesParseResult r = parse(KEY + "=8000\n");

        assertThat(r.problems()).isEmpty();
        assertThat(r.lines()).containsOnlyKeys(0, 1);
        assertThat(r.lines().values()).allSatisfy(c -> {
            assertThat(c.transactionTimeout()).contains(Duration.ofMillis(8000));
            assertThat(c.extra()).doesNotContainKey(KEY);
        });
        assertThat(r.unknownKeys()).noneMatch(k -> k.startsWith(KEY));
        assertThat(parse(KEY + "=1000\n").lines().get(0).transactionTimeout()).contains(Duration.ofSeconds(1));
        assertThat(parse(KEY + "=32500\n").lines().get(1).transactionTimeout()).contains(Duration.ofMillis(32500));
    }

    @Test
    void withoutTheKeyTheTimeoutIsLeftUnsetNotThePhonesDefault() {
        for (String more : List.of("", KEY + "=\n")) {
            AudioCodesParseResult r = parse(more);

            assertThat(r.problems()).isEmpty();
            assertThat(r.lines().values())
                    .allSatisfy(c -> assertThat(c.transactionTimeout()).isEmpty());
        }
    }

    @Test
    void aBadValueIsReportedWithFileLineAndKeyAndTheLinesAreStillBuilt() {
        for (String bad : List.of("abc", "999", "0", "-1", "1.5", "8000ms", "2147483648")) {
            AudioCodesParseResult r = parse(KEY + "=" + bad + "\n");

            assertThat(r.problems())
                    .as(bad)
                    .extracting(Problem::toString)
                    .containsExactly("00908f1a2b3c.cfg:8: "
                            + KEY + ": '" + bad
                            + "' is not accepted: expected whole milliseconds 1000..2147483647; the line "
                            + "is ignored");
            assertThat(r.lines()).as(bad).containsOnlyKeys(0, 1);
            assertThat(r.lines().values()).as(bad).allSatisfy(c -> {
                assertThat(c.transactionTimeout()).isEmpty();
                assertThat(c.registrationPeriod()).isEqualTo(Duration.ofSeconds(600));
                assertThat(c.server(ServerRole.PROXY, Rank.PRIMARY)).contains(ServerAddress.of("192.0.2.10", 5060));
                assertThat(c.extra())
                        .containsEntry("voip/services/msg_waiting_ind/enabled", "1")
                        .doesNotContainKey(KEY);
            });
        }
    }

    @Test
    void aKeyDifferingOnlyByCaseIsNotTheSetting() {
        AudioCodesParseResult r = parse(KEY.toUpperCase() + "=8000\n");

        assertThat(r.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.toString())
                        .startsWith("00908f1a2b3c.cfg:8: " + KEY.toUpperCase() + ": differs from the known key '" + KEY
                                + "'"));
        assertThat(r.lines().get(0).transactionTimeout()).isEmpty();
    }

    @Test
    void theTimeoutIsWrittenAndReadsBackEqual() {
        List<LineConfig> lines = new ArrayList<>(parse(KEY + "=6500\n").lines().values());

        String text = writer.write(lines);

        assertThat(text).containsOnlyOnce(KEY + "=6500\n");
        AudioCodesParseResult back = parser.parse("00908f1a2b3c.cfg", text);
        assertThat(back.problems()).isEmpty();
        assertThat(new ArrayList<>(back.lines().values())).isEqualTo(lines);
        // and through the ConfigAdmin form the lines bundle reads
        for (LineConfig c : back.lines().values()) {
            assertThat(LinePropertiesCodec.read(LinePropertiesCodec.write(c), null))
                    .isEqualTo(c);
        }
    }

    @Test
    void anUnsetTimeoutIsNotWritten() {
        List<LineConfig> lines = new ArrayList<>(parse("").lines().values());

        String text = writer.write(lines);

        assertThat(text).doesNotContain(KEY);
        assertThat(new ArrayList<>(
                        parser.parse("00908f1a2b3c.cfg", text).lines().values()))
                .isEqualTo(lines);
    }

    @Test
    void aTimeoutAnAudioCodesFileCannotHoldIsRefusedByName() {
        LineConfig fraction =
                base("l").transactionTimeout(Duration.ofNanos(6_500_500_000L)).build();
        assertThatThrownBy(() -> writer.write(List.of(fraction)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line l")
                .hasMessageContaining(
                        "transactionTimeout PT6.5005S: AudioCodes " + "accepts whole milliseconds 1000..2147483647");
        LineConfig tooLong = base("l").transactionTimeout(Duration.ofDays(30)).build();
        assertThatThrownBy(() -> writer.write(List.of(tooLong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transactionTimeout PT720H");

        LineConfig a = base("a").transactionTimeout(Duration.ofSeconds(8)).build();
        LineConfig b = base("b").build();
        assertThatThrownBy(() -> writer.write(List.of(a, b)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lines a and b differ in " + KEY);
    }

    private static LineConfig.Builder base(String id) {
        return Golden.line(id, "201").server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 5060));
    }
}
