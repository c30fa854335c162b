// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.net.FreePorts;
import org.sipfailover.testkit.tls.TestCertificates;

@RealServers
class KamailioTest {

    private static final Duration ANSWER = Duration.ofSeconds(3);
    private static final String DOMAIN = "example.test";
    private static final String AOR = "alice@" + DOMAIN;

    @TempDir
    Path dir;

    private final List<Kamailio> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Kamailio::close);
    }

    private Kamailio start(KamailioConfig cfg, String name) throws IOException {
        Kamailio k = Kamailio.start(cfg, dir.resolve(name));
        started.add(k);
        return k;
    }

    private Kamailio start(KamailioConfig.Builder cfg) throws IOException {
        return start(cfg.build(), "kamailio");
    }

    @Test
    void outboundRegisterOverUdpGetsRequireOutboundAndFlowTimerAndShowsInTheLocationTable() throws IOException {
        Kamailio k = start(KamailioConfig.builder().flowTimer(25));
        assertThat(k.address()).isEqualTo("127.0.0.1");
        assertThat(k.port()).isPositive();
        assertThat(Files.readString(k.workDir().resolve(Kamailio.CONF_FILE)))
                .contains("listen=udp:127.0.0.1:" + k.port(), "modparam(\"registrar\", \"flow_timer\", 25)");

        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            ua.send(
                    RawSip.register(
                            "alice",
                            DOMAIN,
                            "UDP",
                            ua.local(),
                            "reg-udp-1",
                            1,
                            600,
                            RawSip.outbound(1),
                            "Supported: outbound, path"),
                    k.socketAddress());
            SipMessage ok = ua.finalResponse(ANSWER);

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.header("Require")).hasValue("outbound");
            assertThat(ok.header("Flow-Timer")).hasValue("25");
            assertThat(ok.header("Contact").orElseThrow()).contains(";ob", "expires=600", "reg-id=1");

            assertThat(k.bindings(AOR)).singleElement().satisfies(b -> {
                assertThat(b.contact())
                        .isEqualTo("sip:alice@127.0.0.1:" + ua.local().getPort() + ";transport=udp;ob");
                assertThat(b.instance()).isEqualTo(RawSip.INSTANCE);
                assertThat(b.regId()).isEqualTo(1);
                assertThat(b.expires()).isBetween(590L, 600L);
                assertThat(b.received()).isEqualTo("sip:127.0.0.1:" + ua.local().getPort() + ";transport=udp");
                assertThat(b.socket()).isEqualTo("udp:127.0.0.1:" + k.port());
                assertThat(b.tcpConnectionId()).isEqualTo(-1);
                assertThat(b.callId()).isEqualTo("reg-udp-1");
                assertThat(b.path()).isEmpty();
            });
            // the three spellings of one AOR, and an AOR nobody registered
            assertThat(k.bindings("sip:" + AOR)).hasSize(1);
            assertThat(k.bindings("alice")).hasSize(1);
            assertThat(k.bindings("bob@" + DOMAIN)).isEmpty();

            // unregister: Expires 0 removes the binding
            ua.send(
                    RawSip.register(
                            "alice",
                            DOMAIN,
                            "UDP",
                            ua.local(),
                            "reg-udp-1",
                            2,
                            0,
                            RawSip.outbound(1),
                            "Supported: outbound, path"),
                    k.socketAddress());
            assertThat(ua.finalResponse(ANSWER).statusCode()).isEqualTo(200);
            assertThat(k.bindings(AOR)).isEmpty();
        }
    }

    @Test
    void aDumpOfTheWholeLocationTableHoldsThousandsOfAors() throws IOException {
        Kamailio k = start(KamailioConfig.builder());
        int aors = 12000; // more than the largest benchmark, 10,000 lines
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            for (int i = 0; i < aors; i++) {
                ua.send(
                        RawSip.register("u" + i, DOMAIN, "UDP", ua.local(), "reg-many-" + i, 1, 600, ""),
                        k.socketAddress());
                assertThat(ua.finalResponse(ANSWER).statusCode()).isEqualTo(200);
            }
        }
        // kamcmd's reply cannot hold this many (it gives up at a few thousand); JSON-RPC's can
        assertThat(k.aors()).hasSize(aors).contains("u0@" + DOMAIN, "u" + (aors - 1) + "@" + DOMAIN);
    }

    @Test
    void withoutFlowTimerOrOutboundTheReplyHasNeither() throws IOException {
        Kamailio k = start(KamailioConfig.builder());
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            ua.send(RawSip.register("alice", DOMAIN, "UDP", ua.local(), "reg-plain", 1, 300, ""), k.socketAddress());
            SipMessage ok = ua.finalResponse(ANSWER);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.hasHeader("Require")).isFalse();
            assertThat(ok.hasHeader("Flow-Timer")).isFalse();
            assertThat(k.bindings(AOR)).singleElement().satisfies(b -> {
                assertThat(b.instance()).isEmpty();
                assertThat(b.regId()).isZero();
            });
        }
    }

    @Test
    void outboundModeTwoRejectsARegisterWhoseSupportedLacksOutbound() throws IOException {
        Kamailio k = start(KamailioConfig.builder().outboundMode(2));
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            ua.send(
                    RawSip.register("alice", DOMAIN, "UDP", ua.local(), "reg-no-ob", 1, 300, "", "Supported: path"),
                    k.socketAddress());
            SipMessage reply = ua.finalResponse(ANSWER);
            assertThat(reply.statusCode()).isEqualTo(421);
            assertThat(k.bindings(AOR)).isEmpty();

            // Kamailio 5.6 checks the option tags only of a REGISTER that has a Supported header at all
            ua.send(
                    RawSip.register("alice", DOMAIN, "UDP", ua.local(), "reg-no-supported", 1, 300, ""),
                    k.socketAddress());
            assertThat(ua.finalResponse(ANSWER).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void overTcpAPingGetsAPongAndARequestForTheAorComesBackOverTheFlow() throws IOException {
        Kamailio k = start(KamailioConfig.builder().flowTimer(25));
        try (RawSip.Stream ua = RawSip.Stream.connect(k.socketAddress());
                RawSip.Udp other = new RawSip.Udp("127.0.0.1")) {
            // RFC 5626 §4.4.1: CRLFCRLF ping, CRLF pong
            ua.send("\r\n\r\n");
            assertThat(new String(ua.read(2, ANSWER), StandardCharsets.US_ASCII))
                    .isEqualTo("\r\n");

            // a Contact port where nobody listens: only the flow can deliver requests
            InetSocketAddress nowhere = new InetSocketAddress("127.0.0.1", 9);
            ua.send(RawSip.register(
                    "alice",
                    DOMAIN,
                    "TCP",
                    nowhere,
                    "reg-tcp-1",
                    1,
                    600,
                    RawSip.outbound(1),
                    "Supported: outbound, path"));
            SipMessage ok = ua.finalResponse(ANSWER);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.header("Require")).hasValue("outbound");
            assertThat(ok.header("Flow-Timer")).hasValue("25");
            assertThat(k.bindings(AOR)).singleElement().satisfies(b -> {
                assertThat(b.contact()).isEqualTo("sip:alice@127.0.0.1:9;transport=tcp;ob");
                assertThat(b.received()).isEqualTo("sip:127.0.0.1:" + ua.local().getPort() + ";transport=tcp");
                assertThat(b.socket()).isEqualTo("tcp:127.0.0.1:" + k.port());
                assertThat(b.tcpConnectionId()).isPositive();
            });

            // another party sends a MESSAGE to the AOR through the registrar ...
            other.send(
                    RawSip.request("MESSAGE", "sip:" + AOR, "sip:" + AOR, "UDP", other.local(), "msg-1", "hello"),
                    k.socketAddress());
            // ... and it arrives over the registered TCP connection
            SipMessage relayed = ua.receive(ANSWER);
            assertThat(relayed.method()).isEqualTo("MESSAGE");
            assertThat(relayed.requestUri()).isEqualTo("sip:alice@127.0.0.1:9;transport=tcp;ob");
            assertThat(relayed.body()).isEqualTo("hello");
            ua.send(RawSip.ok(relayed));
            SipMessage delivered = other.finalResponse(ANSWER);
            assertThat(delivered.statusCode()).isEqualTo(200);
            assertThat(delivered.header("Call-ID")).hasValue("msg-1");
        }
    }

    @Test
    void withTwoFlowsOfOneInstanceARequestTakesOneAndMovesToTheOtherWhenItsConnectionIsGone() throws IOException {
        Kamailio k = start(KamailioConfig.builder().flowTimer(25));
        InetSocketAddress nowhere = new InetSocketAddress("127.0.0.1", 9);
        try (RawSip.Stream flow1 = RawSip.Stream.connect(k.socketAddress());
                RawSip.Stream flow2 = RawSip.Stream.connect(k.socketAddress());
                RawSip.Udp other = new RawSip.Udp("127.0.0.1")) {
            flow1.send(RawSip.register(
                    "alice", DOMAIN, "TCP", nowhere, "reg-flow-1", 1, 600, RawSip.outbound(1), "Supported: outbound"));
            assertThat(flow1.finalResponse(ANSWER).statusCode()).isEqualTo(200);
            flow2.send(RawSip.register(
                    "alice", DOMAIN, "TCP", nowhere, "reg-flow-2", 1, 600, RawSip.outbound(2), "Supported: outbound"));
            assertThat(flow2.finalResponse(ANSWER).statusCode()).isEqualTo(200);
            assertThat(k.bindings(AOR)).extracting(Binding::regId).containsExactlyInAnyOrder(1, 2);

            // RFC 5626 §7: one flow per instance gets the request; Kamailio takes the latest registered
            other.send(
                    RawSip.request("MESSAGE", "sip:" + AOR, "sip:" + AOR, "UDP", other.local(), "msg-a", "a"),
                    k.socketAddress());
            SipMessage first = flow2.receive(ANSWER);
            assertThat(first.body()).isEqualTo("a");
            flow2.send(RawSip.ok(first));
            assertThat(other.finalResponse(ANSWER).statusCode()).isEqualTo(200);

            // that flow's connection closes: the next request goes over the other flow, the dead one is dropped
            int closedPort = flow2.local().getPort();
            flow2.close();
            // else the request could still be written into the dying connection and time out there (5 s)
            Poll.until(
                    ANSWER,
                    () -> !k.rpc("core.tcp_list").contains("src_port: " + closedPort + "\n"),
                    () -> "kamailio to see the connection from port " + closedPort + " close");
            other.send(
                    RawSip.request("MESSAGE", "sip:" + AOR, "sip:" + AOR, "UDP", other.local(), "msg-b", "b"),
                    k.socketAddress());
            SipMessage second = flow1.receive(ANSWER);
            assertThat(second.body()).isEqualTo("b");
            flow1.send(RawSip.ok(second));
            assertThat(other.finalResponse(ANSWER).statusCode()).isEqualTo(200);
            assertThat(k.bindings(AOR)).extracting(Binding::regId).containsExactly(1);
        }
    }

    @Test
    void aRequestForAnAorIsRelayedToTheUdpFlowAndOneForNobodyGets404() throws IOException {
        Kamailio k = start(KamailioConfig.builder());
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1");
                RawSip.Udp other = new RawSip.Udp("127.0.0.1")) {
            ua.send(
                    RawSip.register(
                            "alice",
                            DOMAIN,
                            "UDP",
                            ua.local(),
                            "reg-udp-2",
                            1,
                            600,
                            RawSip.outbound(1),
                            "Supported: outbound"),
                    k.socketAddress());
            assertThat(ua.finalResponse(ANSWER).statusCode()).isEqualTo(200);

            other.send(
                    RawSip.request("NOTIFY", "sip:" + AOR, "sip:" + AOR, "UDP", other.local(), "notify-1", ""),
                    k.socketAddress());
            SipMessage relayed = ua.receive(ANSWER).orElseThrow();
            assertThat(relayed.method()).isEqualTo("NOTIFY");
            ua.send(RawSip.ok(relayed), k.socketAddress());
            assertThat(other.finalResponse(ANSWER).statusCode()).isEqualTo(200);

            other.send(
                    RawSip.request(
                            "MESSAGE",
                            "sip:bob@" + DOMAIN,
                            "sip:bob@" + DOMAIN,
                            "UDP",
                            other.local(),
                            "msg-nobody",
                            "hi"),
                    k.socketAddress());
            assertThat(other.finalResponse(ANSWER).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void answersOptionsAndStunBindingRequestsOnTheSipUdpPort() throws IOException {
        Kamailio k = start(KamailioConfig.builder());
        try (RawSip.Udp probe = new RawSip.Udp("127.0.0.1")) {
            probe.send(
                    RawSip.request(
                            "OPTIONS",
                            "sip:127.0.0.1:" + k.port(),
                            "sip:127.0.0.1:" + k.port(),
                            "UDP",
                            probe.local(),
                            "options-1",
                            ""),
                    k.socketAddress());
            SipMessage ok = probe.finalResponse(ANSWER);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.method()).isEqualTo("OPTIONS");
            assertThat(ok.header("Supported").orElseThrow()).contains("outbound");

            // RFC 5389 §6: Binding request, no attributes, magic cookie, 96-bit transaction id
            byte[] transaction = new byte[12];
            new SecureRandom().nextBytes(transaction);
            ByteBuffer request = ByteBuffer.allocate(20)
                    .putShort((short) 0x0001)
                    .putShort((short) 0)
                    .putInt(0x2112A442)
                    .put(transaction);
            probe.send(request.array(), k.socketAddress());
            ByteBuffer response = ByteBuffer.wrap(probe.receiveBytes(ANSWER));

            assertThat(response.getShort() & 0xFFFF).as("message type").isEqualTo(0x0101); // Binding success
            int length = response.getShort() & 0xFFFF;
            assertThat(response.getInt()).as("magic cookie").isEqualTo(0x2112A442);
            byte[] echoed = new byte[12];
            response.get(echoed);
            assertThat(echoed).isEqualTo(transaction);
            assertThat(xorMappedAddress(response, length)).isEqualTo(probe.local());
        }
    }

    /** RFC 5389 §15.2: the XOR-MAPPED-ADDRESS attribute of a Binding success response. */
    private static InetSocketAddress xorMappedAddress(ByteBuffer attributes, int length) throws IOException {
        int end = attributes.position() + length;
        while (attributes.position() < end) {
            int type = attributes.getShort() & 0xFFFF;
            int len = attributes.getShort() & 0xFFFF;
            byte[] value = new byte[len];
            attributes.get(value);
            attributes.position(attributes.position() + (4 - len % 4) % 4);
            if (type == 0x0020) {
                ByteBuffer v = ByteBuffer.wrap(value);
                v.get();
                assertThat(v.get()).as("family IPv4").isEqualTo((byte) 1);
                int port = (v.getShort() & 0xFFFF) ^ 0x2112;
                int ip = v.getInt() ^ 0x2112A442;
                return new InetSocketAddress(
                        InetAddress.getByAddress(
                                ByteBuffer.allocate(4).putInt(ip).array()),
                        port);
            }
        }
        throw new AssertionError("no XOR-MAPPED-ADDRESS in the STUN response");
    }

    @Test
    void killedItAnswersNothingAndRestartedItAnswersAgainWithAnEmptyTable() throws IOException {
        Kamailio k = start(KamailioConfig.builder());
        int port = k.port();
        long firstPid = k.pid();
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            ua.send(RawSip.register("alice", DOMAIN, "UDP", ua.local(), "reg-kill", 1, 600, ""), k.socketAddress());
            assertThat(ua.finalResponse(ANSWER).statusCode()).isEqualTo(200);
        }
        assertThat(k.bindings(AOR)).hasSize(1);

        k.kill();
        assertThat(k.isAlive()).isFalse();
        assertThat(k.answersOptions(Duration.ofMillis(300))).isFalse();
        // nothing listens any more: UDP gets ICMP port unreachable, TCP is refused
        try (DatagramSocket connected = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            connected.connect(k.socketAddress());
            connected.setSoTimeout(1000);
            byte[] register = RawSip.register(
                            "alice",
                            DOMAIN,
                            "UDP",
                            (InetSocketAddress) connected.getLocalSocketAddress(),
                            "reg-dead",
                            1,
                            600,
                            "")
                    .getBytes(StandardCharsets.UTF_8);
            connected.send(new DatagramPacket(register, register.length));
            assertThatThrownBy(() -> connected.receive(new DatagramPacket(new byte[2048], 2048)))
                    .isInstanceOf(PortUnreachableException.class);
        }
        assertThatThrownBy(() -> RawSip.Stream.connect(k.socketAddress())).isInstanceOf(ConnectException.class);

        k.restart();
        assertThat(k.isAlive()).isTrue();
        assertThat(k.pid()).isNotEqualTo(firstPid);
        assertThat(k.port()).isEqualTo(port);
        assertThat(k.answersOptions(ANSWER)).isTrue();
        assertThat(k.bindings(AOR)).isEmpty();
        assertThat(k.logTail(200)).contains("Listening on");
    }

    @Test
    void pausedItIsSilentAndResumedItAnswers() throws IOException {
        Kamailio k = start(KamailioConfig.builder());
        k.pause();
        try {
            assertThat(k.answersOptions(Duration.ofMillis(300))).isFalse();
            assertThat(k.isAlive()).isTrue();
        } finally {
            k.resume();
        }
        assertThat(k.answersOptions(ANSWER)).isTrue();
    }

    @Test
    void primaryAndBackupRunAtOnceOnTwoLoopbackAddressesAndTheSamePort() throws IOException {
        Kamailio primary = start(
                KamailioConfig.builder()
                        .address("127.0.0.1")
                        .domain("primary.test")
                        .build(),
                "primary");
        // the same port number on another loopback address is another socket
        int port = primary.port();
        KamailioConfig backupCfg = KamailioConfig.builder()
                .address("127.0.0.2")
                .domain("backup.test")
                .port(FreePorts.isFreeForUdpAndTcp(InetAddress.getByName("127.0.0.2"), port) ? port : 0)
                .build();
        Kamailio backup = start(backupCfg, "backup");
        assertThat(backup.address()).isEqualTo("127.0.0.2");
        assertThat(backup.ctlSocket()).isNotEqualTo(primary.ctlSocket());

        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            ua.send(
                    RawSip.register(
                            "alice",
                            "primary.test",
                            "UDP",
                            ua.local(),
                            "reg-p",
                            1,
                            600,
                            RawSip.outbound(1),
                            "Supported: outbound"),
                    primary.socketAddress());
            assertThat(ua.finalResponse(ANSWER).statusCode()).isEqualTo(200);
            ua.send(
                    RawSip.register(
                            "alice",
                            "backup.test",
                            "UDP",
                            ua.local(),
                            "reg-b",
                            1,
                            600,
                            RawSip.outbound(2),
                            "Supported: outbound"),
                    backup.socketAddress());
            assertThat(ua.finalResponse(ANSWER).statusCode()).isEqualTo(200);
        }
        assertThat(primary.bindings("alice@primary.test"))
                .singleElement()
                .satisfies(b -> assertThat(b.regId()).isEqualTo(1));
        assertThat(backup.bindings("alice@backup.test")).singleElement().satisfies(b -> {
            assertThat(b.regId()).isEqualTo(2);
            assertThat(b.socket()).startsWith("udp:127.0.0.2:");
        });
        assertThat(primary.bindings("alice@backup.test")).isEmpty();

        backup.kill();
        assertThat(primary.answersOptions(ANSWER)).isTrue();
    }

    @Test
    void withAuthARegisterIsChallengedAndOnlyTheRightCredentialsRegister() throws IOException {
        Kamailio k = start(KamailioConfig.builder().requireAuth("alice", "s3cret"));
        assertThat(k.config().toString()).doesNotContain("s3cret");
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            ua.send(RawSip.register("alice", DOMAIN, "UDP", ua.local(), "reg-auth", 1, 600, ""), k.socketAddress());
            SipMessage challenge = ua.finalResponse(ANSWER);
            assertThat(challenge.statusCode()).isEqualTo(401);
            String www = challenge.header("WWW-Authenticate").orElseThrow();
            assertThat(www).startsWith("Digest").contains("realm=\"" + DOMAIN + "\"");

            ua.send(
                    RawSip.register(
                            "alice",
                            DOMAIN,
                            "UDP",
                            ua.local(),
                            "reg-auth",
                            2,
                            600,
                            "",
                            RawSip.authorization(www, "alice", "wrong", "REGISTER", "sip:" + DOMAIN)),
                    k.socketAddress());
            SipMessage wrong = ua.finalResponse(ANSWER);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(k.bindings(AOR)).isEmpty();

            ua.send(
                    RawSip.register(
                            "alice",
                            DOMAIN,
                            "UDP",
                            ua.local(),
                            "reg-auth",
                            3,
                            600,
                            "",
                            RawSip.authorization(
                                    wrong.header("WWW-Authenticate").orElseThrow(),
                                    "alice",
                                    "s3cret",
                                    "REGISTER",
                                    "sip:" + DOMAIN)),
                    k.socketAddress());
            assertThat(ua.finalResponse(ANSWER).statusCode()).isEqualTo(200);
            assertThat(k.bindings(AOR)).hasSize(1);
        }
    }

    @Test
    void minExpiresAnswersTooShortARegistrationWith423() throws IOException {
        Kamailio k = start(KamailioConfig.builder().minExpires(3600));
        try (RawSip.Udp ua = new RawSip.Udp("127.0.0.1")) {
            ua.send(RawSip.register("alice", DOMAIN, "UDP", ua.local(), "reg-423", 1, 60, ""), k.socketAddress());
            SipMessage tooBrief = ua.finalResponse(ANSWER);
            assertThat(tooBrief.statusCode()).isEqualTo(423);
            assertThat(tooBrief.header("Min-Expires")).hasValue("3600");
        }
    }

    @Test
    void registersOverTls() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"), "127.0.0.1");
        Kamailio k = start(KamailioConfig.builder().flowTimer(25).tls(0, certs.serverCertificate(), certs.serverKey()));
        assertThat(k.tlsPort()).isPositive().isNotEqualTo(k.port());
        assertThat(k.uri("tls")).isEqualTo("sip:127.0.0.1:" + k.tlsPort() + ";transport=tls");

        SSLSocket tls = (SSLSocket)
                certs.clientContext().getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), k.tlsPort());
        try (RawSip.Stream ua = new RawSip.Stream(tls)) {
            tls.startHandshake();
            ua.send("\r\n\r\n");
            assertThat(new String(ua.read(2, ANSWER), StandardCharsets.US_ASCII))
                    .isEqualTo("\r\n");
            ua.send(RawSip.register(
                    "alice",
                    DOMAIN,
                    "TLS",
                    ua.local(),
                    "reg-tls",
                    1,
                    600,
                    RawSip.outbound(1),
                    "Supported: outbound, path"));
            SipMessage ok = ua.finalResponse(ANSWER);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.header("Require")).hasValue("outbound");
            assertThat(ok.header("Flow-Timer")).hasValue("25");
        }
        assertThat(k.bindings(AOR)).singleElement().satisfies(b -> {
            assertThat(b.socket()).isEqualTo("tls:127.0.0.1:" + k.tlsPort());
            assertThat(b.received()).endsWith(";transport=tls");
        });
    }

    @Test
    void aTakenPortFailsTheStartWithItsLog() throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        int port = FreePorts.udpAndTcp(lo);
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(lo, port))) {
            assertThatThrownBy(() -> start(KamailioConfig.builder().port(port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Address already in use");
        }
        assertThat(started).isEmpty();
    }

    @Test
    void theConfigurationIsWrittenFromTheTemplate() {
        KamailioConfig cfg = KamailioConfig.builder()
                .address("127.0.0.2")
                .port(5999)
                .domain("backup.test")
                .flowTimer(30)
                .outboundMode(2)
                .requireAuth("bob", "pw")
                .build();
        String text = Kamailio.render(cfg, Path.of("/tmp/x/kamailio.ctl"));
        assertThat(text)
                .contains(
                        "listen=udp:127.0.0.2:5999",
                        "listen=tcp:127.0.0.2:5999",
                        "alias=\"backup.test\"",
                        "#!define WITH_AUTH",
                        "modparam(\"registrar\", \"outbound_mode\", 2)",
                        "tcp_connection_lifetime=40",
                        "pv_www_authenticate(\"$td\", \"pw\", \"0\")",
                        "$au != \"bob\"",
                        "unix:/tmp/x/kamailio.ctl");
        assertThat(text).doesNotContain("#!define WITH_TLS").doesNotContainPattern("@[A-Z_]+@");
        assertThat(Arrays.asList(text.split("\n"))).contains("#!KAMAILIO");
    }
}
