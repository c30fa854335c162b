// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.net.FreePorts;
import org.sipfailover.testkit.sip.Binding;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * Malformed and hostile SIP thrown at a flow manager whose flows are registered with a real Kamailio 5.6:
 * from raw sockets at the stack's UDP and TCP ports (garbage, broken Via and CSeq, a NOTIFY without Call-ID,
 * enormous headers, requests for dialogs that do not exist, a 200 OK for no transaction, a STUN look-alike),
 * and as answers from a registrar that sends broken and stray responses before each real one. The flows must
 * not notice: they keep refreshing their registrations and their keep-alives keep being answered; the junk is
 * counted.
 */
@RealServers
class HostileInputTest {

    private static final ServerRef REGISTRAR = ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Short, so that refreshes come every 3 s within the test. */
    private static final Duration EXPIRES = Duration.ofSeconds(6);

    @TempDir
    Path work;

    private RealTimeFlowManager flows;
    private FlowManagerCore manager;
    private int stackPort;
    private Kamailio kamailio;
    private LoopbackRegistrar hostileRegistrar;
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        stackPort = FreePorts.udpAndTcp(LOOPBACK);
        flows = new RealTimeFlowManager(work, Map.of("udpPort", stackPort, "tcpPort", stackPort));
        manager = flows.manager;
        kamailio = Kamailio.start(KamailioConfig.builder().address("127.0.0.1").build(), work.resolve("kamailio"));
        hostileRegistrar = LoopbackRegistrar.start(0);
    }

    @AfterEach
    void stop() {
        flows.close();
        kamailio.close();
        hostileRegistrar.close();
    }

    private FlowImpl open(String line, int port, Transport t, int regId) {
        FlowSpec spec = FlowSpec.builder(line, REGISTRAR, new ServerAddress("127.0.0.1", port, t))
                .regId(regId)
                .outbound(true)
                .keepAlive(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .recovery(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1))
                .build();
        return (FlowImpl) manager.open(spec, events::add);
    }

    private static Registration register(FlowImpl flow, String user) {
        return flow.register(new RegisterRequest(
                "sip:" + user + "@example.test",
                ServerAddress.of("example.test", 0),
                null,
                EXPIRES,
                Duration.ofSeconds(15),
                null));
    }

    private long cseqOfBinding(int regId) {
        return kamailio.bindings("alice@example.test").stream()
                .filter(b -> b.regId() == regId)
                .mapToLong(Binding::cseq)
                .max()
                .orElse(-1);
    }

    @Test
    void junkFromPeersIsCountedAndTheFlowsGoOn() throws Exception {
        FlowImpl udp = open("alice", kamailio.port(), Transport.UDP, 1);
        FlowImpl tcp = open("alice", kamailio.port(), Transport.TCP, 2);
        Registration overUdp = register(udp, "alice");
        Registration overTcp = register(tcp, "alice");
        // bob's flows go to a registrar that precedes each real answer with broken and stray responses
        hostileRegistrar.sendBefore(HostileInputTest::brokenAnswersTo);
        Registration bobUdp = register(open("bob", hostileRegistrar.port(), Transport.UDP, 1), "bob");
        Registration bobTcp = register(open("bob", hostileRegistrar.port(), Transport.TCP, 2), "bob");
        Poll.until(
                Duration.ofSeconds(15),
                () -> overUdp.isRegistered()
                        && overTcp.isRegistered()
                        && bobUdp.isRegistered()
                        && bobTcp.isRegistered(),
                () -> "four registrations; events " + events);
        // the hostile registrar's broken answers came before the real ones, and were counted
        Poll.until(
                Duration.ofSeconds(10),
                () -> manager.malformedMessages() >= 6 && manager.strayMessages() >= 2,
                () -> "the registrar's broken (" + manager.malformedMessages() + ") and stray ("
                        + manager.strayMessages() + ") answers counted");
        long malformedBefore = manager.malformedMessages();
        long strayBefore = manager.strayMessages();

        List<String> udpAnswers = throwAtUdp();
        List<String> tcpAnswers = throwAtTcp();
        // a connection a peer opened to us is closed (by JAIN-SIP) after a request it cannot parse, or a
        // header longer than the stack reads into one message
        assertThat(closesTheConnection(GARBAGE)).isTrue();
        assertThat(closesTheConnection(enormousBrokenCseq("TCP", 0))).isTrue();
        assertThat(closesTheConnection("OPTIONS sip:127.0.0.1:" + stackPort + " SIP/2.0\r\nX-Huge: "
                        + "a".repeat(2 << 20) + "\r\n\r\n"))
                .isTrue();

        // the requests in no dialog were answered 481 on the path they came by
        assertThat(udpAnswers).filteredOn(a -> a.startsWith("SIP/2.0 481")).hasSize(3);
        assertThat(tcpAnswers).filteredOn(a -> a.startsWith("SIP/2.0 481")).hasSize(3);
        // UDP: binary, STUN look-alike, text, broken Via, broken CSeq, no Call-ID, enormous broken CSeq;
        // TCP: broken Via, broken CSeq, no Call-ID, then text and the enormous CSeq on connections of their own
        // (the oversized header is not parsed at all: JAIN-SIP closes the connection while reading it)
        Poll.until(
                Duration.ofSeconds(5),
                () -> manager.malformedMessages() >= malformedBefore + 7 + 5,
                () -> "12 malformed messages counted, got " + (manager.malformedMessages() - malformedBefore));
        // the three requests in no dialog and the 200 OK for no transaction, over each transport
        Poll.until(
                Duration.ofSeconds(5),
                () -> manager.strayMessages() >= strayBefore + 4 + 4,
                () -> "8 stray messages counted, got " + (manager.strayMessages() - strayBefore));

        // and the flows go on: each refreshes its binding and has its keep-alives answered, none failed
        long udpCseq = cseqOfBinding(1);
        long tcpCseq = cseqOfBinding(2);
        long udpPongs = udp.keepAlivesAnswered();
        long tcpPongs = tcp.keepAlivesAnswered();
        Poll.until(
                Duration.ofSeconds(15),
                () -> cseqOfBinding(1) > udpCseq
                        && cseqOfBinding(2) > tcpCseq
                        && udp.keepAlivesAnswered() >= udpPongs + 3
                        && tcp.keepAlivesAnswered() >= tcpPongs + 3,
                () -> "refreshes and answered keep-alives after the junk; bindings " + kamailio.bindings("alice")
                        + ", events " + events);
        assertThat(overUdp.isRegistered()).isTrue();
        assertThat(overTcp.isRegistered()).isTrue();
        assertThat(TestLines.ofKind(events, FlowEvent.Kind.FAILED)).isEmpty();
        // the stack still answers on both ports
        assertThat(exchangeUdp(
                        port -> options("UDP", port).stream()
                                .map(m -> m.getBytes(StandardCharsets.ISO_8859_1))
                                .toList(),
                        HostileInputTest::anOk))
                .anyMatch(a -> a.startsWith("SIP/2.0 200"));
        assertThat(exchangeTcp(port -> options("TCP", port), HostileInputTest::anOk))
                .anyMatch(a -> a.startsWith("SIP/2.0 200"));
        assertThat(manager.handlerErrors()).isZero();
    }

    // ---- what is thrown ------------------------------------------------------------------------------------

    /** From a raw UDP socket: every kind of junk, one datagram each; returns what came back. */
    private List<String> throwAtUdp() throws IOException {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (0xff - i * 7);
        }
        return exchangeUdp(
                port -> {
                    List<byte[]> junk = new ArrayList<>(List.of(binary, stunLookAlike()));
                    junk.add(GARBAGE.getBytes(StandardCharsets.ISO_8859_1));
                    junk.add(enormousBrokenCseq("UDP", port).getBytes(StandardCharsets.ISO_8859_1));
                    sipJunk("UDP", port).forEach(m -> junk.add(m.getBytes(StandardCharsets.ISO_8859_1)));
                    return junk;
                },
                HostileInputTest::three481s);
    }

    /**
     * Over one raw TCP connection: the SIP junk that leaves the connection open, written back to back; returns
     * what came back on it.
     */
    private List<String> throwAtTcp() throws IOException {
        return exchangeTcp(port -> sipJunk("TCP", port), HostileInputTest::three481s);
    }

    private static boolean three481s(List<String> answers) {
        return answers.stream().filter(a -> a.startsWith("SIP/2.0 481")).count() >= 3;
    }

    private static boolean anOk(List<String> answers) {
        return answers.stream().anyMatch(a -> a.startsWith("SIP/2.0 200"));
    }

    /** Whether the stack closes a connection of ours that brings {@code message}, within 15 s. */
    private boolean closesTheConnection(String message) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, stackPort), 2000);
            s.setSoTimeout(200);
            InputStream in = s.getInputStream();
            try {
                s.getOutputStream().write(message.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            } catch (IOException e) {
                return true; // reset while writing
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (in.read() < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    // not yet
                } catch (IOException e) {
                    return true; // reset
                }
            }
            return false;
        }
    }

    /** Text that is not SIP. */
    private static final String GARBAGE = "@@@ this is not SIP at all @@@\r\n\r\n";

    /**
     * SIP junk for a raw socket over {@code transport}, every message framed (blank line, Content-Length) so
     * that a TCP reader stays in step, none that makes JAIN-SIP close a connection: responses with a broken
     * Via and a broken CSeq, a NOTIFY without Call-ID, a BYE, a NOTIFY and an INFO in dialogs that do not
     * exist (one with an enormous unknown header), and a well-formed 200 OK for a transaction that does not
     * exist.
     */
    private List<String> sipJunk(String transport, int localPort) {
        String here = "127.0.0.1:" + localPort;
        String stack = "127.0.0.1:" + stackPort;
        String via = "Via: SIP/2.0/" + transport + " " + here + ";rport;branch=z9hG4bK-junk";
        String common = "From: <sip:mallory@example.test>;tag=m1\r\nTo: <sip:alice@example.test>;tag=a1\r\n";
        List<String> junk = new ArrayList<>();
        junk.add("SIP/2.0 200 OK\r\nVia: SIP/2.0/" + transport + " ;;;@@@::\r\n" + common
                + "Call-ID: broken-via\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n");
        junk.add("SIP/2.0 200 OK\r\nVia: SIP/2.0/" + transport + " " + stack + ";branch=z9hG4bK-x1\r\n" + common
                + "Call-ID: broken-cseq\r\nCSeq: banana REGISTER\r\nContent-Length: 0\r\n\r\n");
        junk.add("NOTIFY sip:alice@" + stack + " SIP/2.0\r\n" + via + "1\r\nMax-Forwards: 70\r\n" + common
                + "CSeq: 1 NOTIFY\r\nEvent: dialog\r\nSubscription-State: active\r\nContent-Length: 0\r\n\r\n");
        junk.add("BYE sip:alice@" + stack + " SIP/2.0\r\n" + via + "3\r\nMax-Forwards: 70\r\n" + common
                + "Call-ID: no-such-dialog\r\nCSeq: 2 BYE\r\nX-Filler: " + "x".repeat(30_000)
                + "\r\nContent-Length: 0\r\n\r\n");
        junk.add("NOTIFY sip:alice@" + stack + " SIP/2.0\r\n" + via + "4\r\nMax-Forwards: 70\r\n" + common
                + "Call-ID: no-such-subscription\r\nCSeq: 3 NOTIFY\r\nEvent: message-summary\r\n"
                + "Subscription-State: active;expires=60\r\nContent-Length: 0\r\n\r\n");
        junk.add("INFO sip:alice@" + stack + " SIP/2.0\r\n" + via + "5\r\nMax-Forwards: 70\r\n" + common
                + "Call-ID: no-such-dialog-either\r\nCSeq: 4 INFO\r\nContent-Length: 0\r\n\r\n");
        junk.add("SIP/2.0 200 OK\r\nVia: SIP/2.0/" + transport + " " + stack + ";branch=z9hG4bK-no-such-transaction\r\n"
                + common + "Call-ID: no-such-transaction\r\nCSeq: 7 REGISTER\r\nContent-Length: 0\r\n\r\n");
        return junk;
    }

    /** A request whose CSeq number has 30000 digits. */
    private String enormousBrokenCseq(String transport, int localPort) {
        return "OPTIONS sip:127.0.0.1:" + stackPort + " SIP/2.0\r\nVia: SIP/2.0/" + transport + " 127.0.0.1:"
                + localPort
                + ";rport;branch=z9hG4bK-junk2\r\nMax-Forwards: 70\r\nFrom: <sip:mallory@example.test>;tag=m1\r\n"
                + "To: <sip:alice@example.test>\r\nCall-ID: enormous-cseq\r\nCSeq: " + "9".repeat(30_000)
                + " OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    /** A datagram with STUN's magic cookie that claims an attribute longer than itself. */
    private static byte[] stunLookAlike() {
        return ByteBuffer.allocate(28)
                .putShort((short) 0x0101)
                .putShort((short) 8)
                .putInt(Stun.MAGIC_COOKIE)
                .put(new byte[12])
                .putShort((short) 0x0020)
                .putShort((short) 400)
                .putInt(0)
                .array();
    }

    /**
     * What a registrar that means harm sends before its real answer to a request: a response with a broken
     * Via, one with a broken CSeq, garbage, and a 200 OK for another transaction.
     */
    private static List<String> brokenAnswersTo(String request) {
        SipLines r = new SipLines(request);
        if (r.startLine.startsWith("SIP/2.0")) {
            return List.of();
        }
        String rest = r.header("From") + r.header("To") + r.header("Call-ID");
        return List.of(
                "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP [[[broken\r\n" + rest + r.header("CSeq")
                        + "Content-Length: 0\r\n\r\n",
                "SIP/2.0 200 OK\r\n" + r.header("Via") + rest + "CSeq: one REGISTER\r\nContent-Length: 0\r\n\r\n",
                "\u0001\u0002\u0003 garbage \u00fe\u00ff\r\n\r\n",
                "SIP/2.0 200 OK\r\n" + r.header("Via").replace("branch=", "branch=z9hG4bK-other-") + rest
                        + r.header("CSeq") + "Content-Length: 0\r\n\r\n");
    }

    /** The start line and header lines of a message as received, just enough to echo headers. */
    private static final class SipLines {
        final String startLine;
        final List<String> lines;

        SipLines(String message) {
            int end = message.indexOf("\r\n\r\n");
            List<String> all = List.of((end < 0 ? message : message.substring(0, end)).split("\r\n"));
            startLine = all.get(0);
            lines = all.subList(1, all.size());
        }

        /** The first line of the header, with its CRLF; empty if absent. */
        String header(String name) {
            return lines.stream()
                    .filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .findFirst()
                    .map(l -> l + "\r\n")
                    .orElse("");
        }
    }

    private List<String> options(String transport, int localPort) {
        int n = localPort;
        String here = "127.0.0.1:" + localPort;
        return List.of("OPTIONS sip:127.0.0.1:" + stackPort + " SIP/2.0\r\nVia: SIP/2.0/" + transport + " " + here
                + ";rport;branch=z9hG4bK-alive" + n + "\r\nMax-Forwards: 70\r\n"
                + "From: <sip:tester@example.test>;tag=t" + n + "\r\nTo: <sip:" + "127.0.0.1:" + stackPort + ">\r\n"
                + "Call-ID: still-alive-" + transport + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
    }

    // ---- raw sockets ---------------------------------------------------------------------------------------

    /** Sends what {@code messages} makes for the socket's local port, one datagram each; returns the answers. */
    private List<String> exchangeUdp(
            java.util.function.IntFunction<List<byte[]>> messages, Predicate<List<String>> done) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            for (byte[] b : messages.apply(s.getLocalPort())) {
                s.send(new DatagramPacket(b, b.length, new InetSocketAddress(LOOPBACK, stackPort)));
            }
            return receiveUdp(s, done);
        }
    }

    /** Writes what {@code messages} makes for the connection's local port; returns what comes back on it. */
    private List<String> exchangeTcp(
            java.util.function.IntFunction<List<String>> messages, Predicate<List<String>> done) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, stackPort), 2000);
            OutputStream out = s.getOutputStream();
            for (String m : messages.apply(s.getLocalPort())) {
                out.write(m.getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
            return receiveTcp(s, done);
        }
    }

    /** Datagrams received until {@code done} holds of them or 10 s have passed. */
    private static List<String> receiveUdp(DatagramSocket s, Predicate<List<String>> done) throws IOException {
        List<String> got = new ArrayList<>();
        s.setSoTimeout(100);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        byte[] buf = new byte[65535];
        while (!done.test(got) && System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
                got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1));
            } catch (SocketTimeoutException e) {
                // nothing yet
            }
        }
        return got;
    }

    /** The messages read from a connection until {@code done} holds of them or 10 s have passed. */
    private static List<String> receiveTcp(Socket s, Predicate<List<String>> done) throws IOException {
        s.setSoTimeout(100);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        byte[] buf = new byte[8192];
        List<String> got = List.of();
        while (!done.test(got) && System.nanoTime() < deadline) {
            try {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                all.write(buf, 0, n);
                got = List.of(all.toString(StandardCharsets.ISO_8859_1).split("\r\n\r\n"));
            } catch (SocketTimeoutException e) {
                // nothing yet
            }
        }
        return got;
    }
}
