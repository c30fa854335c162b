// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.sip;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.net.FreePorts;
import org.sipfailover.testkit.process.ManagedProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real SIP registrar, Kamailio 5.6, started and stopped by a test: in memory, RFC 5626 ("outbound") capable,
 * on a loopback address, UDP and TCP on one port and optionally TLS. It answers OPTIONS itself, relays requests
 * for registered AORs to their contacts over the flow their REGISTER came in on, answers STUN binding requests
 * on its UDP port and CRLFCRLF pings on TCP with a CRLF pong. It can be killed, paused, resumed and restarted
 * on the same ports; {@link #bindings(String)} reads its location table.
 *
 * <p>Several instances run at once (a primary on 127.0.0.1, a backup on 127.0.0.2): each has its own work
 * directory, control socket and ports.
 *
 * <p>Files in the work directory: {@value #CONF_FILE} (the configuration, from the commented template
 * {@code org/sipfailover/testkit/sip/kamailio.cfg}), {@value #LOG_FILE} (Kamailio's log, across restarts), and
 * the control socket {@value #CTL_SOCKET} that {@code kamcmd} talks to.
 */
public final class Kamailio implements AutoCloseable {

    /** Where Debian's kamailio package puts the binary. */
    public static final Path BINARY = Path.of("/usr/sbin/kamailio");
    /** Where Debian's kamailio package puts its RPC client. */
    public static final Path KAMCMD = Path.of("/usr/sbin/kamcmd");
    /** The modules directory the template loads modules from. */
    public static final Path MODULES = Path.of("/usr/lib/x86_64-linux-gnu/kamailio/modules");
    /** The configuration file in the work directory. */
    public static final String CONF_FILE = "kamailio.cfg";
    /** Kamailio's standard error (its log) in the work directory. */
    public static final String LOG_FILE = "kamailio.log";
    /** The control socket in the work directory (unless the path would be too long for a unix socket). */
    public static final String CTL_SOCKET = "kamailio.ctl";
    /** The JSON-RPC FIFO ({@code jsonrpcs}), next to the control socket. */
    public static final String RPC_FIFO = "kamailio_rpc.fifo";
    /** How long {@link #start} and {@link #restart} wait for Kamailio to answer an OPTIONS. */
    public static final Duration READY_DEADLINE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(Kamailio.class);
    private static final String TEMPLATE = "kamailio.cfg";
    // sun_path holds 108 bytes with the terminating NUL
    private static final int MAX_UNIX_SOCKET_PATH = 107;
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(200);
    private static final long KAMCMD_TIMEOUT_SECONDS = 10;
    private static final int START_ATTEMPTS = 3;

    private final KamailioConfig config;
    private final Path workDir;
    private final Path ctlSocket;
    private final Path shortSocketDir;
    private volatile ManagedProcess process;

    private Kamailio(KamailioConfig config, Path workDir, Path ctlSocket, Path shortSocketDir, ManagedProcess process) {
        this.config = config;
        this.workDir = workDir;
        this.ctlSocket = ctlSocket;
        this.shortSocketDir = shortSocketDir;
        this.process = process;
    }

    /**
     * Writes the configuration for {@code cfg} into {@code workDir}, starts Kamailio in the foreground and
     * returns once it answers an OPTIONS over UDP. Ports given as 0 are picked free (and picked again if another
     * process takes one first).
     *
     * @param workDir where its configuration, log and control socket go; created if missing
     * @throws IllegalStateException if Kamailio is not installed or does not answer within
     *         {@link #READY_DEADLINE}; the message holds the tail of its log
     */
    public static Kamailio start(KamailioConfig cfg, Path workDir) throws IOException {
        Objects.requireNonNull(cfg, "cfg");
        requireInstalled(cfg);
        Path dir = workDir.toAbsolutePath();
        Files.createDirectories(dir);
        Path socket = dir.resolve(CTL_SOCKET);
        Path shortDir = null;
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_UNIX_SOCKET_PATH) {
            shortDir = Files.createTempDirectory("kam");
            socket = shortDir.resolve(CTL_SOCKET);
        }
        InetAddress address = InetAddress.getByName(cfg.address());
        IllegalStateException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            KamailioConfig resolved = withPorts(cfg, address);
            try {
                ManagedProcess p = launch(resolved, dir, socket);
                return new Kamailio(resolved, dir, socket, shortDir, p);
            } catch (IllegalStateException e) {
                boolean freePortTaken =
                        e.getMessage().contains("Address already in use") && (cfg.port() == 0 || cfg.tlsPort() == 0);
                if (!freePortTaken) {
                    deleteQuietly(shortDir);
                    throw e;
                }
                last = e;
                LOG.warn("kamailio did not start on {}: {}", resolved, e.getMessage());
            }
        }
        deleteQuietly(shortDir);
        throw last;
    }

    /** The configuration, with the ports in use. */
    public KamailioConfig config() {
        return config;
    }

    /** The loopback address it listens on. */
    public String address() {
        return config.address();
    }

    /** The port of UDP and TCP. */
    public int port() {
        return config.port();
    }

    /** The address and port of UDP and TCP. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(inet(config.address()), config.port());
    }

    /**
     * The TLS port.
     *
     * @throws IllegalStateException if it was started without TLS
     */
    public int tlsPort() {
        if (!config.tls()) {
            throw new IllegalStateException("kamailio on " + address() + ":" + port() + " has no TLS listener");
        }
        return config.tlsPort();
    }

    /** The domain it is registrar for. */
    public String domain() {
        return config.domain();
    }

    /** {@code sip:<address>:<port>;transport=<transport>}, the URI to send requests to over a transport. */
    public String uri(String transport) {
        String t = transport.toLowerCase(Locale.ROOT);
        int p = t.equals("tls") ? tlsPort() : port();
        return "sip:" + address() + ":" + p + ";transport=" + t;
    }

    /** The PID of the current Kamailio main process. */
    public long pid() {
        return process.pid();
    }

    /** Whether the Kamailio process runs (paused counts as running). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The work directory with the configuration and the log. */
    public Path workDir() {
        return workDir;
    }

    /** The control socket for {@code kamcmd -s unix:<path>}. */
    public Path ctlSocket() {
        return ctlSocket;
    }

    /**
     * Kills Kamailio and its children with SIGKILL, simulating a crashed server, and returns once it has ended.
     * The host stays up: UDP requests then get ICMP port unreachable (a connected DatagramSocket sees
     * {@link java.net.PortUnreachableException}), TCP connections are reset and new ones refused. The location
     * table is gone with it.
     */
    public synchronized void kill() {
        ManagedProcess p = process;
        p.signal("KILL");
        Poll.until(Duration.ofSeconds(5), () -> !p.isAlive(), () -> "kamailio pid " + p.pid() + " to die of SIGKILL");
    }

    /**
     * Freezes Kamailio with SIGSTOP, simulating a hung server or a lost network: requests reach its sockets (TCP
     * connections are even accepted by the kernel) and get no answer.
     */
    public synchronized void pause() {
        process.signal("STOP");
    }

    /** Lets a paused Kamailio go on with SIGCONT; it then handles what arrived meanwhile. */
    public synchronized void resume() {
        process.signal("CONT");
    }

    /**
     * Stops Kamailio (whatever its state: running, paused or killed) and starts it again with the same
     * configuration, address and ports; returns once it answers an OPTIONS. Its location table starts empty,
     * as after a real restart of an in-memory registrar. The log goes on.
     */
    public synchronized void restart() throws IOException {
        process.stop();
        InetAddress address = inet(config.address());
        try {
            Poll.until(
                    READY_DEADLINE,
                    Duration.ofMillis(20),
                    () -> portsFree(address),
                    () -> "the ports of " + config + " to be free for kamailio's restart");
        } catch (AssertionError e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        process = launch(config, workDir, ctlSocket);
    }

    /** Stops Kamailio if it runs. */
    @Override
    public synchronized void close() {
        try {
            process.stop();
        } finally {
            deleteQuietly(shortSocketDir);
        }
    }

    /** The last {@code lines} lines of Kamailio's log; never throws. */
    public String logTail(int lines) {
        return process.logTail(lines);
    }

    /**
     * Whether Kamailio answers an OPTIONS sent over UDP from a plain {@link DatagramSocket} with 200 within
     * {@code timeout}.
     */
    public boolean answersOptions(Duration timeout) {
        return answersOptions(config, timeout);
    }

    /**
     * The registrar's own bindings of {@code aor} ({@code "alice@example.test"}, {@code "sip:alice@example.test"}
     * or {@code "alice"} for {@code alice@}{@link #domain()}), from its location table via
     * {@code kamcmd ul.lookup location <aor>}; empty if it has none.
     *
     * @throws IllegalStateException if kamcmd fails otherwise (for instance when Kamailio is not running)
     */
    public List<Binding> bindings(String aor) {
        String key = aorKey(aor);
        KamcmdResult r = kamcmd("ul.lookup", "location", key);
        if (r.exitCode == 0 && !r.output.startsWith("error:")) {
            return Binding.parseKamcmd(r.output);
        }
        if (r.output.contains("AOR not found")) {
            return List.of();
        }
        throw new IllegalStateException(
                "kamcmd ul.lookup location " + key + " failed (" + r.exitCode + "): " + r.output);
    }

    /**
     * Runs {@code kamcmd -s unix:<ctl socket> <args>} against this instance (for instance {@code "ul.dump"},
     * {@code "core.uptime"}) and returns its output.
     *
     * @throws IllegalStateException if kamcmd exits with an error
     */
    public String rpc(String... args) {
        KamcmdResult r = kamcmd(args);
        if (r.exitCode != 0 || r.output.startsWith("error:")) {
            throw new IllegalStateException(
                    "kamcmd " + String.join(" ", args) + " failed (" + r.exitCode + "): " + r.output);
        }
        return r.output;
    }

    /**
     * The AORs ({@code user@domain}) that hold at least one contact in the location table, read over JSON-RPC
     * ({@code ul.dump brief} through the {@code jsonrpcs} FIFO): unlike {@code kamcmd}'s, its reply has room for
     * tens of thousands of AORs.
     *
     * @throws IllegalStateException if Kamailio does not answer (for instance when it is not running)
     */
    public java.util.Set<String> aors() {
        String reply = jsonRpc("ul.dump", "brief");
        java.util.Set<String> out = new java.util.HashSet<>();
        java.util.regex.Matcher m = AOR_FIELD.matcher(reply);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static final java.util.regex.Pattern AOR_FIELD =
            java.util.regex.Pattern.compile("\"AoR\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * Sends one JSON-RPC request to the {@code jsonrpcs} FIFO and returns the reply (JSON). The request's string
     * parameters must need no JSON escaping.
     *
     * @throws IllegalStateException if there is no reply within the kamcmd time-out, or the reply is an error
     */
    public String jsonRpc(String method, String... params) {
        Path dir = ctlSocket.getParent();
        String replyName = "rpc-reply-" + java.util.UUID.randomUUID();
        Path reply = dir.resolve(replyName);
        StringBuilder request = new StringBuilder("{\"jsonrpc\":\"2.0\",\"method\":\"")
                .append(method)
                .append("\",\"params\":[");
        for (int i = 0; i < params.length; i++) {
            request.append(i == 0 ? "" : ",").append('"').append(params[i]).append('"');
        }
        request.append("],\"reply_name\":\"").append(replyName).append("\",\"id\":1}\n");
        // FIFOs block their opener until the other end is there: a shell under `timeout` does the blocking, so
        // that a dead Kamailio costs a bounded wait, never a stuck thread
        List<String> cmd = List.of(
                "timeout",
                Long.toString(KAMCMD_TIMEOUT_SECONDS),
                "sh",
                "-c",
                "mkfifo -m 0600 \"$2\" && cat > \"$1\" && cat \"$2\"; rc=$?; rm -f \"$2\"; exit $rc",
                "sh",
                dir.resolve(RPC_FIFO).toString(),
                reply.toString());
        try {
            KamcmdResult r = run(cmd, request.toString());
            if (r.exitCode() != 0 || !r.output().contains("\"result\"")) {
                throw new IllegalStateException("JSON-RPC " + method + " to " + this + " failed: "
                        + r.output().substring(0, Math.min(r.output().length(), 300)));
            }
            return r.output();
        } finally {
            try {
                Files.deleteIfExists(reply);
            } catch (IOException e) {
                // the shell removes it; a leftover goes with the work folder
            }
        }
    }

    @Override
    public String toString() {
        return "Kamailio[" + config + ", pid=" + process.pid() + ", alive=" + process.isAlive() + "]";
    }

    private String aorKey(String aor) {
        String a = Objects.requireNonNull(aor, "aor").strip();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.regionMatches(true, 0, "sips:", 0, 5)) {
            a = a.substring(5);
        } else if (a.regionMatches(true, 0, "sip:", 0, 4)) {
            a = a.substring(4);
        }
        int params = a.indexOf(';');
        if (params >= 0) {
            a = a.substring(0, params);
        }
        return a.contains("@") ? a : a + "@" + config.domain();
    }

    private record KamcmdResult(int exitCode, String output) {}

    private KamcmdResult kamcmd(String... args) {
        List<String> cmd = new ArrayList<>(List.of(KAMCMD.toString(), "-s", "unix:" + ctlSocket));
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }

    /**
     * Runs a command that ends by itself within the kamcmd time-out (kamcmd, or a shell under {@code timeout}),
     * with {@code input} on its standard input (none: {@code /dev/null}); its output and error, stripped.
     */
    private static KamcmdResult run(List<String> cmd, String input) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (input == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = pb.start();
            try {
                if (input != null) {
                    try (java.io.OutputStream in = p.getOutputStream()) {
                        in.write(input.getBytes(StandardCharsets.UTF_8));
                    }
                }
                String out;
                try (InputStream in = p.getInputStream()) {
                    // it ends after one answer; reading to the end cannot hang longer than the command itself
                    out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                }
                if (!p.waitFor(KAMCMD_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("did not return: " + cmd);
                }
                return new KamcmdResult(p.exitValue(), out);
            } finally {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        }
    }

    private static void requireInstalled(KamailioConfig cfg) {
        if (!Files.isExecutable(BINARY) || !Files.isExecutable(KAMCMD)) {
            throw new IllegalStateException("kamailio not installed: apt-get install kamailio kamailio-outbound-modules"
                    + " kamailio-tls-modules");
        }
        if (!Files.exists(MODULES.resolve("outbound.so"))) {
            throw new IllegalStateException(
                    "kamailio's outbound module missing: apt-get install kamailio-outbound-modules");
        }
        if (cfg.tls() && !Files.exists(MODULES.resolve("tls.so"))) {
            throw new IllegalStateException("kamailio's tls module missing: apt-get install kamailio-tls-modules");
        }
    }

    private static KamailioConfig withPorts(KamailioConfig cfg, InetAddress address) {
        KamailioConfig.Builder b = cfg.toBuilder();
        int port = cfg.port() == 0 ? FreePorts.udpAndTcp(address) : cfg.port();
        b.port(port);
        if (cfg.tls()) {
            int tls = cfg.tlsPort();
            while (tls == 0 || tls == port) {
                tls = FreePorts.udpAndTcp(address);
            }
            b.tls(tls, cfg.tlsCertificate().orElseThrow(), cfg.tlsPrivateKey().orElseThrow());
        }
        return b.build();
    }

    /** Writes the configuration, starts Kamailio and waits until it answers. */
    private static ManagedProcess launch(KamailioConfig cfg, Path dir, Path socket) throws IOException {
        Path conf = dir.resolve(CONF_FILE);
        Files.writeString(conf, render(cfg, socket), StandardCharsets.UTF_8);
        // a control socket left by a killed instance would make ctl's bind fail
        Files.deleteIfExists(socket);
        Path log = dir.resolve(LOG_FILE);
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        ManagedProcess p = ManagedProcess.start(
                List.of(
                        BINARY.toString(),
                        "-DD", // foreground, but with its worker processes
                        "-E", // log to standard error
                        "-M",
                        "64", // private memory per process, in MB: a JSON-RPC reply of a whole location table is built
                        // there
                        "-Y",
                        socket.getParent().toString(), // run-time directory: not /run/kamailio, shared by all
                        "-f",
                        conf.toString()),
                dir,
                log);
        try {
            Poll.until(
                    READY_DEADLINE,
                    Duration.ofMillis(20),
                    () -> !p.isAlive() || answersOptions(cfg, PROBE_TIMEOUT),
                    () -> "kamailio on " + cfg.address() + ":" + cfg.port() + " to answer OPTIONS");
        } catch (AssertionError e) {
            p.stop();
            throw new IllegalStateException(e.getMessage() + "; its log:\n" + logSince(log, logStart), e);
        }
        if (!p.isAlive()) {
            p.stop();
            throw new IllegalStateException(
                    "kamailio exited at start (" + cfg + "); its log:\n" + logSince(log, logStart));
        }
        LOG.debug("kamailio pid {} answers on {}:{}", p.pid(), cfg.address(), cfg.port());
        return p;
    }

    private static String logSince(Path log, long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            String text = new String(
                    all,
                    (int) Math.min(offset, all.length),
                    (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    static String render(KamailioConfig cfg, Path socket) {
        String template;
        try (InputStream in = Kamailio.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + TEMPLATE);
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder defines = new StringBuilder();
        if (cfg.tls()) {
            defines.append("#!define WITH_TLS\n");
        }
        if (cfg.requiresAuth()) {
            defines.append("#!define WITH_AUTH\n");
        }
        // RFC 5626 §4.4.1: a little longer than the Flow-Timer, or an hour when the registrar sets none
        int tcpLifetime = cfg.flowTimer() > 0 ? cfg.flowTimer() + 10 : 3600;
        Map<String, String> values = Map.ofEntries(
                Map.entry("@DEFINES@", defines.toString().strip()),
                Map.entry("@DOMAIN@", cfg.domain()),
                Map.entry("@ADDRESS@", cfg.address()),
                Map.entry("@PORT@", Integer.toString(cfg.port())),
                Map.entry("@TLS_PORT@", Integer.toString(cfg.tlsPort())),
                Map.entry(
                        "@TLS_CERTIFICATE@",
                        cfg.tlsCertificate().map(Path::toString).orElse("")),
                Map.entry(
                        "@TLS_PRIVATE_KEY@",
                        cfg.tlsPrivateKey().map(Path::toString).orElse("")),
                Map.entry("@TCP_LIFETIME@", Integer.toString(tcpLifetime)),
                Map.entry("@CTL_SOCKET@", socket.toString()),
                Map.entry("@RPC_FIFO@", socket.resolveSibling(RPC_FIFO).toString()),
                Map.entry("@RPC_DIR@", socket.getParent().toString()),
                Map.entry("@OUTBOUND_MODE@", Integer.toString(cfg.outboundMode())),
                Map.entry("@FLOW_TIMER@", Integer.toString(cfg.flowTimer())),
                Map.entry("@MIN_EXPIRES@", Integer.toString(cfg.minExpires())),
                Map.entry("@AUTH_USER@", cfg.authUser().orElse("")),
                Map.entry("@AUTH_PASSWORD@", cfg.authPassword().orElse("")));
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    private boolean portsFree(InetAddress address) {
        return bindable(address, config.port(), true) && (!config.tls() || bindable(address, config.tlsPort(), false));
    }

    // Kamailio binds its TCP listeners with SO_REUSEADDR, so connections left in TIME_WAIT by the former
    // process do not keep it from starting; the check does the same
    private static boolean bindable(InetAddress address, int port, boolean udpToo) {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            return false;
        }
        if (!udpToo) {
            return true;
        }
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean answersOptions(KamailioConfig cfg, Duration timeout) {
        InetAddress address = inet(cfg.address());
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, 0))) {
            s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            String tag = UUID.randomUUID().toString().substring(0, 8);
            String target = cfg.address() + ":" + cfg.port();
            String local = cfg.address() + ":" + s.getLocalPort();
            String options = "OPTIONS sip:" + target + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + local + ";rport;branch=z9hG4bK-probe-" + tag + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:probe@" + local + ">;tag=" + tag + "\r\n"
                    + "To: <sip:" + target + ">\r\n"
                    + "Call-ID: probe-" + tag + "@testkit\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            byte[] out = options.getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(out, out.length, new InetSocketAddress(address, cfg.port())));
            byte[] buf = new byte[8192];
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                s.receive(in);
                SipMessage reply =
                        SipMessage.parse(new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8));
                if (reply.header("Call-ID").orElse("").equals("probe-" + tag + "@testkit")
                        && reply.statusCode() >= 200) {
                    return reply.statusCode() == 200;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException | IllegalArgumentException e) {
            // ICMP port unreachable (nobody listens yet) and the like
            return false;
        }
    }

    private static InetAddress inet(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", dir, e.toString());
        }
    }
}
