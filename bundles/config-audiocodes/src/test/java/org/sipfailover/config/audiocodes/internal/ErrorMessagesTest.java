// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.config.common.Problem;

/** Every problem names the file, the line number, the key and what is accepted; none shows a password. */
class ErrorMessagesTest {

    private static final String PASSWORD = "Hunter2-never-shown";

    private static final String FILE = String.join(
            "\n",
            "# line 1: a comment",
            "voip/line/0/enabled=1",
            "voip/line/0/id=2101",
            "voip/line/0/auth_password=" + PASSWORD,
            "voip/signalling/sip/proxy_address=192.0.2.10",
            "voip/signalling/sip/proxy_port=70000",
            "voip/signalling/sip/transport_protocol=SCTP",
            "voip/signalling/sip/redundant_proxy/symmetric_mode=2",
            "voip/line/1/auth_password " + PASSWORD,
            "voip/line/1/enabled=yes",
            "voip/line/1/id=2102",
            "voip/line/01/id=2103",
            "voip/signalling/sip/registrar_ka/timeout=5",
            "voip/signalling/sip/proxy_timeout=-1",
            "voip/line/2/enabled=1",
            "voip/line/2/auth_password=" + PASSWORD,
            "Voip/line/0/id=9999",
            "voip/signalling/sip/sip_outbound_proxy/addr=bad host!");

    @Test
    void eachBadValueIsReportedWithFileLineKeyAndWhatIsAccepted() {
        AudioCodesParseResult r = new AudioCodesParser().parse("00908f1a2b3c.cfg", FILE);

        assertThat(r.problems())
                .extracting(Problem::toString)
                .containsExactly(
                        "00908f1a2b3c.cfg:6: voip/signalling/sip/proxy_port: '70000' is not accepted: expected 1..65535 "
                                + "(65535: look up DNS SRV records for a host name, the transport's default port for an IP "
                                + "address); the line is ignored",
                        "00908f1a2b3c.cfg:7: voip/signalling/sip/transport_protocol: 'SCTP' is not accepted: expected UDP, TCP "
                                + "or TLS; the line is ignored",
                        "00908f1a2b3c.cfg:8: voip/signalling/sip/redundant_proxy/symmetric_mode: '2' is not accepted: "
                                + "expected 0 (asymmetric: return to the primary proxy when it answers) or 1 (symmetric: stay "
                                + "on the proxy in use while it works); the line is ignored",
                        "00908f1a2b3c.cfg:9: expected <path>=<value>; the line is ignored",
                        "00908f1a2b3c.cfg:10: voip/line/1/enabled: 'yes' is not accepted: expected 0 or 1; the line is ignored",
                        "00908f1a2b3c.cfg:12: voip/line/01/id: expected voip/line/<index 0..99>/<setting>, the index written "
                                + "without leading zeros; the line is ignored",
                        "00908f1a2b3c.cfg:13: voip/signalling/sip/registrar_ka/timeout: '5' is not accepted: expected whole "
                                + "seconds 40..65536; the line is ignored",
                        "00908f1a2b3c.cfg:14: voip/signalling/sip/proxy_timeout: '-1' is not accepted: expected whole seconds "
                                + "0..86400 (0: the registrar decides); the line is ignored",
                        "00908f1a2b3c.cfg:17: Voip/line/0/id: differs from the known key 'voip/line/0/id' only by case; keys "
                                + "are case-sensitive, so it is kept as an unknown key and does not set voip/line/0/id",
                        // a value with a blank is not quoted: it could be two lines run together (Secrets.shown)
                        "00908f1a2b3c.cfg:18: voip/signalling/sip/sip_outbound_proxy/addr: the value is not accepted: "
                                + "expected an IPv4 address, an IPv6 address or a host name; the line is ignored",
                        "00908f1a2b3c.cfg:10: voip/line/1: phone line 1 (audiocodes-00908f1a2b3c-line1) is not published: its "
                                + "voip/line/1/enabled is malformed",
                        "00908f1a2b3c.cfg:15: voip/line/2: phone line 2 (audiocodes-00908f1a2b3c-line2) is not published: "
                                + "voip/line/2/id (the SIP user) is missing");
    }

    @Test
    void badLinesNeverStopTheOthers() {
        AudioCodesParseResult r = new AudioCodesParser().parse("00908f1a2b3c.cfg", FILE);

        // line 0 is built with the defaults of what was refused: port 5060, UDP, asymmetric
        assertThat(r.lines()).containsOnlyKeys(0);
        assertThat(r.lines().get(0).server(ServerRole.PROXY, Rank.PRIMARY))
                .contains(ServerAddress.of("192.0.2.10", 5060));
        assertThat(r.lines().get(0).policy()).isEqualTo("redundant-asymmetric");
        assertThat(r.lines().get(0).user()).isEqualTo("2101");
        assertThat(r.failedLines()).containsExactly(1, 2);
    }

    @Test
    void noPasswordInAnyProblemToStringOrLineConfig() {
        AudioCodesParseResult r = new AudioCodesParser().parse("00908f1a2b3c.cfg", FILE);

        List<String> shown = new java.util.ArrayList<>();
        r.problems().forEach(p -> shown.add(p.toString()));
        r.lines().values().forEach(c -> shown.add(c.toString()));
        shown.add(r.toString());
        shown.addAll(r.unknownKeys());
        assertThat(shown).noneMatch(s -> s.contains(PASSWORD));
        assertThat(r.lines().get(0).credentials().orElseThrow().password()).isEqualTo(PASSWORD);
    }

    @Test
    void aBadPasswordLikeValueIsNeverEchoed() {
        AudioCodesParseResult r = new AudioCodesParser()
                .parse(
                        "x.cfg",
                        "voip/line/0/id=1\nvoip/signalling/sip/proxy_address=192.0.2.1\nvoip/line/x/auth_password="
                                + PASSWORD + "\nvoip/services/sip_password=" + PASSWORD);

        assertThat(r.problems()).hasSize(1);
        assertThat(r.problems().get(0).toString())
                .contains("x.cfg:3", "voip/line/x/auth_password")
                .doesNotContain(PASSWORD);
        // an unknown secret is not kept as an extra setting
        assertThat(r.lines().get(0).extra()).isEmpty();
        assertThat(r.unknownKeys()).containsExactly("voip/services/sip_password (line 4, a secret: not kept)");
    }

    @Test
    void aLineWithoutAProxySaysWhy() {
        AudioCodesParseResult r = new AudioCodesParser()
                .parse(
                        "p.cfg",
                        "voip/line/0/id=1\nvoip/signalling/sip/use_proxy=0\nvoip/signalling/sip/proxy_address=192.0.2.1\n");

        assertThat(r.lines()).isEmpty();
        assertThat(r.problems())
                .extracting(Problem::toString)
                .containsExactly("p.cfg:1: voip/line/0: phone line 0 "
                        + "(audiocodes-p-line0) is not published: no proxy (voip/signalling/sip/use_proxy is 0)");
    }
}
