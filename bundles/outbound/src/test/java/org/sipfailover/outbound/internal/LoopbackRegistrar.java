// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipfailover.testkit.net.FreePorts;

/**
 * A minimal RFC 5626 registrar on loopback for tests that must count what a flow sends: UDP and TCP on one
 * port; REGISTER gets 200 OK with {@code Require: outbound} and a {@code Flow-Timer}, any other request
 * 200 OK; a CRLFCRLF ping on TCP gets a CRLF pong and a STUN Binding request on UDP a success response
 * (RFC 5389, XOR-MAPPED-ADDRESS). It counts pings, STUN requests and requests per method. While
 * {@link #pause() paused} it reads and counts as before but answers nothing, as a server under SIGSTOP whose
 * kernel still takes the bytes.
 *
 * <p>Each TCP connection and the UDP socket are read by one thread each, in order: once the answer to a
 * request sent over a flow has come back, everything the flow sent before that request has been counted.
 */
final class LoopbackRegistrar implements AutoCloseable {

    private static final int MAGIC_COOKIE = 0x2112A442;

    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final int flowTimerSeconds;
    private final AtomicInteger pings = new AtomicInteger();
    private final AtomicInteger stunRequests = new AtomicInteger();
    /** "METHOD Call-ID CSeq" of every request received, retransmissions once. */
    private final Set<String> transactions = ConcurrentHashMap.newKeySet();

    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile boolean answering = true;
    private volatile java.util.function.Function<String, List<String>> before = request -> List.of();

    private LoopbackRegistrar(ServerSocket tcp, DatagramSocket udp, int flowTimerSeconds) {
        this.tcp = tcp;
        this.udp = udp;
        this.flowTimerSeconds = flowTimerSeconds;
    }

    /** Listens on 127.0.0.1, UDP and TCP on one free port; {@code flowTimerSeconds} 0 = no Flow-Timer. */
    static LoopbackRegistrar start(int flowTimerSeconds) throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; ; attempt++) {
            int port = FreePorts.udpAndTcp(lo);
            ServerSocket tcp = new ServerSocket();
            try {
                tcp.bind(new InetSocketAddress(lo, port));
                DatagramSocket udp = new DatagramSocket(new InetSocketAddress(lo, port));
                LoopbackRegistrar r = new LoopbackRegistrar(tcp, udp, flowTimerSeconds);
                r.thread("accept", r::acceptLoop);
                r.thread("udp", r::udpLoop);
                return r;
            } catch (BindException e) {
                tcp.close();
                if (attempt >= 4) {
                    throw e; // another process keeps taking the free ports
                }
            }
        }
    }

    int port() {
        return tcp.getLocalPort();
    }

    /** CRLFCRLF pings received over TCP. */
    int pings() {
        return pings.get();
    }

    /** STUN Binding requests received over UDP. */
    int stunRequests() {
        return stunRequests.get();
    }

    /** Requests of {@code method} received, each transaction once (retransmissions not counted). */
    int transactions(String method) {
        return (int)
                transactions.stream().filter(t -> t.startsWith(method + " ")).count();
    }

    /**
     * Sends, ahead of its answer to each request, what {@code junk} makes of that request (each item one
     * datagram over UDP, written as it is over TCP): broken or stray responses, say.
     */
    void sendBefore(java.util.function.Function<String, List<String>> junk) {
        this.before = junk;
    }

    /** Answers nothing from now on (but still reads and counts). */
    void pause() {
        answering = false;
    }

    void resume() {
        answering = true;
    }

    @Override
    public void close() {
        closeQuietly(tcp);
        udp.close();
        connections.forEach(LoopbackRegistrar::closeQuietly);
    }

    private void thread(String name, Runnable r) {
        Thread t = new Thread(r, "loopback-registrar-" + name);
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop() {
        while (!tcp.isClosed()) {
            try {
                Socket s = tcp.accept();
                connections.add(s);
                thread("tcp-" + s.getPort(), () -> tcpLoop(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void tcpLoop(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            StringBuilder pending = new StringBuilder();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                pending.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                while (true) {
                    if (pending.indexOf("\r\n\r\n") == 0) {
                        // RFC 5626 §4.4.1: CRLFCRLF ping, CRLF pong
                        pings.incrementAndGet();
                        pending.delete(0, 4);
                        if (answering) {
                            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        }
                        continue;
                    }
                    if (pending.length() >= 4 && pending.indexOf("\r\n") == 0) {
                        pending.delete(0, 2); // a lone CRLF between messages
                        continue;
                    }
                    int end = pending.indexOf("\r\n\r\n");
                    if (end <= 0) {
                        break; // wait for the rest
                    }
                    int length = end + 4 + contentLength(pending.substring(0, end));
                    if (pending.length() < length) {
                        break;
                    }
                    String message = pending.substring(0, length);
                    pending.delete(0, length);
                    String reply = handle(message);
                    if (reply != null && answering) {
                        for (String junk : before.apply(message)) {
                            out.write(junk.getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
            }
        } catch (IOException e) {
            // the client closed or reset the connection: that ends this reader
        }
    }

    private void udpLoop() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
                byte[] reply;
                if (isStunBindingRequest(p.getData(), p.getLength())) {
                    stunRequests.incrementAndGet();
                    reply = stunSuccess(p.getData(), (InetSocketAddress) p.getSocketAddress());
                } else {
                    String message = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
                    String r = handle(message);
                    reply = r == null ? null : r.getBytes(StandardCharsets.ISO_8859_1);
                    if (r != null && answering) {
                        for (String junk : before.apply(message)) {
                            byte[] j = junk.getBytes(StandardCharsets.ISO_8859_1);
                            udp.send(new DatagramPacket(j, j.length, p.getSocketAddress()));
                        }
                    }
                }
                if (reply != null && answering) {
                    udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Counts a request and makes its 200 OK; {@code null} for a response. */
    private String handle(String message) {
        String[] lines = message.substring(0, message.indexOf("\r\n\r\n")).split("\r\n");
        if (lines[0].startsWith("SIP/2.0")) {
            return null;
        }
        String method = lines[0].split(" ", 2)[0];
        String callId = "";
        String cseq = "";
        StringBuilder reply = new StringBuilder("SIP/2.0 200 OK\r\n");
        boolean outbound = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "via", "v", "from", "f" -> reply.append(line).append("\r\n");
                case "call-id", "i" -> {
                    callId = value;
                    reply.append(line).append("\r\n");
                }
                case "cseq" -> {
                    cseq = value;
                    reply.append(line).append("\r\n");
                }
                case "to", "t" ->
                    reply.append(line)
                            .append(value.contains(";tag=") ? "" : ";tag=loopback")
                            .append("\r\n");
                case "contact", "m" -> {
                    if (method.equals("REGISTER")) {
                        reply.append(line).append("\r\n");
                        outbound |= value.contains("reg-id");
                    }
                }
                default -> {}
            }
        }
        transactions.add(method + " " + callId + " " + cseq);
        if (outbound) {
            reply.append("Require: outbound\r\n");
            if (flowTimerSeconds > 0) {
                reply.append("Flow-Timer: ").append(flowTimerSeconds).append("\r\n");
            }
        }
        return reply.append("Content-Length: 0\r\n\r\n").toString();
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.startsWith("content-length:") || l.startsWith("l:")) {
                return Integer.parseInt(l.substring(l.indexOf(':') + 1).strip());
            }
        }
        return 0;
    }

    private static boolean isStunBindingRequest(byte[] b, int len) {
        return len >= 20 && b[0] == 0 && b[1] == 1 && ByteBuffer.wrap(b, 4, 4).getInt() == MAGIC_COOKIE;
    }

    /** A Binding success response with the sender's address as XOR-MAPPED-ADDRESS (RFC 5389 §15.2). */
    private static byte[] stunSuccess(byte[] request, InetSocketAddress from) {
        byte[] ip = from.getAddress().getAddress();
        byte[] cookie = ByteBuffer.allocate(4).putInt(MAGIC_COOKIE).array();
        byte[] xip = new byte[4];
        for (int i = 0; i < 4; i++) {
            xip[i] = (byte) (ip[i] ^ cookie[i]);
        }
        return ByteBuffer.allocate(32)
                .putShort((short) 0x0101)
                .putShort((short) 12)
                .putInt(MAGIC_COOKIE)
                .put(request, 8, 12)
                .putShort((short) 0x0020)
                .putShort((short) 8)
                .put((byte) 0)
                .put((byte) 1)
                .putShort((short) (from.getPort() ^ (MAGIC_COOKIE >>> 16)))
                .put(xip)
                .array();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
