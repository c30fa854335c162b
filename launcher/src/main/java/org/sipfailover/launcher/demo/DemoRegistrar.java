// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.launcher.demo;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's SIP registrar: REGISTER and OPTIONS over TCP, with what RFC 5626 asks of a registrar
 * ({@code Require: outbound} for a contact with a reg-id, a single-CRLF pong to a double-CRLF ping). Bindings
 * live in memory. It is a teaching aid for the demo, not a server: no authentication, no routing, no UDP, and
 * it refuses every other method with 405.
 *
 * <p>{@link #stop()} closes the listening socket and every connection, as a crashed server's host would
 * reset them; {@link #start()} listens again on the same port, with no bindings.
 */
public final class DemoRegistrar implements AutoCloseable {

    private static final int DEFAULT_EXPIRES = 3600;
    private static final int MAX_MESSAGE = 64 * 1024;
    private static final Pattern EXPIRES_PARAM =
            Pattern.compile(";\\s*expires\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern REG_ID = Pattern.compile(";\\s*reg-id\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern INSTANCE =
            Pattern.compile(";\\s*\\+sip\\.instance\\s*=\\s*\"?<?([^>\";]+)", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> COMPACT = Map.of(
            "v",
            "via",
            "f",
            "from",
            "t",
            "to",
            "i",
            "call-id",
            "m",
            "contact",
            "l",
            "content-length",
            "k",
            "supported");

    private final String name;
    private final InetAddress address;
    private final Consumer<String> log;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    /** Address of record → binding key (instance and reg-id, else the contact) → binding. */
    private final Map<String, Map<String, Bound>> bindings = new ConcurrentHashMap<>();

    private volatile int port;
    private ServerSocket listener;

    private record Bound(String contact, long expiresAtMillis) {}

    /**
     * @param name how the log names this registrar ("primary")
     * @param port the port to listen on, 0 for any free one (kept for every later start)
     * @param log where the registrar tells what it does (a binding added or removed, start, stop)
     */
    public DemoRegistrar(String name, InetAddress address, int port, Consumer<String> log) {
        this.name = name;
        this.address = address;
        this.port = port;
        this.log = log;
    }

    /** Listens (again); a no-op if it listens already. */
    public synchronized void start() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(address, port));
        port = s.getLocalPort();
        listener = s;
        Thread accept = new Thread(() -> accept(s), "demo-registrar-" + name);
        accept.setDaemon(true);
        accept.start();
    }

    /** Stops listening and resets every connection; the bindings are lost, as in a crash. */
    public synchronized void stop() {
        if (listener == null) {
            return;
        }
        close(listener);
        listener = null;
        for (Socket c : connections) {
            try {
                c.setSoLinger(true, 0); // a reset, as when the server's host is gone
            } catch (SocketException e) {
                // closed already
            }
            close(c);
        }
        connections.clear();
        bindings.clear();
    }

    public synchronized boolean running() {
        return listener != null;
    }

    public int port() {
        return port;
    }

    public String address() {
        return address.getHostAddress() + ":" + port;
    }

    /** How many bindings are registered now (expired ones not counted). */
    public int bindingCount() {
        long now = System.currentTimeMillis();
        return bindings.values().stream()
                .mapToInt(m -> (int)
                        m.values().stream().filter(b -> b.expiresAtMillis > now).count())
                .sum();
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket c = s.accept();
                connections.add(c);
                Thread t = new Thread(() -> serve(c), "demo-registrar-" + name + "-" + c.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // stopped
            }
        }
    }

    private void serve(Socket c) {
        try (c;
                InputStream in = new BufferedInputStream(c.getInputStream());
                OutputStream out = c.getOutputStream()) {
            int emptyLines = 0;
            while (true) {
                String first = readLine(in);
                if (first == null) {
                    return;
                }
                if (first.isEmpty()) {
                    // RFC 5626 §4.4.1: a double CRLF is a ping, answered by a single CRLF
                    if (++emptyLines == 2) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        emptyLines = 0;
                    }
                    continue;
                }
                emptyLines = 0;
                List<String[]> headers = new ArrayList<>();
                int total = first.length();
                for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                    total += line.length();
                    if (total > MAX_MESSAGE) {
                        return; // not a SIP peer: drop the connection
                    }
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                        headers.add(new String[] {
                            COMPACT.getOrDefault(key, key),
                            line.substring(colon + 1).strip()
                        });
                    }
                }
                int length = parseInt(header(headers, "content-length"), 0);
                if (length < 0 || length > MAX_MESSAGE || in.readNBytes(length).length < length) {
                    return;
                }
                String[] requestLine = first.split(" ");
                if (requestLine.length != 3 || !requestLine[2].startsWith("SIP/")) {
                    continue; // a response, or not SIP: nothing to answer
                }
                out.write(answer(requestLine[0], headers).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the peer went, or stop() reset the connection
        } finally {
            connections.remove(c);
        }
    }

    private String answer(String method, List<String[]> headers) {
        switch (method) {
            case "REGISTER":
                return register(headers);
            case "OPTIONS":
                return response("200 OK", headers, List.of("Allow: REGISTER, OPTIONS"));
            default:
                return response("405 Method Not Allowed", headers, List.of("Allow: REGISTER, OPTIONS"));
        }
    }

    private String register(List<String[]> headers) {
        String aor = uri(header(headers, "to"));
        int defaultExpires = parseInt(header(headers, "expires"), DEFAULT_EXPIRES);
        boolean outbound = false;
        Map<String, Bound> forAor = bindings.computeIfAbsent(aor, k -> new ConcurrentHashMap<>());
        long now = System.currentTimeMillis();
        for (String[] h : headers) {
            if (!h[0].equals("contact")) {
                continue;
            }
            String contact = h[1];
            if (contact.equals("*")) {
                if (!forAor.isEmpty()) {
                    log.accept(name + " registrar: " + aor + " unbound (all contacts)");
                }
                forAor.clear();
                continue;
            }
            int close = contact.lastIndexOf('>');
            String params = close >= 0 ? contact.substring(close + 1) : contact;
            Matcher e = EXPIRES_PARAM.matcher(params);
            int expires = e.find() ? parseInt(e.group(1), defaultExpires) : defaultExpires;
            Matcher regId = REG_ID.matcher(params);
            Matcher instance = INSTANCE.matcher(params);
            boolean hasRegId = regId.find();
            outbound |= hasRegId;
            String key = instance.find() && hasRegId ? instance.group(1) + " reg-id " + regId.group(1) : uri(contact);
            String bare = close >= 0 ? contact.substring(0, close + 1) : contact;
            if (expires == 0) {
                if (forAor.remove(key) != null) {
                    log.accept(name + " registrar: " + aor + " unbound (" + key + ")");
                }
            } else if (forAor.put(
                            key, new Bound(bare + EXPIRES_PARAM.matcher(params).replaceAll(""), now + expires * 1000L))
                    == null) {
                log.accept(name + " registrar: " + aor + " bound for " + expires + " s (" + key + ")");
            }
        }
        forAor.values().removeIf(b -> b.expiresAtMillis <= now);
        List<String> extra = new ArrayList<>();
        for (Bound b : forAor.values()) {
            extra.add("Contact: " + b.contact + ";expires=" + Math.max(1, (b.expiresAtMillis - now) / 1000));
        }
        boolean supported = headers.stream()
                .anyMatch(h -> h[0].equals("supported")
                        && h[1].toLowerCase(Locale.ROOT).contains("outbound"));
        if (outbound && supported) {
            extra.add("Require: outbound");
        }
        return response("200 OK", headers, extra);
    }

    private static String response(String status, List<String[]> request, List<String> extra) {
        StringBuilder sb = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        Map<String, String> names = new LinkedHashMap<>();
        names.put("via", "Via");
        names.put("from", "From");
        names.put("to", "To");
        names.put("call-id", "Call-ID");
        names.put("cseq", "CSeq");
        for (Map.Entry<String, String> n : names.entrySet()) {
            for (String[] h : request) {
                if (h[0].equals(n.getKey())) {
                    String value = h[1];
                    if (n.getKey().equals("to")
                            && !value.toLowerCase(Locale.ROOT).contains(";tag=")) {
                        value += ";tag=demo" + Integer.toHexString(value.hashCode());
                    }
                    sb.append(n.getValue()).append(": ").append(value).append("\r\n");
                }
            }
        }
        for (String e : extra) {
            sb.append(e).append("\r\n");
        }
        return sb.append("Server: sip-failover demo registrar\r\nContent-Length: 0\r\n\r\n")
                .toString();
    }

    private static String header(List<String[]> headers, String name) {
        return headers.stream()
                .filter(h -> h[0].equals(name))
                .map(h -> h[1])
                .findFirst()
                .orElse(null);
    }

    /** The URI in a name-addr or addr-spec, without parameters after the closing angle bracket. */
    private static String uri(String value) {
        if (value == null) {
            return "";
        }
        int open = value.indexOf('<');
        int close = value.indexOf('>', open + 1);
        String u = open >= 0 && close > open ? value.substring(open + 1, close) : value.split(";", 2)[0];
        return u.strip();
    }

    private static int parseInt(String s, int otherwise) {
        if (s == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** One CRLF-terminated line (a lone LF is accepted), or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            if (line.size() > MAX_MESSAGE) {
                throw new IOException("line too long");
            }
            line.write(b);
        }
        return null;
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing is best effort
        }
    }
}
