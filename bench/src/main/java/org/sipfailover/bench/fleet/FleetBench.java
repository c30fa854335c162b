// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Failover at scale, measured from outside: two Kamailio registrars (primary 127.0.0.1, backup 127.0.0.2) and a
 * dnsmasq, one client process (sip-failover's launcher with N lines from generated vendor files, or baresip, or
 * linphonec), one fault per case, a fresh set of processes per case. Everything is read from the registrars'
 * tables ({@code kamcmd ul.dump brief}, sampled back to back) and statistics, and from {@code /proc} and
 * {@code jcmd} for the client's CPU and heap. Prints Markdown tables; draws each case's timeline with
 * {@code --png}.
 *
 * <p>Faults, always to the primary: {@code kill} (SIGKILL, then a restart), {@code sigstop} (SIGSTOP, then
 * SIGCONT), {@code restart} (a graceful stop and start: the table is lost, the server is back at once),
 * {@code dns} (dnsmasq killed, the TTL left to run out, then the primary killed and restarted; dnsmasq comes back
 * at the end), {@code flap} (the primary killed and restarted {@code --flaps} times, {@code --flap-period} s
 * each way).
 */
public final class FleetBench {

    private FleetBench() {}

    /** The options of one run. */
    record Options(
            int lines,
            String policy,
            String transport,
            String format,
            List<String> faults,
            int keepAlive,
            int probe,
            int holdOff,
            int transactionTimeout,
            List<String> clients,
            Path png,
            Path launcher,
            List<String> jvm,
            int idle,
            int flaps,
            int flapPeriod,
            int ttl,
            boolean dns,
            long settleMillis,
            Path profile) {

        static Options parse(String[] args) {
            Args.only(
                    args,
                    java.util.Set.of(
                            "--policy",
                            "--format",
                            "--faults",
                            "--lines",
                            "--transport",
                            "--keep-alive",
                            "--probe",
                            "--hold-off",
                            "--clients",
                            "--png",
                            "--launcher",
                            "--jvm",
                            "--idle",
                            "--flaps",
                            "--flap-period",
                            "--ttl",
                            "--settle",
                            "--profile",
                            "--transaction-timeout"),
                    java.util.Set.of("--dns"));
            String policy = Args.str(args, "--policy", "redundant-asymmetric");
            String format = Args.str(args, "--format", policy.startsWith("redundant-") ? "audiocodes" : "lines");
            List<String> faults = Args.list(args, "--faults", "kill,sigstop,restart,dns,flap");
            return new Options(
                    Args.integer(args, "--lines", 1),
                    policy,
                    Args.str(args, "--transport", "tcp"),
                    format,
                    faults,
                    Args.integer(args, "--keep-alive", 5),
                    Args.integer(args, "--probe", 2),
                    Args.integer(args, "--hold-off", 2),
                    Args.integer(args, "--transaction-timeout", 0),
                    Args.list(args, "--clients", "sip-failover"),
                    Args.path(args, "--png"),
                    Path.of(Args.str(args, "--launcher", "launcher/target/sip-failover-launcher.jar")),
                    Args.list(args, "--jvm", ""),
                    Args.integer(args, "--idle", 20),
                    Args.integer(args, "--flaps", 3),
                    Args.integer(args, "--flap-period", 4),
                    Args.integer(args, "--ttl", 5),
                    Args.flag(args, "--dns"),
                    1000L * Args.integer(args, "--settle", 3),
                    Args.path(args, "--profile"));
        }
    }

    /** One case's figures. */
    record Row(
            String client,
            String setup,
            String transport,
            String fault,
            int lines,
            double registerAll,
            Stats gap,
            Stats failover,
            double allRebound,
            Stats failback,
            double switchesMax,
            double switchesMean,
            int primaryChanges,
            double registersPerLine,
            double idleCpu,
            double idleCpuWithoutJit,
            double faultCpu,
            double heapMb,
            double rssMb,
            long resolutionMillis,
            int unrecovered,
            String failbackNote) {}

    public static void run(String[] args) throws Exception {
        Options o = Options.parse(args);
        List<Row> rows = new ArrayList<>();
        for (String client : o.clients()) {
            boolean first = true;
            for (String fault : o.faults()) {
                rows.add(measure(o, client, fault, first));
                first = false;
            }
        }
        print(o, rows);
    }

    static Client client(Options o, String name) {
        return switch (name) {
            case "sip-failover" ->
                new LauncherClient(new LauncherClient.Settings(
                        o.policy(),
                        o.transport(),
                        o.lines(),
                        o.format(),
                        o.keepAlive(),
                        o.probe(),
                        o.holdOff(),
                        o.transactionTimeout(),
                        o.dns(),
                        o.launcher(),
                        o.jvm()));
            case "baresip" -> new Baresip(o.transport());
            case "linphonec" -> new Linphone(o.transport());
            default -> throw new IllegalArgumentException("unknown client " + name);
        };
    }

    private static Row measure(Options o, String clientName, String fault, boolean idleToo) throws Exception {
        Path work = Files.createTempDirectory("sip-failover-fleet");
        Client client = client(o, clientName);
        List<Timeline.Mark> marks = new ArrayList<>();
        List<Timeline.HeapPoint> heap = new ArrayList<>();
        boolean dualFlow = o.policy().equals("dual-flow") && clientName.equals("sip-failover");
        boolean symmetric = o.policy().equals("redundant-symmetric") && clientName.equals("sip-failover");
        int n = client.users().size();
        System.err.printf(Locale.ROOT, "== %s %s %s %s, %d lines%n", clientName, o.policy(), o.transport(), fault, n);
        try (Registrars servers = new Registrars(work, o.ttl(), !clientName.equals("sip-failover"));
                TableSampler sampler = new TableSampler(servers, client.users(), 50)) {
            sampler.start();
            long start = System.currentTimeMillis();
            marks.add(new Timeline.Mark(start, "client starts"));
            client.start(servers, work);
            long deadline = 60_000 + 10L * n;
            TableSampler.Sample s = awaitSample(
                    sampler,
                    x -> x.primary().cardinality() == n,
                    deadline,
                    "all " + n + " lines bound at the primary",
                    client);
            double registerAll = (s.atMillis() - start) / 1000.0;
            if (dualFlow || !clientName.equals("sip-failover")) {
                // the other clients register at both servers (see Baresip, Linphone)
                awaitSample(
                        sampler,
                        x -> x.backup().cardinality() == n,
                        deadline,
                        "the second bindings at the backup",
                        client);
            } else {
                awaitSample(sampler, x -> x.backup().isEmpty(), 30_000, "no binding at the backup", client);
            }
            Thread.sleep(o.settleMillis());
            double idleCpu = Double.NaN;
            double idleCpuWithoutJit = Double.NaN;
            double heapMb = Double.NaN;
            long pid = client.pid();
            if (idleToo && o.idle() > 0) {
                if (o.profile() != null && clientName.equals("sip-failover")) {
                    ProcStats.startRecording(pid, o.idle(), o.profile());
                }
                double c0 = ProcStats.cpuSeconds(pid);
                double j0 = ProcStats.cpuSecondsWithoutJit(pid);
                long i0 = System.nanoTime();
                Thread.sleep(o.idle() * 1000L);
                double seconds = (System.nanoTime() - i0) / 1e9;
                idleCpu = 100 * (ProcStats.cpuSeconds(pid) - c0) / seconds;
                idleCpuWithoutJit = 100 * (ProcStats.cpuSecondsWithoutJit(pid) - j0) / seconds;
            }
            if (clientName.equals("sip-failover")) {
                heapMb = ProcStats.heapMb(pid, true);
                heap.add(new Timeline.HeapPoint(System.currentTimeMillis(), heapMb));
            }
            double rss = ProcStats.rssMb(pid);
            long registers0 = servers.primary.registers() + servers.backup.registers();
            double cpu0 = ProcStats.cpuSeconds(pid);

            if (fault.equals("dns")) {
                marks.add(new Timeline.Mark(System.currentTimeMillis(), "dnsmasq killed"));
                servers.dns.kill();
                // every cached answer has expired before the primary dies
                Thread.sleep((o.ttl() + 2) * 1000L);
            }
            if (o.profile() != null && clientName.equals("sip-failover")) {
                ProcStats.startRecording(
                        pid,
                        10,
                        o.profile()
                                .resolveSibling(
                                        o.profile().getFileName().toString().replace(".jfr", "") + "-" + fault
                                                + ".jfr"));
                Thread.sleep(300);
            }
            TableSampler.Sample before = sampler.next();
            // the fault's instant is when the signal leaves, after the registrar's statistics are read
            long t0;
            int primaryChanges = 0;
            switch (fault) {
                case "kill", "dns", "flap" -> {
                    t0 = servers.primary.kill();
                    marks.add(new Timeline.Mark(t0, "primary kill -9"));
                }
                case "sigstop" -> {
                    t0 = servers.primary.pause();
                    marks.add(new Timeline.Mark(t0, "primary SIGSTOP"));
                }
                case "restart" -> {
                    t0 = servers.primary.restart();
                    marks.add(new Timeline.Mark(t0, "primary restarted"));
                }
                default -> throw new IllegalArgumentException("unknown fault " + fault);
            }
            primaryChanges++;
            // per line: seconds from the fault until a live registrar held its binding; 0 if one held it all along
            double[] gap = new double[n];
            Arrays.fill(gap, Double.NaN);
            BitSet heldAll = new BitSet(n);
            for (int i = 0; i < n; i++) {
                if (before.backup().get(i)) {
                    heldAll.set(i);
                }
            }
            TableSampler.Listener gaps = (prev, now) -> {
                if (now.atMillis() < t0) {
                    return;
                }
                for (int i = 0; i < n; i++) {
                    if (Double.isNaN(gap[i]) && now.bound(i)) {
                        gap[i] = heldAll.get(i) ? 0 : (now.atMillis() - t0) / 1000.0;
                    } else if (!now.bound(i)) {
                        heldAll.clear(i);
                    }
                }
            };
            sampler.listen(gaps);
            long t1;
            if (fault.equals("flap")) {
                for (int f = 0; f < o.flaps(); f++) {
                    Thread.sleep(o.flapPeriod() * 1000L);
                    servers.primary.restart();
                    marks.add(new Timeline.Mark(System.currentTimeMillis(), "up"));
                    primaryChanges++;
                    if (f + 1 < o.flaps()) {
                        Thread.sleep(o.flapPeriod() * 1000L);
                        servers.primary.kill();
                        marks.add(new Timeline.Mark(System.currentTimeMillis(), "kill"));
                        primaryChanges++;
                    }
                }
                t1 = System.currentTimeMillis();
            } else {
                long limit = 30_000 + 3000L * Math.max(o.keepAlive(), 40) + 10L * n;
                long waitUntil = System.currentTimeMillis() + limit;
                while (System.currentTimeMillis() < waitUntil
                        && Arrays.stream(gap).anyMatch(Double::isNaN)) {
                    Thread.sleep(20);
                }
                Thread.sleep(500);
                t1 = System.currentTimeMillis();
                switch (fault) {
                    case "kill", "dns" -> {
                        servers.primary.restart();
                        marks.add(new Timeline.Mark(t1, "primary restarted"));
                        primaryChanges++;
                    }
                    case "sigstop" -> {
                        servers.primary.resume();
                        marks.add(new Timeline.Mark(t1, "primary SIGCONT"));
                        primaryChanges++;
                    }
                    default -> {
                        // restart: the primary is back already
                    }
                }
            }
            sampler.unlisten(gaps);
            // failback: from the primary's return until the line is bound there again (and, homing, not at the backup)
            double[] back = new double[n];
            Arrays.fill(back, Double.NaN);
            boolean wantsBack = !symmetric && !fault.equals("restart");
            long failbackLimit = 30_000 + 2000L * (o.probe() + Math.max(o.holdOff(), 30)) + 10L * n;
            if (wantsBack) {
                long tb = t1;
                TableSampler.Listener backs = (prev, now) -> {
                    if (now.atMillis() < tb) {
                        return;
                    }
                    for (int i = 0; i < n; i++) {
                        if (Double.isNaN(back[i])
                                && now.primary().get(i)
                                && (dualFlow
                                        || !clientName.equals("sip-failover")
                                        || !now.backup().get(i))) {
                            back[i] = (now.atMillis() - tb) / 1000.0;
                        }
                    }
                };
                sampler.listen(backs);
                long waitUntil = System.currentTimeMillis() + failbackLimit;
                while (System.currentTimeMillis() < waitUntil
                        && Arrays.stream(back).anyMatch(Double::isNaN)) {
                    Thread.sleep(20);
                }
                sampler.unlisten(backs);
            }
            // let the last changes land, then count
            Thread.sleep(Math.max(2000, o.settleMillis()));
            long end = System.currentTimeMillis();
            if (fault.equals("dns")) {
                servers.restartDns();
                marks.add(new Timeline.Mark(end, "dnsmasq back"));
            }
            double faultCpu = 100 * (ProcStats.cpuSeconds(pid) - cpu0) / ((end - t0) / 1000.0);
            long registers = servers.primary.registers() + servers.backup.registers() - registers0;
            double[] failover = new double[n];
            double[] switches = new double[n];
            for (int i = 0; i < n; i++) {
                List<Long> tr = client.transitions(i, t0);
                failover[i] = tr.isEmpty() || !client.reportsTransitions() ? Double.NaN : (tr.get(0) - t0) / 1000.0;
                switches[i] = tr.size();
            }
            if (clientName.equals("sip-failover")) {
                double h = ProcStats.heapMb(pid, false);
                heap.add(new Timeline.HeapPoint(System.currentTimeMillis(), h));
            }
            Stats gapStats = Stats.of(gap);
            int unrecovered = (int) Arrays.stream(gap).filter(Double::isNaN).count();
            double allRebound = unrecovered > 0 ? Double.NaN : gapStats.max();
            Row row = new Row(
                    clientName,
                    client.setup(),
                    o.transport(),
                    fault,
                    n,
                    registerAll,
                    gapStats,
                    Stats.of(failover),
                    allRebound,
                    wantsBack ? Stats.of(back) : Stats.of(new double[0]),
                    client.reportsTransitions() ? Arrays.stream(switches).max().orElse(0) : Double.NaN,
                    client.reportsTransitions()
                            ? Arrays.stream(switches).average().orElse(0)
                            : Double.NaN,
                    primaryChanges,
                    (double) registers / n,
                    idleCpu,
                    idleCpuWithoutJit,
                    faultCpu,
                    heapMb,
                    rss,
                    sampler.dumpMillis(),
                    unrecovered,
                    !wantsBack
                            ? (symmetric ? "stays (symmetric)" : "–")
                            : String.format(Locale.ROOT, "not within %.0f s", failbackLimit / 1000.0));
            if (o.png() != null) {
                Path png = o.png()
                        .resolveSibling(o.png().getFileName().toString().replace(".png", "") + "-" + clientName + "-"
                                + o.policy() + "-" + o.transport() + "-" + fault + "-" + n + ".png");
                Timeline.draw(
                        png,
                        clientName + " (" + client.setup() + "), " + o.transport() + ", " + fault + ", " + n
                                + " line(s)",
                        n,
                        sampler.points(),
                        marks,
                        heap.size() > 2 ? heap : List.of());
                System.err.println("timeline: " + png);
            }
            return row;
        } finally {
            client.close();
            if (System.getenv("FLEET_KEEP") == null) {
                deleteTree(work);
            } else {
                System.err.println("kept " + work);
            }
        }
    }

    private static TableSampler.Sample awaitSample(
            TableSampler sampler, Predicate<TableSampler.Sample> cond, long millis, String what, Client client)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            TableSampler.Sample s = sampler.last();
            if (s != null && cond.test(s)) {
                return s;
            }
            Thread.sleep(10);
        }
        String tail = client instanceof LauncherClient l ? l.logTail(30) : "";
        TableSampler.Sample s = sampler.last();
        throw new IllegalStateException("gave up waiting for " + what + " (primary "
                + (s == null ? "?" : s.primary().cardinality()) + ", backup "
                + (s == null ? "?" : s.backup().cardinality()) + ")\n"
                + tail);
    }

    static void print(Options o, List<Row> rows) {
        StringBuilder b = new StringBuilder("\n");
        b.append(String.format(
                Locale.ROOT,
                "Timers: keep-alive %d s, pong deadline 1 s, probe %d s, hold-off %d s "
                        + "(AudioCodes files: keep-alive at least 40 s, hold-off 30 s), transaction time-out %s; figures "
                        + "are median / p99 / max over lines, in seconds%n%n",
                o.keepAlive(),
                o.probe(),
                o.holdOff(),
                LauncherClient.Settings.describe(o.transactionTimeout())));
        b.append("| client | setup | transport | fault | lines | binding gap | failover | failback "
                + "| switches per line (max, mean) / primary changes | REGISTERs per line | unrecovered |\n");
        b.append("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %d | %s | %s | %s | %s | %.1f | %d |%n",
                    r.client(),
                    r.setup(),
                    r.transport(),
                    r.fault(),
                    r.lines(),
                    r.gap().cell(),
                    r.failover().cell(),
                    r.failback().n() == 0
                            ? r.failbackNote()
                            : r.failback().cell()
                                    + (r.failback().n() < r.lines()
                                            ? " (" + (r.lines() - r.failback().n()) + " not back)"
                                            : ""),
                    Double.isNaN(r.switchesMax())
                            ? "–"
                            : String.format(
                                    Locale.ROOT,
                                    "%.0f, %.2f / %d",
                                    r.switchesMax(),
                                    r.switchesMean(),
                                    r.primaryChanges()),
                    r.registersPerLine(),
                    r.unrecovered()));
        }
        b.append("\n| client | setup | transport | fault | lines | time to register all (s) | first REGISTERs/s "
                + "| all rebound after fault (s) | idle CPU (% of a core; without the JIT compiler) | CPU fault to end (% of a core) "
                + "| heap after GC (MB) | RSS (MB) | sample period (ms) |\n");
        b.append("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %d | %.2f | %.0f | %s | %s | %.1f | %s | %.0f | %d |%n",
                    r.client(),
                    r.setup(),
                    r.transport(),
                    r.fault(),
                    r.lines(),
                    r.registerAll(),
                    r.lines() / r.registerAll(),
                    Double.isNaN(r.allRebound()) ? "not all" : String.format(Locale.ROOT, "%.3f", r.allRebound()),
                    Double.isNaN(r.idleCpu())
                            ? "–"
                            : String.format(Locale.ROOT, "%.2f (%.2f)", r.idleCpu(), r.idleCpuWithoutJit()),
                    r.faultCpu(),
                    Double.isNaN(r.heapMb()) ? "–" : String.format(Locale.ROOT, "%.1f", r.heapMb()),
                    r.rssMb(),
                    r.resolutionMillis()));
        }
        System.out.println(b);
        System.out.flush();
    }

    static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is no failure of the measurement
        }
    }
}
