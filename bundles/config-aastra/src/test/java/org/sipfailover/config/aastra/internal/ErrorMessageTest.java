// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.config.common.Problem;

/** A bad value names the file, the line number, the key and what is accepted; no password is ever shown. */
class ErrorMessageTest {

    private static final String PASSWORD = "Top$ecret-4711";

    private static final String GLOBAL = String.join(
            "\n",
            "sip proxy ip: 192.0.2.10",
            "sip registrar ip: 192.0.2.10",
            "sip transport protocol: 3",
            "sip registration retry timer: 5",
            "sip outbound support: yes",
            "");

    private static final String MAC = String.join(
            "\n",
            "# phone 00085D1A2B3C",
            "sip line1 user name: 1001",
            "sip line1 password: " + PASSWORD,
            "sip line1 proxy ip: 192.0.2.10",
            "sip line1 proxy port: fifty",
            "sip line1 registrar ip: 192.0.2.10",
            "sip line2 password: " + PASSWORD,
            "sip line2 auth name: 1002",
            "sip line3 user name: 1003",
            "sip line3 password " + PASSWORD,
            "sip line3 backup outbound proxy: 192.0.2.30",
            "sip line3 proxy ip: 192.0.2.10",
            "sip line3 registrar ip: 192.0.2.10",
            "sip line4 user name: 1004",
            "sip registration renewal timer: 30sip line4 password: " + PASSWORD,
            "");

    private static AastraParseResult read() {
        return new AastraReader()
                .read(
                        "00085d1a2b3c",
                        List.of(AastraFile.parse("aastra.cfg", GLOBAL), AastraFile.parse("00085D1A2B3C.cfg", MAC)));
    }

    private static Problem problem(AastraParseResult r, String key) {
        return r.problems().stream()
                .filter(p -> key.equals(p.key()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no problem for " + key + " in " + r.problems()));
    }

    @Test
    void aBadValueNamesFileLineKeyAndTheAcceptedValues() {
        AastraParseResult r = read();
        assertThat(problem(r, "sip line1 proxy port").toString())
                .isEqualTo("00085D1A2B3C.cfg:5: sip line1 proxy port: "
                        + "'fifty' is not accepted, so the key is ignored: expected 0 (DNS SRV lookup for a host name, 5060 for "
                        + "an IP address) or 1..65535");
        assertThat(problem(r, "sip transport protocol").toString())
                .isEqualTo(
                        "aastra.cfg:3: sip transport protocol: "
                                + "'3' is not accepted, so the key is ignored: expected 0 (UDP and TCP), 1 (UDP), 2 (TCP) or 4 (TLS)");
        assertThat(problem(r, "sip registration retry timer").toString())
                .contains("aastra.cfg:4:", "'5'", "30..1800 seconds");
        assertThat(problem(r, "sip outbound support").toString()).contains("aastra.cfg:5:", "'yes'", "0 or 1");
    }

    @Test
    void aBadValueIsReportedOnceEvenWhenEveryLineUsesIt() {
        AastraParseResult r = read();
        assertThat(r.problems().stream().filter(p -> "sip transport protocol".equals(p.key())))
                .hasSize(1);
    }

    @Test
    void badLinesDoNotStopTheOthers() {
        AastraParseResult r = read();
        // line 1: the bad port is ignored (firmware default 0), the line is built
        assertThat(r.lines()).containsKey(1);
        assertThat(r.lines()
                        .get(1)
                        .server(org.sipfailover.api.net.ServerRole.PROXY, org.sipfailover.api.net.Rank.PRIMARY)
                        .orElseThrow()
                        .port())
                .isZero();
        // line 2: no user name; line 3: a backup outbound proxy without its primary
        assertThat(r.failedLines()).contains(2, 3);
        assertThat(problem(r, "sip line2 user name").toString())
                .startsWith("00085D1A2B3C.cfg:7: ")
                .contains("line 2 has no user name");
        assertThat(problem(r, "sip line3 backup outbound proxy").toString())
                .startsWith("00085D1A2B3C.cfg:11: ")
                .contains("sip line3 outbound proxy is not");
        // the syntax error of line 10 is reported without its text
        assertThat(r.problems())
                .anySatisfy(p -> assertThat(p.toString())
                        .startsWith("00085D1A2B3C.cfg:10: ")
                        .contains("no colon"));
    }

    @Test
    void noPasswordInProblemsToStringsOrTheLines() {
        AastraParseResult r = read();
        assertThat(r.problems()).isNotEmpty();
        for (Problem p : r.problems()) {
            assertThat(p.toString()).doesNotContain(PASSWORD);
        }
        // two lines run together: the merged value is not echoed, it holds the password
        assertThat(problem(r, "sip registration renewal timer").message()).startsWith("the value is not accepted");
        assertThat(r.lines()).containsKey(4);
        assertThat(r.toString()).doesNotContain(PASSWORD);
        for (LineConfig c : r.lines().values()) {
            assertThat(c.toString()).doesNotContain(PASSWORD);
            assertThat(c.extra().values()).noneMatch(v -> v.contains(PASSWORD));
        }
        AastraFile mac = AastraFile.parse("00085D1A2B3C.cfg", MAC);
        assertThat(mac.entries().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void aLineNumberOutOfRangeIsReportedAndIgnored() {
        AastraParseResult r = new AastraReader()
                .read(
                        "p",
                        "p.cfg",
                        "sip line1 user name: 1\nsip proxy ip: 192.0.2.1\nsip registrar ip: 192.0.2.1\n"
                                + "sip line100 user name: 100\nsip line01 user name: 1\n");
        assertThat(r.lines()).containsOnlyKeys(1);
        assertThat(r.lines().get(1).extra()).isEmpty();
        assertThat(r.problems())
                .extracting(Problem::toString)
                .containsExactly(
                        "p.cfg:4: sip line100 user name: the line number is not accepted, so the key is ignored: expected "
                                + "1..99 without leading zeros (1..9 documented)",
                        "p.cfg:5: sip line01 user name: the line number is not accepted, so the key is ignored: expected "
                                + "1..99 without leading zeros (1..9 documented)");
    }

    @Test
    void secretKeysAreNotKeptAsExtra() {
        AastraParseResult r = new AastraReader()
                .read(
                        "p",
                        "p.cfg",
                        "sip line1 user name: 1\nsip proxy ip: 192.0.2.1\nsip registrar ip: 192.0.2.1\n"
                                + "admin password: 22222\nuser password: 1234\nsip xml token secret: abc\n");
        assertThat(r.lines().get(1).extra()).isEmpty();
    }
}
