// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.config.common.LinePropertiesCodec;
import org.sipfailover.config.common.Problem;

/**
 * {@code sip transaction timer} (A-R322 4-87): milliseconds 4000..64000, default 4000, phone-wide; it becomes
 * every line's {@code transactionTimeout}.
 */
class TransactionTimerTest {

    private static final String LINES = String.join(
            "\n",
            "sip proxy ip: 192.0.2.10",
            "sip registrar ip: 192.0.2.10",
            "sip registration retry timer: 60",
            "sip line1 user name: 1001",
            "sip line2 user name: 1002",
            "");

    private static AastraParseResult read(String extra) {
        return new AastraReader().read("p", "p.cfg", LINES + extra);
    }

    @Test
    void theFilesValueIsEveryLinesTransactionTimeout() {
        AastraParseResult r = read("sip transaction timer: 8000\n");

        assertThat(r.problems()).isEmpty();
        assertThat(r.lines()).containsOnlyKeys(1, 2);
        assertThat(r.lines().values()).allSatisfy(c -> {
            assertThat(c.transactionTimeout()).contains(Duration.ofMillis(8000));
            assertThat(c.extra()).doesNotContainKey("sip transaction timer");
        });
        assertThat(r.extraKeys()).doesNotContain("sip transaction timer");
        assertThat(read("sip transaction timer: 64000\n").lines().get(1).transactionTimeout())
                .contains(Duration.ofSeconds(64));
    }

    @Test
    void withoutTheKeyTheFirmwareDefaultOf4SecondsApplies() {
        AastraParseResult r = read("");

        assertThat(r.problems()).isEmpty();
        assertThat(r.lines().values())
                .allSatisfy(c -> assertThat(c.transactionTimeout())
                        .contains(Duration.ofMillis(AastraReader.DEFAULT_TRANSACTION_TIMER)));
        assertThat(r.lines().get(1).transactionTimeout()).contains(Duration.ofSeconds(4));
    }

    @Test
    void aBadValueIsReportedWithFileLineAndKeyAndTheDefaultApplies() {
        for (String bad : List.of("100", "3999", "64001", "abc", "4.5", "-4000")) {
            AastraParseResult r = read("sip transaction timer: " + bad + "\n");

            assertThat(r.problems())
                    .as(bad)
                    .extracting(Problem::toString)
                    .containsExactly("p.cfg:6: sip transaction " + "timer: '" + bad
                            + "' is not accepted, so the key is ignored: expected 4000..64000 milliseconds");
            // the lines are still built, with the default and with every other key
            assertThat(r.lines()).as(bad).containsOnlyKeys(1, 2);
            assertThat(r.lines().values()).as(bad).allSatisfy(c -> {
                assertThat(c.transactionTimeout()).contains(Duration.ofMillis(4000));
                assertThat(c.registrationRetry()).isEqualTo(Duration.ofSeconds(60));
                assertThat(c.server(ServerRole.PROXY, Rank.PRIMARY)).contains(ServerAddress.of("192.0.2.10", 0));
            });
        }
    }

    @Test
    void aLaterFileWins() {
        AastraParseResult r = new AastraReader()
                .read(
                        "p",
                        List.of(
                                AastraFile.parse("aastra.cfg", "sip transaction timer: 6000\n"),
                                AastraFile.parse("p.cfg", LINES + "sip transaction timer: 12000\n")));

        assertThat(r.problems()).isEmpty();
        assertThat(r.lines().get(2).transactionTimeout()).contains(Duration.ofSeconds(12));
    }

    @Test
    void theTimeoutIsWrittenInMillisecondsAndReadsBack() {
        AastraParseResult original = read("sip transaction timer: 6500\n");
        List<LineConfig> lines = List.copyOf(original.lines().values());

        String text = new AastraExport().export(lines);

        assertThat(text).containsOnlyOnce("sip transaction timer: 6500\n");
        AastraParseResult back = new AastraReader().read("p", "p.cfg", text);
        assertThat(back.problems()).isEmpty();
        assertThat(back.lines()).isEqualTo(original.lines());
        // and through the ConfigAdmin form the lines bundle reads
        for (LineConfig c : back.lines().values()) {
            assertThat(LinePropertiesCodec.read(LinePropertiesCodec.write(c), null))
                    .isEqualTo(c);
        }
    }

    @Test
    void aTimeoutAastraFilesCannotSayIsRefusedWithTheSettingNamed() {
        LineConfig.Builder plain = Golden.aastraLine("p", 1)
                .user("1")
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 0))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 0));
        AastraExport export = new AastraExport();

        // below the range, above it, a fraction of a millisecond, unset (it would read back as 4 s)
        Duration[] refused = {Duration.ofSeconds(2), Duration.ofSeconds(65), Duration.ofNanos(5_000_500_000L), null};
        for (Duration d : refused) {
            LineConfig c = plain.transactionTimeout(d).build();
            assertThatThrownBy(() -> export.export(List.of(c)))
                    .as(String.valueOf(d))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("aastra-p-line1")
                    .hasMessageContaining("transactionTimeout");
        }
    }
}
