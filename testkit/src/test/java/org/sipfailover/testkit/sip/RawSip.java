// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.sip;

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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SIP written by hand, sent from plain sockets: the tests' client side, free of any SIP stack. */
final class RawSip {

    static final String INSTANCE = "<urn:uuid:6f1c3b7e-2a4d-4c59-9e0b-1d2f3a4b5c6d>";

    private RawSip() {}

    /**
     * A REGISTER of {@code user@domain} from {@code local} over {@code transport} ("UDP", "TCP", "TLS"), its
     * Contact the local address, with {@code contactParams} after the Contact URI (an outbound REGISTER: see
     * {@link #outbound}, which also puts {@code ;ob} on the URI) and any {@code extraHeaders} ("Name: value").
     */
    static String register(
            String user,
            String domain,
            String transport,
            InetSocketAddress local,
            String callId,
            int cseq,
            int expires,
            String contactParams,
            String... extraHeaders) {
        // RFC 5626 §4.2: ;ob on the Contact URI when registering a flow
        String ob = contactParams.contains("reg-id") ? ";ob" : "";
        String hostPort = local.getAddress().getHostAddress() + ":" + local.getPort();
        StringBuilder sb = new StringBuilder()
                .append("REGISTER sip:")
                .append(domain)
                .append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/")
                .append(transport)
                .append(' ')
                .append(hostPort)
                .append(";rport;branch=z9hG4bK")
                .append(UUID.randomUUID().toString(), 0, 12)
                .append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <sip:")
                .append(user)
                .append('@')
                .append(domain)
                .append(">;tag=ft")
                .append(callId.hashCode() & 0xffff)
                .append("\r\n")
                .append("To: <sip:")
                .append(user)
                .append('@')
                .append(domain)
                .append(">\r\n")
                .append("Call-ID: ")
                .append(callId)
                .append("\r\n")
                .append("CSeq: ")
                .append(cseq)
                .append(" REGISTER\r\n")
                .append("Contact: <sip:")
                .append(user)
                .append('@')
                .append(hostPort)
                .append(";transport=")
                .append(transport.toLowerCase(Locale.ROOT))
                .append(ob)
                .append(">")
                .append(contactParams)
                .append("\r\n")
                .append("Expires: ")
                .append(expires)
                .append("\r\n");
        for (String h : extraHeaders) {
            sb.append(h).append("\r\n");
        }
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** RFC 5626 §4.2 Contact header parameters of flow {@code regId} of {@link #INSTANCE}. */
    static String outbound(int regId) {
        return ";+sip.instance=\"" + INSTANCE + "\";reg-id=" + regId;
    }

    /** An out-of-dialog request {@code method} to {@code uri}, sent from {@code local}. */
    static String request(
            String method,
            String uri,
            String to,
            String transport,
            InetSocketAddress local,
            String callId,
            String body) {
        String hostPort = local.getAddress().getHostAddress() + ":" + local.getPort();
        return method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " " + hostPort + ";rport;branch=z9hG4bK"
                + UUID.randomUUID().toString().substring(0, 12) + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:tester@" + hostPort + ">;tag=t1\r\n"
                + "To: <" + to + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + (body.isEmpty() ? "" : "Content-Type: text/plain\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** A 200 OK to {@code request}, with a To tag. */
    static String ok(SipMessage request) {
        StringBuilder sb = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String via : request.headers("Via")) {
            sb.append("Via: ").append(via).append("\r\n");
        }
        return sb.append("From: ")
                .append(request.header("From").orElseThrow())
                .append("\r\n")
                .append("To: ")
                .append(request.header("To").orElseThrow())
                .append(";tag=ok1\r\n")
                .append("Call-ID: ")
                .append(request.header("Call-ID").orElseThrow())
                .append("\r\n")
                .append("CSeq: ")
                .append(request.header("CSeq").orElseThrow())
                .append("\r\n")
                .append("Content-Length: 0\r\n\r\n")
                .toString();
    }

    /** The Authorization header answering {@code challenge} (a 401's WWW-Authenticate; MD5, no qop). */
    static String authorization(String challenge, String user, String password, String method, String uri) {
        String realm = param(challenge, "realm").orElseThrow();
        String nonce = param(challenge, "nonce").orElseThrow();
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String response = md5(ha1 + ":" + nonce + ":" + ha2);
        return "Authorization: Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce
                + "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=MD5";
    }

    static Optional<String> param(String header, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"?([^\",]*)\"?").matcher(header);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String md5(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A UDP peer on 127.0.0.1 (or another loopback address) and a free port. */
    static final class Udp implements AutoCloseable {
        final DatagramSocket socket;

        Udp(String address) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        }

        InetSocketAddress local() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void send(String text, InetSocketAddress to) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8), to);
        }

        void send(byte[] data, InetSocketAddress to) throws IOException {
            socket.send(new DatagramPacket(data, data.length, to));
        }

        byte[] receiveBytes(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            return Arrays.copyOf(p.getData(), p.getLength());
        }

        /** The next SIP message, or empty if none arrives within {@code timeout}. */
        Optional<SipMessage> receive(Duration timeout) throws IOException {
            try {
                return Optional.of(SipMessage.parse(new String(receiveBytes(timeout), StandardCharsets.UTF_8)));
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
        }

        /** The next final response (1xx skipped) within {@code timeout}. */
        SipMessage finalResponse(Duration timeout) throws IOException {
            while (true) {
                SipMessage m = receive(timeout).orElseThrow(() -> new AssertionError("no answer within " + timeout));
                if (m.isRequest() || m.statusCode() >= 200) {
                    return m;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A TCP (or TLS, given an SSL socket) peer: SIP messages framed by Content-Length (RFC 3261 §18.3). */
    static final class Stream implements AutoCloseable {
        final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Stream(Socket connected) throws IOException {
            socket = connected;
            in = connected.getInputStream();
            out = connected.getOutputStream();
        }

        static Stream connect(InetSocketAddress to) throws IOException {
            Socket s = new Socket();
            s.connect(to, 2000);
            return new Stream(s);
        }

        InetSocketAddress local() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads {@code n} bytes exactly. */
        byte[] read(int n, Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            return in.readNBytes(n);
        }

        /** The next SIP message; CRLF keep-alives before it are skipped. */
        SipMessage receive(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (head.size() == 0 && (b == '\r' || b == '\n')) {
                    continue;
                }
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
            if (b < 0) {
                throw new IOException("connection closed");
            }
            String headText = head.toString(StandardCharsets.UTF_8);
            SipMessage headers = SipMessage.parse(headText);
            int length = Integer.parseInt(headers.header("Content-Length").orElse("0"));
            return SipMessage.parse(headText + new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        /** The next final response (1xx skipped). */
        SipMessage finalResponse(Duration timeout) throws IOException {
            while (true) {
                SipMessage m = receive(timeout);
                if (m.isRequest() || m.statusCode() >= 200) {
                    return m;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
