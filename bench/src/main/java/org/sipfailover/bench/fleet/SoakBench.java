// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A chaos soak: sip-failover's launcher with many lines against two Kamailios and a dnsmasq, and a seeded random
 * schedule of faults bounded in time. One server (or the DNS server) is faulty at a time, so a line can always be
 * bound somewhere. Measured from the registrars' tables: the fraction of the run each line held a binding at a
 * live registrar, lines bound nowhere for longer than {@code --stuck} seconds while a registrar was up, and the
 * launcher's heap after a full collection every {@code --heap-every} seconds.
 */
public final class SoakBench {

    private SoakBench() {}

    /** How long after a repair the heap counts as quiet again. */
    private static final long QUIET_AFTER_MS = 10_000;

    private static final String[] FAULTS = {
        "kill primary",
        "sigstop primary",
        "restart primary",
        "kill backup",
        "sigstop backup",
        "restart backup",
        "dns down",
        "flap primary"
    };

    public static void run(String[] args) throws Exception {
        Args.only(
                args,
                java.util.Set.of(
                        "--lines",
                        "--minutes",
                        "--seed",
                        "--policy",
                        "--transport",
                        "--format",
                        "--keep-alive",
                        "--probe",
                        "--hold-off",
                        "--stuck",
                        "--heap-every",
                        "--fault-min",
                        "--fault-max",
                        "--pause-min",
                        "--pause-max",
                        "--png",
                        "--launcher",
                        "--jvm",
                        "--transaction-timeout"),
                java.util.Set.of("--dns"));
        int lines = Args.integer(args, "--lines", 1000);
        double minutes = Double.parseDouble(Args.str(args, "--minutes", "20"));
        long seed = Args.longValue(args, "--seed", 1);
        String policy = Args.str(args, "--policy", "dual-flow");
        String transport = Args.str(args, "--transport", "tcp");
        String format = Args.str(args, "--format", policy.startsWith("redundant-") ? "audiocodes" : "lines");
        int keepAlive = Args.integer(args, "--keep-alive", 5);
        int probe = Args.integer(args, "--probe", 2);
        int holdOff = Args.integer(args, "--hold-off", 2);
        int transactionTimeout = Args.integer(args, "--transaction-timeout", 0);
        int stuckAfter = Args.integer(
                args, "--stuck", 3 * Math.max(keepAlive, format.equals("audiocodes") ? 40 : 0) + probe + holdOff + 10);
        int heapEvery = Args.integer(args, "--heap-every", 30);
        int faultMin = Args.integer(args, "--fault-min", 5);
        int faultMax = Args.integer(args, "--fault-max", 30);
        int pauseMin = Args.integer(args, "--pause-min", 10);
        int pauseMax = Args.integer(args, "--pause-max", 40);
        boolean dns = Args.flag(args, "--dns");
        Path png = Args.path(args, "--png");
        Path launcher = Path.of(Args.str(args, "--launcher", "launcher/target/sip-failover-launcher.jar"));
        List<String> jvm = Args.list(args, "--jvm", "");

        SplittableRandom random = new SplittableRandom(seed);
        Path work = Files.createTempDirectory("sip-failover-soak");
        LauncherClient client = new LauncherClient(new LauncherClient.Settings(
                policy, transport, lines, format, keepAlive, probe, holdOff, transactionTimeout, dns, launcher, jvm));
        List<Timeline.Mark> marks = new ArrayList<>();
        List<Timeline.HeapPoint> heap = new ArrayList<>();
        // the readings taken while nothing was broken or recovering (in a pause, QUIET_AFTER_MS after the last
        // repair): what a flat heap is judged on; during a fault the heap holds the transactions in flight
        List<Timeline.HeapPoint> quietHeap = new ArrayList<>();
        int n = lines;
        double[] boundMillis = new double[n];
        // the lines' unbound time from each fault's start to the next's (its failover, repair and failback),
        // summed over lines: where the run's unbound time went
        List<double[]> unboundPerFault = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> faultNames = new ArrayList<>();
        long[] unboundSince = new long[n];
        long[] longestUnbound = new long[n];
        boolean[] stuck = new boolean[n];
        long[] window = new long[2];
        long[] excluded = new long[3];
        try (Registrars servers = new Registrars(work, 5, false);
                TableSampler sampler = new TableSampler(servers, client.users(), 100)) {
            sampler.start();
            client.start(servers, work);
            long deadline = System.currentTimeMillis() + 60_000 + 10L * n;
            while (sampler.last() == null || sampler.last().primary().cardinality() < n) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("not all lines registered: " + client.logTail(30));
                }
                Thread.sleep(50);
            }
            Thread.sleep(3000);
            long pid = client.pid();
            long start = System.currentTimeMillis();
            long end = start + (long) (minutes * 60_000);
            window[0] = start;
            Arrays.fill(unboundSince, -1);
            sampler.listen((prev, now) -> {
                if (prev == null || now.atMillis() <= window[0] || window[1] != 0) {
                    return;
                }
                long from = Math.max(prev.atMillis(), window[0]);
                long dt = now.atMillis() - from;
                boolean someLive = now.primaryLive() || now.backupLive();
                if (!someLive) {
                    // neither registrar reachable in this sample (one restarting while the other is being
                    // dumped): nothing could be bound, the interval is left out of every line's run time
                    excluded[0] += dt;
                    excluded[1]++;
                    return;
                }
                if (java.util.stream.IntStream.range(0, n).noneMatch(now::bound)) {
                    excluded[2]++;
                    System.err.printf(
                            Locale.ROOT,
                            "soak: no line bound at %.3f s (primary live %b, backup live %b)%n",
                            (now.atMillis() - window[0]) / 1000.0,
                            now.primaryLive(),
                            now.backupLive());
                }
                double unbound = 0;
                for (int i = 0; i < n; i++) {
                    boolean b = now.bound(i);
                    boolean a = prev.bound(i);
                    boundMillis[i] += dt * ((a ? 0.5 : 0) + (b ? 0.5 : 0));
                    unbound += dt * ((a ? 0 : 0.5) + (b ? 0 : 0.5));
                    if (b || !someLive) {
                        unboundSince[i] = -1;
                    } else {
                        if (unboundSince[i] < 0) {
                            unboundSince[i] = a ? now.atMillis() - dt / 2 : from;
                        }
                        long streak = now.atMillis() - unboundSince[i];
                        longestUnbound[i] = Math.max(longestUnbound[i], streak);
                        if (streak > stuckAfter * 1000L) {
                            stuck[i] = true;
                        }
                    }
                }
                synchronized (unboundPerFault) {
                    if (!unboundPerFault.isEmpty()) {
                        unboundPerFault.get(unboundPerFault.size() - 1)[0] += unbound;
                    }
                }
            });
            double cpu0 = ProcStats.cpuSeconds(pid);
            long nextHeap = start;
            long lastRepair = start;
            int faults = 0;
            Registrars.Server[] both = {servers.primary, servers.backup};
            while (true) {
                long pause = 1000L * (pauseMin + random.nextInt(Math.max(1, pauseMax - pauseMin + 1)));
                long until = System.currentTimeMillis() + pause;
                nextHeap = waitWithHeap(
                        until, end, nextHeap, heapEvery, pid, heap, lastRepair + QUIET_AFTER_MS, quietHeap);
                if (System.currentTimeMillis() >= end) {
                    break;
                }
                String fault = FAULTS[random.nextInt(FAULTS.length)];
                long lasts = 1000L * (faultMin + random.nextInt(Math.max(1, faultMax - faultMin + 1)));
                Registrars.Server target = fault.endsWith("backup") ? both[1] : both[0];
                marks.add(new Timeline.Mark(System.currentTimeMillis(), fault));
                faults++;
                faultNames.add(String.format(
                        Locale.ROOT,
                        "%.0f s: %s for %d s",
                        (System.currentTimeMillis() - start) / 1000.0,
                        fault,
                        lasts / 1000));
                unboundPerFault.add(new double[1]);
                System.err.printf(
                        Locale.ROOT,
                        "soak %.0f s: %s for %d s%n",
                        (System.currentTimeMillis() - start) / 1000.0,
                        fault,
                        lasts / 1000);
                switch (fault) {
                    case "kill primary", "kill backup" -> target.kill();
                    case "sigstop primary", "sigstop backup" -> target.pause();
                    case "restart primary", "restart backup" -> target.restart();
                    case "dns down" -> servers.dns.kill();
                    case "flap primary" -> {
                        for (int f = 0; f < 3; f++) {
                            target.kill();
                            nextHeap = waitWithHeap(
                                    System.currentTimeMillis() + 2000, Long.MAX_VALUE, nextHeap, heapEvery, pid, heap);
                            target.restart();
                            nextHeap = waitWithHeap(
                                    System.currentTimeMillis() + 2000, Long.MAX_VALUE, nextHeap, heapEvery, pid, heap);
                        }
                    }
                    default -> throw new IllegalStateException(fault);
                }
                if (!fault.startsWith("restart") && !fault.startsWith("flap")) {
                    nextHeap = waitWithHeap(
                            System.currentTimeMillis() + lasts, Long.MAX_VALUE, nextHeap, heapEvery, pid, heap);
                    switch (fault) {
                        case "kill primary", "kill backup" -> target.restart();
                        case "sigstop primary", "sigstop backup" -> target.resume();
                        case "dns down" -> servers.restartDns();
                        default -> throw new IllegalStateException(fault);
                    }
                    marks.add(new Timeline.Mark(System.currentTimeMillis(), "repaired"));
                }
                lastRepair = System.currentTimeMillis();
            }
            window[1] = System.currentTimeMillis();
            double total = window[1] - window[0] - excluded[0];
            double cpu = 100 * (ProcStats.cpuSeconds(pid) - cpu0) / (total / 1000.0);
            // after the schedule: every line must come back; the last heap reading is then a quiet one
            Thread.sleep(1000L * stuckAfter);
            Timeline.HeapPoint after = new Timeline.HeapPoint(System.currentTimeMillis(), ProcStats.heapMb(pid, true));
            heap.add(after);
            quietHeap.add(after);
            TableSampler.Sample last = sampler.next();
            int unboundAtEnd = n
                    - (int) java.util.stream.IntStream.range(0, n)
                            .filter(last::bound)
                            .count();

            double[] fraction = new double[n];
            for (int i = 0; i < n; i++) {
                fraction[i] = 100.0 * boundMillis[i] / total;
            }
            Arrays.sort(fraction);
            double goal = policy.equals("dual-flow") ? 99.9 : 99.0;
            long below = Arrays.stream(fraction).filter(f -> f < goal).count();
            long stuckLines =
                    java.util.stream.IntStream.range(0, n).filter(i -> stuck[i]).count();
            double longest = Arrays.stream(longestUnbound).max().orElse(0) / 1000.0;
            double[] h = heap.stream().mapToDouble(Timeline.HeapPoint::mb).toArray();
            double[] q = quietHeap.stream().mapToDouble(Timeline.HeapPoint::mb).toArray();
            double slope = slopePerHour(quietHeap);
            StringBuilder b = new StringBuilder("\n");
            b.append(String.format(
                    Locale.ROOT,
                    "Soak: %s, %s, %d lines, %.1f min, seed %d, %d faults "
                            + "(one at a time, lasting %d-%d s, %d-%d s apart); keep-alive %d s, probe %d s, hold-off %d s, "
                            + "transaction time-out %s; stuck = bound nowhere for more than %d s while a registrar was up; sample period %d ms; "
                            + "%d samples (%.3f s) with neither registrar reachable left out; %d samples with no line bound%n%n",
                    policy,
                    transport,
                    n,
                    total / 60000,
                    seed,
                    faults,
                    faultMin,
                    faultMax,
                    pauseMin,
                    pauseMax,
                    keepAlive,
                    probe,
                    holdOff,
                    LauncherClient.Settings.describe(transactionTimeout),
                    stuckAfter,
                    sampler.dumpMillis(),
                    excluded[1],
                    excluded[0] / 1000.0,
                    excluded[2]));
            b.append("| policy | lines | minutes | faults | bound time min / p1 / median (%) | lines below "
                    + "goal | longest unbound (s) | stuck lines | unbound after the schedule | heap after GC first / "
                    + "last / max (MB), at quiet times | its slope (MB/h) | heap after GC max, any time (MB) "
                    + "| CPU (% of a core) |\n");
            b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.1f | %d | %.3f / %.3f / %.3f | %d (< %.1f %%) | %.1f "
                            + "| %d | %d | %.1f / %.1f / %.1f (%d readings) | %.1f | %.1f | %.2f |%n",
                    policy,
                    n,
                    total / 60000,
                    faults,
                    fraction[0],
                    fraction[Math.min(n - 1, (int) Math.ceil(0.01 * n) - 1 < 0 ? 0 : (int) Math.ceil(0.01 * n) - 1)],
                    fraction[n / 2],
                    below,
                    goal,
                    longest,
                    stuckLines,
                    unboundAtEnd,
                    q.length > 0 ? q[0] : Double.NaN,
                    q.length > 0 ? q[q.length - 1] : Double.NaN,
                    Arrays.stream(q).max().orElse(Double.NaN),
                    q.length,
                    slope,
                    Arrays.stream(h).max().orElse(Double.NaN),
                    cpu));
            b.append("\nHeap after GC at quiet times (s: MB): ");
            b.append(String.join(
                            ", ",
                            quietHeap.stream()
                                    .map(p -> String.format(
                                            Locale.ROOT, "%.0f: %.1f", (p.atMillis() - start) / 1000.0, p.mb()))
                                    .toList()))
                    .append('\n');
            b.append("\nWhere the unbound time went (from each fault to the next; mean over lines):\n\n");
            b.append("| fault | unbound per line (s) | share of all unbound time |\n| --- | ---: | ---: |\n");
            double all = unboundPerFault.stream().mapToDouble(x -> x[0]).sum();
            for (int f = 0; f < faultNames.size(); f++) {
                double ms = unboundPerFault.get(f)[0];
                b.append(String.format(
                        Locale.ROOT,
                        "| %s | %.3f | %.1f %% |%n",
                        faultNames.get(f),
                        ms / n / 1000.0,
                        all == 0 ? 0 : 100 * ms / all));
            }
            System.out.println(b);
            if (png != null) {
                Timeline.draw(
                        png,
                        "soak: " + policy + ", " + transport + ", " + n + " lines, seed " + seed,
                        n,
                        sampler.points(),
                        marks,
                        heap);
                System.err.println("timeline: " + png);
            }
        } finally {
            client.close();
            FleetBench.deleteTree(work);
        }
    }

    private static long waitWithHeap(
            long until, long end, long nextHeap, int every, long pid, List<Timeline.HeapPoint> heap)
            throws InterruptedException {
        return waitWithHeap(until, end, nextHeap, every, pid, heap, Long.MAX_VALUE, null);
    }

    /**
     * Sleeps until {@code until} (or {@code end}), reading the heap after a full GC when one is due; a reading
     * taken from {@code quietFrom} on goes to {@code quiet} as well.
     */
    private static long waitWithHeap(
            long until,
            long end,
            long nextHeap,
            int every,
            long pid,
            List<Timeline.HeapPoint> heap,
            long quietFrom,
            List<Timeline.HeapPoint> quiet)
            throws InterruptedException {
        long stop = Math.min(until, end);
        while (System.currentTimeMillis() < stop) {
            long now = System.currentTimeMillis();
            if (now >= nextHeap) {
                Timeline.HeapPoint p = new Timeline.HeapPoint(now, ProcStats.heapMb(pid, true));
                heap.add(p);
                if (now >= quietFrom) {
                    quiet.add(p);
                }
                nextHeap += every * 1000L;
            }
            Thread.sleep(Math.max(1, Math.min(200, stop - System.currentTimeMillis())));
        }
        return nextHeap;
    }

    /** Least-squares slope of the heap readings, MB per hour. */
    private static double slopePerHour(List<Timeline.HeapPoint> heap) {
        if (heap.size() < 2) {
            return Double.NaN;
        }
        double t0 = heap.get(0).atMillis();
        double mx = 0;
        double my = 0;
        for (Timeline.HeapPoint p : heap) {
            mx += (p.atMillis() - t0) / 3_600_000.0;
            my += p.mb();
        }
        mx /= heap.size();
        my /= heap.size();
        double sxy = 0;
        double sxx = 0;
        for (Timeline.HeapPoint p : heap) {
            double x = (p.atMillis() - t0) / 3_600_000.0 - mx;
            sxy += x * (p.mb() - my);
            sxx += x * x;
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}
