// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.net.FreePorts;
import org.sipfailover.testkit.process.ManagedProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scripted SIP peer: Debian's sipp running an XML scenario in the foreground, started and stopped by a test,
 * on a loopback address and port over UDP ({@code "u1"}) or TCP ({@code "t1"}). Every message it receives and
 * sends is traced to a file, so {@link #messages()} tells a test what a client really sent.
 *
 * <p>The ready-made REGISTER server scenarios ({@link #REGISTER_439} etc., see {@link #scenario}) answer each
 * REGISTER with one failure and then 200 OK (or keep failing), per Call-ID: sipp dispatches messages to
 * scenario instances by Call-ID, so a client's retry with the same Call-ID continues the same instance. Their
 * 200 OK echoes the request's Contact with {@code ;expires=} and an {@code Expires} header holding the
 * request's {@code Expires} header value, which the REGISTER must therefore carry.
 *
 * <p>Files in the work directory, named after the port so that several instances can share a directory:
 * {@code sipp-<port>-messages.log} (the trace), {@code sipp-<port>-errors.log} (unexpected messages) and
 * {@code sipp-<port>.out} (its standard output and error).
 */
public final class Sipp implements AutoCloseable {

    /** Where Debian's sip-tester package puts the binary. */
    public static final Path BINARY = Path.of("/usr/bin/sipp");
    /** How long {@link #uas} waits for sipp to listen. */
    public static final Duration READY_DEADLINE = Duration.ofSeconds(10);

    /**
     * 439 First Hop Lacks Outbound Support to the first REGISTER (RFC 5626 §11.6), then 200 OK to every later
     * one (which, done right, no longer carries {@code reg-id}).
     */
    public static final String REGISTER_439 = "register-439.xml";
    /** 430 Flow Failed (RFC 5626 §11.5) to every REGISTER. */
    public static final String REGISTER_430 = "register-430.xml";
    /** 503 Service Unavailable with {@code Retry-After: 30} to every REGISTER. */
    public static final String REGISTER_503_RETRY_AFTER = "register-503-retry-after.xml";
    /** 423 Interval Too Brief with {@code Min-Expires: 3600} to the first REGISTER, then 200 OK to every later one. */
    public static final String REGISTER_423 = "register-423.xml";
    /**
     * 401 with a digest challenge ({@link #AUTH_REALM}, MD5) to the first REGISTER; then 200 OK to every later one
     * whose Authorization is right for the keys {@code user} and {@code password} (by default
     * {@link #DEFAULT_USER} / {@link #DEFAULT_PASSWORD}), 403 to one with a wrong or missing Authorization.
     */
    public static final String REGISTER_401 = "register-401.xml";
    /**
     * A notifier that is also the subscriber's first hop and answers the initial SUBSCRIBE with
     * {@code Record-Route: [record_route]} (key), so that the dialog has that route set; it sends its first
     * NOTIFY only after the first refresh, which must follow that route set; then as
     * {@code subscribe-notify.xml}. Answers a flow's first OPTIONS.
     */
    public static final String SUBSCRIBE_RECORD_ROUTE = "subscribe-record-route.xml";
    /**
     * As {@link #SUBSCRIBE_RECORD_ROUTE}, but the NOTIFY, carrying {@code Record-Route: [record_route]}, comes
     * before the 200 OK to the initial SUBSCRIBE, which has none: the NOTIFY makes the dialog.
     */
    public static final String SUBSCRIBE_RECORD_ROUTE_NOTIFY_FIRST = "subscribe-record-route-notify-first.xml";
    /**
     * A notifier that grants the Expires asked for but says {@code Subscription-State: active;expires=[notify_expires]}
     * (key, seconds) in every NOTIFY. Answers a flow's first OPTIONS.
     */
    public static final String SUBSCRIBE_NOTIFY_EXPIRES = "subscribe-notify-expires.xml";
    /**
     * A notifier that challenges every SUBSCRIBE, initial or refresh, with 401 (realm {@link #AUTH_REALM}),
     * then answers the retry 200 OK and a NOTIFY if its Authorization is right for {@code user} and
     * {@code password}, 403 if not. Answers a flow's first OPTIONS.
     */
    public static final String SUBSCRIBE_401 = "subscribe-401.xml";
    /**
     * As {@link #SUBSCRIBE_401} with 407 and Proxy-Authenticate, but it accepts any retry: sipp cannot check
     * a Proxy-Authorization, so a test checks the digest in {@link #messages()}.
     */
    public static final String SUBSCRIBE_407 = "subscribe-407.xml";
    /**
     * A notifier that answers each SUBSCRIBE 200 OK and a NOTIFY (active), then ends the subscription with a
     * NOTIFY {@code Subscription-State: terminated;[state_params]} (key, e.g. {@code reason=probation;retry-after=3}).
     * Answers a flow's first OPTIONS.
     */
    public static final String SUBSCRIBE_TERMINATED = "subscribe-terminated.xml";
    /** The realm of {@link #REGISTER_401}'s challenge. */
    public static final String AUTH_REALM = "sipp.test";
    /** The user {@link #REGISTER_401} accepts unless the {@code user} key says otherwise. */
    public static final String DEFAULT_USER = "alice";
    /** The password {@link #REGISTER_401} accepts unless the {@code password} key says otherwise. */
    public static final String DEFAULT_PASSWORD = "secret";

    private static final Logger LOG = LoggerFactory.getLogger(Sipp.class);
    private static final Map<String, String> DEFAULT_KEYS = Map.of("user", DEFAULT_USER, "password", DEFAULT_PASSWORD);
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    // sipp's -trace_msg blocks: a line of dashes and a time stamp, then "UDP message received [407] bytes :"
    // or "TCP message sent (249 bytes):", a blank line and the message
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^-{20,} .*$");
    private static final Pattern DIRECTION = Pattern.compile("^\\s*(UDP|TCP|TLS|SCTP) message (received|sent)\\b.*");

    private final Path scenario;
    private final String address;
    private final int port;
    private final String transport;
    private final Path workDir;
    private final ManagedProcess process;

    private Sipp(Path scenario, String address, int port, String transport, Path workDir, ManagedProcess process) {
        this.scenario = scenario;
        this.address = address;
        this.port = port;
        this.transport = transport;
        this.workDir = workDir;
        this.process = process;
    }

    /**
     * Copies the ready-made scenario {@code name} (one of {@link #REGISTER_439}, {@link #REGISTER_430},
     * {@link #REGISTER_503_RETRY_AFTER}, {@link #REGISTER_423}, {@link #REGISTER_401}, the {@code SUBSCRIBE_*}
     * notifiers, or another file next to them) into {@code dir} and returns its path there.
     */
    public static Path scenario(String name, Path dir) throws IOException {
        Objects.requireNonNull(name, "name");
        try (InputStream in = Sipp.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no such ready-made scenario: " + name);
            }
            Files.createDirectories(dir);
            Path target = dir.toAbsolutePath().resolve(name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }

    /**
     * {@link #uas(Path, String, int, String, Path, Map)} with the default keys ({@code user} =
     * {@link #DEFAULT_USER}, {@code password} = {@link #DEFAULT_PASSWORD}).
     */
    public static Sipp uas(Path scenarioXml, String address, int port, String transport, Path workDir)
            throws IOException {
        return uas(scenarioXml, address, port, transport, workDir, Map.of());
    }

    /**
     * Starts sipp as a server running {@code scenarioXml} on {@code address:port} and returns once it listens.
     * It runs until {@link #close()}, serving any number of calls.
     *
     * @param address a loopback address such as {@code "127.0.0.1"}
     * @param port the port; 0 = a free one (see {@link #port()})
     * @param transport {@code "u1"} (UDP) or {@code "t1"} (TCP)
     * @param keys scenario keywords, {@code -key name value}, used as {@code [name]} in the scenario; they
     *        override the defaults {@code user} and {@code password}
     * @throws IllegalStateException if sipp is not installed, exits or does not listen within
     *         {@link #READY_DEADLINE}; the message holds its output
     */
    public static Sipp uas(
            Path scenarioXml, String address, int port, String transport, Path workDir, Map<String, String> keys)
            throws IOException {
        Objects.requireNonNull(scenarioXml, "scenarioXml");
        if (!transport.equals("u1") && !transport.equals("t1")) {
            throw new IllegalArgumentException("transport must be u1 or t1: " + transport);
        }
        InetAddress inet = InetAddress.getByName(Objects.requireNonNull(address, "address"));
        if (!inet.isLoopbackAddress() || inet.getAddress().length != 4) {
            throw new IllegalArgumentException("not an IPv4 loopback address: " + address);
        }
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("sipp not installed: apt-get install sip-tester");
        }
        if (!Files.isReadable(scenarioXml)) {
            throw new IllegalArgumentException("no scenario file " + scenarioXml);
        }
        Map<String, String> allKeys = new LinkedHashMap<>(DEFAULT_KEYS);
        allKeys.putAll(keys);
        Path dir = workDir.toAbsolutePath();
        Files.createDirectories(dir);
        int p = port == 0 ? FreePorts.udpAndTcp(inet) : port;

        List<String> cmd = new ArrayList<>(List.of(
                BINARY.toString(),
                "-sf",
                scenarioXml.toAbsolutePath().toString(),
                "-i",
                address,
                "-p",
                Integer.toString(p),
                "-t",
                transport,
                // the remote-control socket: on the same loopback address (sipp's default is all interfaces);
                // its port sipp picks from 8888 upwards
                "-ci",
                address,
                "-nostdin",
                "-trace_msg",
                "-message_file",
                dir.resolve(fileName(p, "-messages.log")).toString(),
                "-trace_err",
                "-error_file",
                dir.resolve(fileName(p, "-errors.log")).toString()));
        for (Map.Entry<String, String> k : allKeys.entrySet()) {
            if (!KEY.matcher(k.getKey()).matches()) {
                throw new IllegalArgumentException("not a sipp keyword name: " + k.getKey());
            }
            cmd.addAll(List.of("-key", k.getKey(), Objects.requireNonNull(k.getValue(), k.getKey())));
        }
        Path out = dir.resolve(fileName(p, ".out"));
        Files.deleteIfExists(out);
        Files.deleteIfExists(dir.resolve(fileName(p, "-messages.log")));
        ManagedProcess mp = ManagedProcess.start(cmd, dir, out);
        boolean tcp = transport.startsWith("t");
        try {
            Poll.until(
                    READY_DEADLINE,
                    Duration.ofMillis(20),
                    () -> !mp.isAlive() || listens(mp.pid(), inet, p, tcp),
                    () -> "sipp to listen on " + address + ":" + p + " (" + transport + ")");
        } catch (AssertionError e) {
            mp.stop();
            throw new IllegalStateException(e.getMessage() + "; its output:\n" + mp.logTail(20), e);
        }
        if (!mp.isAlive()) {
            mp.stop();
            throw new IllegalStateException("sipp exited at start on " + address + ":" + p + ": " + mp.logTail(20));
        }
        LOG.debug("sipp pid {} runs {} on {}:{} ({})", mp.pid(), scenarioXml.getFileName(), address, p, transport);
        return new Sipp(scenarioXml, address, p, transport, dir, mp);
    }

    /** The loopback address it listens on. */
    public String address() {
        return address;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** {@code "u1"} or {@code "t1"}. */
    public String transport() {
        return transport;
    }

    /** The scenario file it runs. */
    public Path scenarioFile() {
        return scenario;
    }

    /** The PID of the sipp process. */
    public long pid() {
        return process.pid();
    }

    /** Whether sipp runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The SIP messages sipp received so far, in order (retransmissions included). */
    public List<SipMessage> messages() {
        return trace(true);
    }

    /** The SIP messages sipp sent so far, in order. */
    public List<SipMessage> sent() {
        return trace(false);
    }

    /**
     * Waits until sipp has received at least {@code count} messages, at most {@code deadline}, and returns
     * them all.
     *
     * @throws AssertionError if fewer arrived in time
     */
    public List<SipMessage> awaitMessages(int count, Duration deadline) {
        Poll.until(
                deadline,
                Duration.ofMillis(20),
                () -> messages().size() >= count,
                () -> count + " messages at sipp on " + address + ":" + port + ", got "
                        + messages().size());
        return messages();
    }

    /**
     * Waits until sipp has logged at least {@code count} sent messages, at most {@code deadline}, and returns them
     * all: sipp writes its trace after it sends, so a peer can hold an answer sipp has not logged yet.
     *
     * @throws AssertionError if fewer were logged in time
     */
    public List<SipMessage> awaitSent(int count, Duration deadline) {
        Poll.until(
                deadline,
                Duration.ofMillis(20),
                () -> sent().size() >= count,
                () -> count + " messages sent by sipp on " + address + ":" + port + ", got " + sent().size());
        return sent();
    }

    /** What sipp logged as unexpected messages and errors so far; empty if nothing. */
    public String errors() {
        Path f = workDir.resolve(fileName(port, "-errors.log"));
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of sipp's standard output and error; never throws. */
    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /** Freezes sipp with SIGSTOP: requests reach it and get no answer. */
    public void pause() {
        process.signal("STOP");
    }

    /** Lets a paused sipp go on with SIGCONT. */
    public void resume() {
        process.signal("CONT");
    }

    /** Stops sipp if it runs. */
    @Override
    public void close() {
        process.stop();
    }

    @Override
    public String toString() {
        return "Sipp[" + scenario.getFileName() + " on " + address + ":" + port + " " + transport + ", pid="
                + process.pid() + ", alive=" + process.isAlive() + "]";
    }

    private List<SipMessage> trace(boolean received) {
        Path f = workDir.resolve(fileName(port, "-messages.log"));
        String text;
        try {
            if (!Files.exists(f)) {
                return List.of();
            }
            // byte for byte, whatever the messages' charset
            text = Files.readString(f, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<SipMessage> out = new ArrayList<>();
        for (String block : SEPARATOR.split(text)) {
            String b = block.stripLeading();
            int nl = b.indexOf('\n');
            if (nl < 0) {
                continue;
            }
            Matcher m = DIRECTION.matcher(b.substring(0, nl));
            if (!m.matches() || m.group(2).equals("received") != received) {
                continue;
            }
            String message = b.substring(nl + 1).strip();
            // sipp writes a block as soon as it has the message, but a read can race with the write
            if (!message.isEmpty() && message.contains("\n")) {
                out.add(SipMessage.parse(message + "\r\n\r\n"));
            }
        }
        return List.copyOf(out);
    }

    private static String fileName(int port, String suffix) {
        return "sipp-" + port + suffix;
    }

    /**
     * Whether process {@code pid} has a socket bound to {@code address:port}: a UDP socket, or a listening TCP
     * socket, according to the kernel's tables. Looking, rather than trying to bind the port, never takes it
     * from sipp; checking the owner keeps another process on that port from passing for sipp.
     */
    static boolean listens(long pid, InetAddress address, int port, boolean tcp) {
        List<String> inodes = socketInodes(address, port, tcp);
        if (inodes.isEmpty()) {
            return false;
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return inodes.stream().anyMatch(i -> target.equals("socket:[" + i + "]"));
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            });
        } catch (IOException e) {
            return false; // the process has ended
        }
    }

    /** The inodes of the sockets bound to {@code address:port} (UDP, or TCP in LISTEN state). */
    static List<String> socketInodes(InetAddress address, int port, boolean tcp) {
        byte[] a = address.getAddress();
        // /proc/net shows an IPv4 address as the hex of its 32 bits in host (little-endian) order
        String local = String.format(
                Locale.ROOT, "%02X%02X%02X%02X:%04X", a[3] & 0xFF, a[2] & 0xFF, a[1] & 0xFF, a[0] & 0xFF, port);
        Path table = Path.of(tcp ? "/proc/net/tcp" : "/proc/net/udp");
        List<String> inodes = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(table, StandardCharsets.US_ASCII)) {
                String[] f = line.strip().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...;
                // TCP state 0A is LISTEN, UDP 07 an unconnected socket
                if (f.length > 9 && f[1].equals(local) && f[3].equals(tcp ? "0A" : "07")) {
                    inodes.add(f[9]);
                }
            }
            return inodes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
