// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.net.FreePorts;
import org.sipfailover.testkit.process.ManagedProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real DNS server, Debian's dnsmasq, started and stopped by a test, serving a {@link DnsZone} on
 * 127.0.0.1 (UDP and TCP) on a free port. It can be killed, paused, resumed and restarted with other
 * records on the same port, and its query log tells which queries reached it.
 *
 * <p>It answers like an authoritative server for everything: the zone's records with the zone's TTL
 * (dnsmasq's {@code local-ttl}), NODATA for another type of a known name, NXDOMAIN for an unknown name
 * ({@code local=/#/}; without it dnsmasq, having no upstream server, would answer REFUSED). Negative answers
 * carry no SOA.
 *
 * <p>Files in the work directory: {@value #CONF_FILE} (the configuration), {@value #QUERY_LOG} (dnsmasq's
 * log with one {@code query[TYPE] name from address} line per query), {@value #OUTPUT_LOG} (the process's
 * standard output and error, for start-up errors).
 */
public final class Dnsmasq implements AutoCloseable {

    /** Where Debian's dnsmasq-base package puts the binary. */
    public static final Path BINARY = Path.of("/usr/sbin/dnsmasq");
    /** The configuration file in the work directory. */
    public static final String CONF_FILE = "dnsmasq.conf";
    /** dnsmasq's own log in the work directory, with the queries. */
    public static final String QUERY_LOG = "dnsmasq-queries.log";
    /** The process's output in the work directory. */
    public static final String OUTPUT_LOG = "dnsmasq.out";
    /** How long {@link #start} and {@link #restart} wait for dnsmasq to answer. */
    public static final Duration READY_DEADLINE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(Dnsmasq.class);
    private static final String HOST = "127.0.0.1";
    // the readiness probe's name; its lines are left out of queryLog() so that they never count as traffic
    private static final String PROBE = "testkit-ready-probe.invalid";
    private static final Pattern QUERY_LINE = Pattern.compile("\\bquery\\[([A-Za-z0-9]+)\\] (\\S+) from ");

    private final Path workDir;
    private final int port;
    private volatile DnsZone zone;
    private volatile ManagedProcess process;

    private Dnsmasq(Path workDir, int port, DnsZone zone, ManagedProcess process) {
        this.workDir = workDir;
        this.port = port;
        this.zone = zone;
        this.process = process;
    }

    /**
     * Starts dnsmasq serving {@code zone} and returns once it answers a query over UDP.
     *
     * @param workDir where its configuration and logs go; created if missing
     * @throws IllegalStateException if dnsmasq is not installed or does not come up within
     *         {@link #READY_DEADLINE}
     */
    public static Dnsmasq start(DnsZone zone, Path workDir) throws IOException {
        Objects.requireNonNull(zone, "zone");
        requireInstalled();
        Path dir = workDir.toAbsolutePath();
        Files.createDirectories(dir);
        IllegalStateException last = null;
        // a free port can be taken by someone else before dnsmasq binds it; then another port will do
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = FreePorts.udpAndTcp(InetAddress.getByName(HOST));
            try {
                ManagedProcess p = launch(zone, dir, port);
                return new Dnsmasq(dir, port, zone, p);
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains("Address already in use")) {
                    throw e;
                }
                last = e;
                LOG.warn("dnsmasq did not start on port {}: {}", port, e.getMessage());
            }
        }
        throw last;
    }

    /**
     * Stops dnsmasq (whatever its state: running, paused or killed) and starts it again on the same port
     * serving {@code newZone}; returns once it answers. (SIGHUP would not do: dnsmasq re-reads hosts files on
     * it, not its configuration file.) The query log goes on.
     */
    public synchronized void restart(DnsZone newZone) throws IOException {
        Objects.requireNonNull(newZone, "newZone");
        process.stop();
        InetAddress host = InetAddress.getByName(HOST);
        // the old process's sockets may outlive it for a moment (a TCP child still closing)
        try {
            Poll.until(
                    READY_DEADLINE,
                    Duration.ofMillis(20),
                    () -> FreePorts.isFreeForUdpAndTcp(host, port),
                    () -> "port " + port + " to be free for dnsmasq's restart");
        } catch (AssertionError e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        process = launch(newZone, workDir, port);
        zone = newZone;
    }

    /** The port of UDP and TCP. */
    public int port() {
        return port;
    }

    /** {@code "127.0.0.1:<port>"}, as a resolver configuration names a server. */
    public String address() {
        return HOST + ":" + port;
    }

    /** 127.0.0.1 and {@link #port()}. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** The PID of the current dnsmasq process. */
    public long pid() {
        return process.pid();
    }

    /** Whether the dnsmasq process runs (paused counts as running). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The zone served now. */
    public DnsZone zone() {
        return zone;
    }

    /** The work directory with the configuration and the logs. */
    public Path workDir() {
        return workDir;
    }

    /**
     * Kills dnsmasq with SIGKILL, simulating a dead server process, and returns once it has ended. The host
     * stays up, so on 127.0.0.1 a UDP query then fails at once with ICMP port unreachable (dnsjava: a
     * {@link java.net.PortUnreachableException}) and TCP is refused; for queries that time out use
     * {@link #pause()}.
     */
    public synchronized void kill() {
        ManagedProcess p = process;
        p.signal("KILL");
        Poll.until(Duration.ofSeconds(5), () -> !p.isAlive(), () -> "dnsmasq pid " + p.pid() + " to die of SIGKILL");
    }

    /**
     * Freezes dnsmasq with SIGSTOP, simulating a hung server or a lost network: queries reach its socket and
     * get no answer, so clients time out.
     */
    public synchronized void pause() {
        process.signal("STOP");
    }

    /** Lets a paused dnsmasq go on with SIGCONT; it then answers the queries that arrived meanwhile. */
    public synchronized void resume() {
        process.signal("CONT");
    }

    /** Stops dnsmasq if it runs. */
    @Override
    public synchronized void close() {
        process.stop();
    }

    /**
     * The lines of dnsmasq's log so far, across restarts, without the lines of the readiness probe. A query
     * shows as {@code "... query[SRV] _sip._udp.example.test from 127.0.0.1"}.
     */
    public List<String> queryLog() {
        Path log = workDir.resolve(QUERY_LOG);
        if (!Files.exists(log)) {
            return List.of();
        }
        try {
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            return text.lines().filter(l -> !l.contains(PROBE)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of queries for {@code name} (any type; case-insensitive; trailing dot optional) so far. */
    public int queriesFor(String name) {
        return countQueries(name, null);
    }

    /** The number of queries for {@code name} and {@code type} (a {@link Type} constant) so far. */
    public int queriesFor(String name, int type) {
        return countQueries(name, Type.string(type));
    }

    @Override
    public String toString() {
        return "Dnsmasq[" + address() + ", pid=" + process.pid() + ", alive=" + process.isAlive() + "]";
    }

    private int countQueries(String name, String type) {
        String wanted = stripDot(name);
        int n = 0;
        for (String line : queryLog()) {
            Matcher m = QUERY_LINE.matcher(line);
            if (m.find()
                    && stripDot(m.group(2)).equalsIgnoreCase(wanted)
                    && (type == null || m.group(1).equalsIgnoreCase(type))) {
                n++;
            }
        }
        return n;
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static void requireInstalled() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(
                    "dnsmasq not installed: apt-get install dnsmasq-base (scripts/test.sh does it)");
        }
    }

    /** Writes the configuration, starts dnsmasq and waits until it answers. */
    private static ManagedProcess launch(DnsZone zone, Path dir, int port) throws IOException {
        Path conf = dir.resolve(CONF_FILE);
        Files.writeString(conf, config(zone, dir, port), StandardCharsets.UTF_8);
        Path output = dir.resolve(OUTPUT_LOG);
        // a fresh output file per process, so that an error message shows this start's output only
        Files.deleteIfExists(output);
        ManagedProcess p = ManagedProcess.start(
                List.of(BINARY.toString(), "--keep-in-foreground", "--conf-file=" + conf), dir, output);
        try {
            Poll.until(
                    READY_DEADLINE,
                    Duration.ofMillis(20),
                    () -> !p.isAlive() || answers(port),
                    () -> "dnsmasq on port " + port + " to answer");
        } catch (AssertionError e) {
            p.stop();
            throw new IllegalStateException(e.getMessage() + "; its output: " + output(p), e);
        }
        if (!p.isAlive()) {
            p.stop();
            throw new IllegalStateException("dnsmasq exited at start on port " + port + ": " + output(p));
        }
        LOG.debug("dnsmasq pid {} answers on {}:{}", p.pid(), HOST, port);
        return p;
    }

    private static String output(ManagedProcess p) {
        // dnsmasq surrounds its error messages with blank lines
        return p.logTail(20).lines().filter(l -> !l.isBlank()).collect(Collectors.joining("\n"));
    }

    private static boolean answers(int port) {
        try {
            SimpleResolver r = new SimpleResolver(InetAddress.getByName(HOST));
            r.setPort(port);
            r.setTimeout(Duration.ofMillis(200));
            Record q = Record.newRecord(Name.fromConstantString(PROBE + "."), Type.A, DClass.IN);
            r.send(Message.newQuery(q));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String config(DnsZone zone, Path dir, int port) {
        List<String> lines = new ArrayList<>(List.of(
                "# written by org.sipfailover.testkit.dns.Dnsmasq",
                "port=" + port,
                "listen-address=" + HOST,
                "bind-interfaces",
                // only the zone: no /etc/resolv.conf upstreams, no /etc/hosts
                "no-resolv",
                "no-hosts",
                // answer NXDOMAIN/NODATA for what the zone lacks instead of REFUSED ("no upstream servers")
                "local=/#/",
                // stay root, so that the log file in a root-owned work directory stays writable
                "user=root",
                "pid-file=",
                // governs the TTL of host-record, srv-host, naptr-record and cname answers (default 0)
                "local-ttl=" + zone.ttl(),
                "log-queries",
                "log-facility=" + dir.resolve(QUERY_LOG)));
        lines.addAll(zone.directives());
        return String.join("\n", lines) + "\n";
    }
}
