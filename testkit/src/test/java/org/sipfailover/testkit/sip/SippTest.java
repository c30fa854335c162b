// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.testkit.RealServers;

@RealServers
class SippTest {

    private static final Duration ANSWER = Duration.ofSeconds(3);
    private static final String DOMAIN = "example.test";

    @TempDir
    Path dir;

    private final List<Sipp> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Sipp::close);
    }

    private Sipp uas(String scenario, String transport) throws IOException {
        return uas(scenario, transport, Map.of());
    }

    private Sipp uas(String scenario, String transport, Map<String, String> keys) throws IOException {
        Sipp s = Sipp.uas(Sipp.scenario(scenario, dir), "127.0.0.1", 0, transport, dir, keys);
        started.add(s);
        return s;
    }

    private static InetSocketAddress at(Sipp s) {
        return new InetSocketAddress(s.address(), s.port());
    }

    private static String outboundRegister(RawSip.Udp ua, String callId, int cseq, int expires, String... extra) {
        String[] headers = new String[extra.length + 1];
        headers[0] = "Supported: outbound, path";
        System.arraycopy(extra, 0, headers, 1, extra.length);
        return RawSip.register("alice", DOMAIN, "UDP", ua.local(), callId, cseq, expires, RawSip.outbound(1), headers);
    }

    @Test
    void register439ThenOkToTheRetryWithoutRegId() throws IOException {
        Sipp sipp = uas(Sipp.REGISTER_439, "u1");
        assertThat(sipp.isAlive()).isTrue();
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            ua.send(outboundRegister(ua, "c439", 1, 600), at(sipp));
            SipMessage first = ua.finalResponse(ANSWER);
            assertThat(first.statusCode()).isEqualTo(439);
            assertThat(first.startLine()).isEqualTo("SIP/2.0 439 First Hop Lacks Outbound Support");

            // the retry as RFC 5626 §11.6 wants it: no reg-id
            ua.send(RawSip.register("alice", DOMAIN, "UDP", ua.local(), "c439", 2, 600, ""), at(sipp));
            SipMessage ok = ua.finalResponse(ANSWER);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.header("Contact").orElseThrow())
                    .isEqualTo("<sip:alice@127.0.0.1:" + ua.local().getPort() + ";transport=udp>;expires=600");
            assertThat(ok.header("Expires")).hasValue("600");
        }
        List<SipMessage> received = sipp.awaitMessages(2, ANSWER);
        assertThat(received).extracting(SipMessage::method).containsExactly("REGISTER", "REGISTER");
        assertThat(received.get(0).header("Contact").orElseThrow()).contains("reg-id=1");
        assertThat(received.get(1).header("Contact").orElseThrow()).doesNotContain("reg-id");
        assertThat(sipp.awaitSent(2, ANSWER)).extracting(SipMessage::statusCode).containsExactly(439, 200);
    }

    @Test
    void register439OverTcp() throws IOException {
        Sipp sipp = uas(Sipp.REGISTER_439, "t1");
        try (RawSip.Stream ua = RawSip.Stream.connect(at(sipp))) {
            ua.send(RawSip.register(
                    "alice", DOMAIN, "TCP", ua.local(), "c439t", 1, 600, RawSip.outbound(1), "Supported: outbound"));
            assertThat(ua.finalResponse(ANSWER).statusCode()).isEqualTo(439);
            ua.send(RawSip.register("alice", DOMAIN, "TCP", ua.local(), "c439t", 2, 600, ""));
            assertThat(ua.finalResponse(ANSWER).statusCode()).isEqualTo(200);
        }
        assertThat(sipp.awaitMessages(2, ANSWER))
                .allSatisfy(m -> assertThat(m.header("Via").orElseThrow()).startsWith("SIP/2.0/TCP"));
    }

    @Test
    void register430ToEveryRegister() throws IOException {
        Sipp sipp = uas(Sipp.REGISTER_430, "u1");
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            for (int cseq = 1; cseq <= 2; cseq++) {
                ua.send(outboundRegister(ua, "c430", cseq, 600), at(sipp));
                SipMessage reply = ua.finalResponse(ANSWER);
                assertThat(reply.startLine()).isEqualTo("SIP/2.0 430 Flow Failed");
                assertThat(reply.header("CSeq")).hasValue(cseq + " REGISTER");
            }
        }
        assertThat(sipp.awaitMessages(2, ANSWER)).hasSize(2);
    }

    @Test
    void register503WithRetryAfter() throws IOException {
        Sipp sipp = uas(Sipp.REGISTER_503_RETRY_AFTER, "u1");
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            ua.send(outboundRegister(ua, "c503", 1, 600), at(sipp));
            SipMessage reply = ua.finalResponse(ANSWER);
            assertThat(reply.statusCode()).isEqualTo(503);
            assertThat(reply.header("Retry-After")).hasValue("30");
        }
    }

    @Test
    void register423ThenOkToTheRetryWithTheMinimum() throws IOException {
        Sipp sipp = uas(Sipp.REGISTER_423, "u1");
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            ua.send(outboundRegister(ua, "c423", 1, 600), at(sipp));
            SipMessage tooBrief = ua.finalResponse(ANSWER);
            assertThat(tooBrief.statusCode()).isEqualTo(423);
            assertThat(tooBrief.header("Min-Expires")).hasValue("3600");

            ua.send(outboundRegister(ua, "c423", 2, 3600), at(sipp));
            SipMessage ok = ua.finalResponse(ANSWER);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.header("Expires")).hasValue("3600");
            assertThat(ok.header("Contact").orElseThrow()).endsWith(";reg-id=1;expires=3600");
        }
        assertThat(sipp.awaitMessages(2, ANSWER).get(1).header("Expires")).hasValue("3600");
    }

    @Test
    void register401ThenOkToTheAuthorisedRetryAnd403ToAWrongOne() throws IOException {
        Sipp sipp = uas(Sipp.REGISTER_401, "u1", Map.of("user", "bob", "password", "pw-123"));
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            ua.send(outboundRegister(ua, "c401", 1, 600), at(sipp));
            SipMessage challenge = ua.finalResponse(ANSWER);
            assertThat(challenge.statusCode()).isEqualTo(401);
            String www = challenge.header("WWW-Authenticate").orElseThrow();
            assertThat(www).contains("realm=\"" + Sipp.AUTH_REALM + "\"");

            ua.send(
                    outboundRegister(
                            ua, "c401", 2, 600, RawSip.authorization(www, "bob", "wrong", "REGISTER", "sip:" + DOMAIN)),
                    at(sipp));
            assertThat(ua.finalResponse(ANSWER).statusCode()).isEqualTo(403);

            ua.send(
                    outboundRegister(
                            ua,
                            "c401",
                            3,
                            600,
                            RawSip.authorization(www, "bob", "pw-123", "REGISTER", "sip:" + DOMAIN)),
                    at(sipp));
            SipMessage ok = ua.finalResponse(ANSWER);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.header("Expires")).hasValue("600");
        }
        List<SipMessage> received = sipp.awaitMessages(3, ANSWER);
        assertThat(received.get(0).hasHeader("Authorization")).isFalse();
        assertThat(received.get(2).header("Authorization").orElseThrow()).startsWith("Digest username=\"bob\"");
    }

    @Test
    void twoAtOnceAndATakenPortFailsTheStart() throws IOException {
        Sipp one = uas(Sipp.REGISTER_430, "u1");
        Sipp two = uas(Sipp.REGISTER_503_RETRY_AFTER, "u1");
        assertThat(two.port()).isNotEqualTo(one.port());
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        assertThat(Sipp.listens(one.pid(), lo, one.port(), false)).isTrue();
        assertThat(Sipp.listens(two.pid(), lo, one.port(), false)).isFalse();

        assertThatThrownBy(() -> Sipp.uas(
                        Sipp.scenario(Sipp.REGISTER_430, dir), "127.0.0.1", one.port(), "u1", dir.resolve("taken")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sipp exited at start");
        assertThat(one.isAlive()).isTrue();
    }
}
