// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipfailover.testkit.process.ManagedProcess;

/**
 * sip-failover's launcher in a JVM of its own, running the lines of generated vendor files
 * ({@code java -jar sip-failover-launcher.jar --no-shell --config <file> ...}). Its stdout (one line per line
 * event) is followed to time each line's placement changes.
 *
 * <p>File formats:
 * <ul>
 * <li>{@code audiocodes}: AudioCodes 400HD files of up to 100 lines each ({@code voip/line/0..99}), the
 * adapter's limit; policy {@code redundant-asymmetric} ({@code symmetric_mode=0}) or
 * {@code redundant-symmetric} (1). The adapter takes the keep-alive from {@code registrar_ka/timeout}, at least
 * 40 s, and has no key for the failback hold-off (the API default, 30 s, applies).
 * <li>{@code lines}: one {@code org.sipfailover.line-NAME.cfg} per line, every key of the line configuration
 * available: any policy and every timer. The vendor formats cannot express {@code dual-flow}, nor the short
 * timers of the {@code aastra} runs below.
 * </ul>
 */
final class LauncherClient implements Client {

    private static final Pattern EVENT = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3})  (\\S+)  TRANSITION");
    static final int AUDIOCODES_LINES_PER_FILE = 100;
    private static final int USER_BASE = 200000;

    private final Settings s;
    private final List<String> users = new ArrayList<>();
    private final Map<String, Integer> lineIds = new HashMap<>();
    private final List<List<Long>> transitions = new ArrayList<>();
    private ManagedProcess process;
    private Thread tailer;
    private volatile boolean tailing;

    /**
     * @param format {@code audiocodes} or {@code lines}
     * @param keepAlive seconds between keep-alives on the line's flow
     * @param probe seconds between OPTIONS probes of the server not in use
     * @param holdOff seconds the primary must stay up before failback
     * @param transactionTimeoutMillis each line's transaction time-out (AudioCodes
     *     {@code outgoing_request_no_response_timeout_ms}, line file {@code transactionTimeout}); 0: none, the
     *     flow manager's 8 s applies
     * @param dns configure the servers by domain name (SRV through the harness's dnsmasq) instead of address
     */
    record Settings(
            String policy,
            String transport,
            int lines,
            String format,
            int keepAlive,
            int probe,
            int holdOff,
            int transactionTimeoutMillis,
            boolean dns,
            Path launcherJar,
            List<String> jvmOptions) {

        /** For the tables: the lines' own transaction time-out, or the flow manager's. */
        static String describe(int transactionTimeoutMillis) {
            return transactionTimeoutMillis == 0
                    ? "8 s (the flow manager's)"
                    : String.format(Locale.ROOT, "%.1f s (the lines')", transactionTimeoutMillis / 1000.0);
        }
    }

    LauncherClient(Settings s) {
        this.s = s;
        for (int i = 0; i < s.lines(); i++) {
            users.add(Integer.toString(USER_BASE + i));
            transitions.add(new ArrayList<>());
        }
    }

    @Override
    public String name() {
        return "sip-failover";
    }

    @Override
    public String setup() {
        return s.policy() + ", " + (s.format().equals("audiocodes") ? "AudioCodes files" : "line .cfg files")
                + (s.dns() ? ", SRV names" : "");
    }

    @Override
    public List<String> users() {
        return users;
    }

    @Override
    public boolean reportsTransitions() {
        return true;
    }

    @Override
    public List<Long> transitions(int index, long sinceMillis) {
        List<Long> all = transitions.get(index);
        synchronized (all) {
            return all.stream().filter(t -> t >= sinceMillis).toList();
        }
    }

    @Override
    public void start(Registrars servers, Path work) throws IOException {
        Path files = work.resolve("config");
        Files.createDirectories(files);
        List<Path> configs = s.format().equals("audiocodes") ? audiocodes(servers, files) : lineFiles(servers, files);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(s.jvmOptions());
        cmd.add("-jar");
        cmd.add(s.launcherJar().toAbsolutePath().toString());
        cmd.add("--no-shell");
        cmd.add("--data");
        cmd.add(work.resolve("felix").toString());
        if (s.dns()) {
            cmd.add("--dns");
            cmd.add(servers.dns.address());
        }
        for (Path c : configs) {
            cmd.add("--config");
            cmd.add(c.toString());
        }
        Path log = work.resolve("launcher.out");
        process = ManagedProcess.start(cmd, work, log);
        tailing = true;
        tailer = new Thread(() -> tail(log), "launcher-stdout");
        tailer.setDaemon(true);
        tailer.start();
    }

    private String server(Registrars servers, boolean primary) {
        if (s.dns()) {
            return primary ? Registrars.PRIMARY_DOMAIN : Registrars.BACKUP_DOMAIN;
        }
        return primary ? "127.0.0.1:" + servers.primary.k.port() : "127.0.0.2:" + servers.backup.k.port();
    }

    private List<Path> audiocodes(Registrars servers, Path dir) throws IOException {
        if (!s.policy().startsWith("redundant-")) {
            throw new IllegalArgumentException("AudioCodes files give redundant-asymmetric or redundant-symmetric, not "
                    + s.policy() + " (use --format lines)");
        }
        List<Path> out = new ArrayList<>();
        for (int first = 0, file = 0; first < s.lines(); first += AUDIOCODES_LINES_PER_FILE, file++) {
            String stem = String.format(Locale.ROOT, "fleet%04d", file);
            StringBuilder b = new StringBuilder();
            b.append("# generated by the fleet benchmark: an AudioCodes 440HD-style file\nsystem/type=440HD\n");
            for (int i = 0; i < AUDIOCODES_LINES_PER_FILE && first + i < s.lines(); i++) {
                String user = users.get(first + i);
                b.append("voip/line/").append(i).append("/enabled=1\n");
                b.append("voip/line/").append(i).append("/id=").append(user).append('\n');
                lineIds.put("audiocodes-" + stem + "-line" + i, first + i);
            }
            String sip = "voip/signalling/sip/";
            b.append(sip).append("use_proxy=1\n");
            b.append(sip)
                    .append("proxy_address=")
                    .append(s.dns() ? Registrars.PRIMARY_DOMAIN : "127.0.0.1")
                    .append('\n');
            // 65535: not set, SRV for a host name
            b.append(sip)
                    .append("proxy_port=")
                    .append(s.dns() ? 65535 : servers.primary.k.port())
                    .append('\n');
            b.append(sip).append("use_proxy_ip_port_for_registrar=1\n");
            b.append(sip).append("redundant_proxy/enabled=1\n");
            b.append(sip)
                    .append("redundant_proxy/address=")
                    .append(s.dns() ? Registrars.BACKUP_DOMAIN : "127.0.0.2")
                    .append('\n');
            b.append(sip)
                    .append("redundant_proxy/port=")
                    .append(s.dns() ? 65535 : servers.backup.k.port())
                    .append('\n');
            b.append(sip)
                    .append("redundant_proxy/keep_alive_period=")
                    .append(s.probe())
                    .append('\n');
            b.append(sip)
                    .append("redundant_proxy/symmetric_mode=")
                    .append(s.policy().equals("redundant-symmetric") ? 1 : 0)
                    .append('\n');
            b.append(sip)
                    .append("transport_protocol=")
                    .append(s.transport().toUpperCase(Locale.ROOT))
                    .append('\n');
            b.append(sip).append("proxy_timeout=3600\n");
            b.append(sip).append("registration_failed_timeout=1\n");
            b.append(sip).append("registrar_ka/enabled=1\n");
            b.append(sip)
                    .append("registrar_ka/timeout=")
                    .append(Math.max(40, s.keepAlive()))
                    .append('\n');
            if (s.transactionTimeoutMillis() > 0) {
                b.append(sip)
                        .append("outgoing_request_no_response_timeout_ms=")
                        .append(s.transactionTimeoutMillis())
                        .append('\n');
            }
            Path f = dir.resolve(stem + ".cfg");
            Files.writeString(f, b, StandardCharsets.UTF_8);
            out.add(f);
        }
        return out;
    }

    private List<Path> lineFiles(Registrars servers, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        boolean outbound = !s.policy().startsWith("redundant");
        for (int i = 0; i < s.lines(); i++) {
            String name = String.format(Locale.ROOT, "fleet%05d", i);
            lineIds.put(name, i);
            String p = server(servers, true);
            String b = server(servers, false);
            String text = String.join(
                    "\n",
                    "# generated by the fleet benchmark",
                    "user = " + users.get(i),
                    "proxy = " + p,
                    "proxy.backup = " + b,
                    "registrar = " + p,
                    "registrar.backup = " + b,
                    "transport = " + s.transport(),
                    "sipOutbound = " + outbound,
                    "policy = " + s.policy(),
                    "keepAlive = " + s.keepAlive(),
                    "pongTimeout = 1",
                    "probeInterval = " + s.probe(),
                    "registrationPeriod = 600",
                    "registrationRetry = 1",
                    "registrationTimeoutRetry = 1",
                    "recoveryBaseAllFailed = 1",
                    "recoveryBaseSomeOk = 1",
                    "recoveryMax = 2",
                    "failbackMode = immediate",
                    "failbackHoldOff = " + s.holdOff(),
                    "failbackTimeout = 600",
                    "failbackWhenIdle = true",
                    s.transactionTimeoutMillis() > 0
                            ? "transactionTimeout = " + s.transactionTimeoutMillis() / 1000.0
                            : "# transactionTimeout: the flow manager's",
                    "");
            Path f = dir.resolve("org.sipfailover.line-" + name + ".cfg");
            Files.writeString(f, text, StandardCharsets.UTF_8);
            out.add(f);
        }
        return out;
    }

    private void tail(Path log) {
        long pos = 0;
        StringBuilder partial = new StringBuilder();
        byte[] buf = new byte[1 << 16];
        while (tailing) {
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                while (tailing) {
                    f.seek(pos);
                    int n = f.read(buf);
                    if (n <= 0) {
                        Thread.sleep(20);
                        continue;
                    }
                    pos += n;
                    partial.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        line(partial.substring(0, nl));
                        partial.delete(0, nl + 1);
                    }
                }
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void line(String text) {
        Matcher m = EVENT.matcher(text);
        if (!m.find()) {
            return;
        }
        Integer index = lineIds.get(m.group(2));
        if (index == null) {
            return;
        }
        long at = epochMillis(LocalTime.parse(m.group(1)));
        List<Long> all = transitions.get(index);
        synchronized (all) {
            all.add(at);
        }
    }

    /** The printed time of day as epoch milliseconds: the day that puts it nearest to now. */
    private static long epochMillis(LocalTime time) {
        ZoneId zone = ZoneId.systemDefault();
        long now = System.currentTimeMillis();
        long best = 0;
        for (int d = -1; d <= 1; d++) {
            long t = time.atDate(LocalDate.now(zone).plusDays(d))
                    .atZone(zone)
                    .toInstant()
                    .toEpochMilli();
            if (best == 0 || Math.abs(t - now) < Math.abs(best - now)) {
                best = t;
            }
        }
        return best;
    }

    @Override
    public long pid() {
        return process == null || !process.isAlive() ? -1 : process.pid();
    }

    /** The tail of its output, for a failed run. */
    String logTail(int lines) {
        return process == null ? "" : process.logTail(lines);
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            process.signal("TERM");
            // SIGTERM unregisters every line before the JVM ends
            process.waitFor(60);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.close();
            tailing = false;
            tailer.interrupt();
        }
    }
}
