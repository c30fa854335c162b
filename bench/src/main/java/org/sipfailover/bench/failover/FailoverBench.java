// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.failover;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.dns.embed.DnsResolvers;
import org.sipfailover.dns.embed.EmbeddedResolver;
import org.sipfailover.lines.embed.EmbeddedLine;
import org.sipfailover.lines.embed.LineEnding;
import org.sipfailover.lines.embed.LineFactory;
import org.sipfailover.outbound.embed.EmbeddedFlowManager;
import org.sipfailover.outbound.embed.FlowManagers;
import org.sipfailover.testkit.osgi.Components;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * Failover and failback against two real Kamailio registrars (primary 127.0.0.1, backup 127.0.0.2), per
 * policy, transport and fault, measured from outside: the registrars' location tables are sampled every
 * few milliseconds. Prints a Markdown table:
 * <ul>
 * <li>binding gap: from the fault until a live registrar holds a binding of the line again (0 when one
 * was held all along);
 * <li>failover: from the fault until the line's placement moved;
 * <li>failback: from the primary's return until the primary holds the primary AOR's binding again;
 * <li>REGISTERs: received by both registrars during the run (Kamailio's own counters).
 * </ul>
 * Then a policy swap on many registered lines, counting the REGISTERs it caused.
 */
public final class FailoverBench {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private record Row(
            String policy,
            Transport transport,
            String fault,
            double gap,
            double failover,
            double failback,
            long registers) {}

    private FailoverBench() {}

    public static void run(String[] args) throws Exception {
        int swapLines = intArg(args, "--swap-lines", 1000);
        int keepAlive = intArg(args, "--keep-alive", 5);
        int holdOff = intArg(args, "--hold-off", 2);
        int probe = intArg(args, "--probe", 2);
        List<Row> rows = new ArrayList<>();
        String[][] cases = {
            {"aastra", "tcp", "kill"},
            {"aastra", "udp", "kill"},
            {"aastra", "udp", "sigstop"},
            {"redundant-asymmetric", "tcp", "kill"},
            {"redundant-asymmetric", "udp", "sigstop"},
            {"redundant-symmetric", "tcp", "kill"},
            {"dual-flow", "tcp", "kill"},
            {"dual-flow", "udp", "sigstop"},
        };
        for (String[] c : cases) {
            rows.add(measure(c[0], Transport.parse(c[1]), c[2], keepAlive, holdOff, probe));
        }
        System.out.println();
        System.out.printf(
                "Timers: keep-alive %d s, pong deadline 1 s, probe interval %d s, failback hold-off %d s%n%n",
                keepAlive, probe, holdOff);
        System.out.println(
                "| policy | transport | fault | binding gap (s) | failover (s) | failback (s) | REGISTERs |");
        System.out.println("| --- | --- | --- | ---: | ---: | ---: | ---: |");
        for (Row r : rows) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %.3f | %.3f | %s | %d |%n",
                    r.policy(),
                    r.transport().name().toLowerCase(Locale.ROOT),
                    r.fault(),
                    r.gap(),
                    r.failover(),
                    r.failback() < 0 ? "stays (symmetric)" : String.format(Locale.ROOT, "%.3f", r.failback()),
                    r.registers());
        }
        swap(swapLines);
    }

    /** One policy, transport and fault: register, break the primary, bring it back. */
    private static Row measure(String policyName, Transport t, String fault, int keepAlive, int holdOff, int probe)
            throws Exception {
        Path work = Files.createTempDirectory("sip-failover-bench-failover");
        try (Env env = new Env(work)) {
            boolean outbound = !policyName.startsWith("redundant");
            LineConfig config = line(env, "bench", t, policyName, outbound, keepAlive, holdOff, probe)
                    .build();
            EmbeddedLine line = env.start(config, policy(policyName));
            await(() -> bound(env.primary, "1001@127.0.0.1") && line.isRegistered(), "registered at the primary");
            if (policyName.equals("dual-flow")) {
                await(() -> bound(env.backup, "1001@127.0.0.1"), "the second binding at the backup");
            } else {
                // the gap is measured to the backup's binding: none may be there before the fault
                await(() -> !bound(env.backup, "1001@127.0.0.2"), "no binding at the backup");
            }
            long registersBefore = registers(env.primary);
            int transitions = line.transitions().size();
            String backupAor = policyName.equals("dual-flow") ? "1001@127.0.0.1" : "1001@127.0.0.2";

            long t0 = System.nanoTime();
            if (fault.equals("kill")) {
                env.primary.kill();
            } else {
                env.primary.pause();
            }
            double gap = 0;
            double failover = -1;
            // dual-flow holds its backup binding all along; the others have none there before the fault (awaited
            // above), and one can appear before the first sample below, so it is not sampled here
            boolean held = policyName.equals("dual-flow");
            while (System.nanoTime() - t0 < LIMIT.toNanos()) {
                boolean now = bound(env.backup, backupAor);
                if (failover < 0 && line.transitions().size() > transitions) {
                    failover = seconds(t0);
                }
                if (now && !held) {
                    gap = seconds(t0);
                }
                if (!now) {
                    held = false;
                }
                if (now && failover >= 0 && line.isRegistered()) {
                    break;
                }
                Thread.sleep(2); // sampling, not waiting for a condition to hope for
            }
            long t1 = System.nanoTime();
            if (fault.equals("kill")) {
                env.primary.restart();
            } else {
                env.primary.resume();
            }
            double failback = -1;
            if (!policyName.equals("redundant-symmetric")) {
                await(
                        () -> bound(env.primary, "1001@127.0.0.1")
                                && line.isRegistered()
                                && (policyName.equals("dual-flow") || !bound(env.backup, backupAor)),
                        "back on the primary");
                failback = seconds(t1);
            }
            long registers =
                    registers(env.backup) + registers(env.primary) + (fault.equals("kill") ? registersBefore : 0);
            return new Row(policyName, t, fault, gap, failover, failback, registers);
        } finally {
            deleteTree(work);
        }
    }

    /** Many registered lines get another policy that keeps their placement: how many REGISTERs follow. */
    private static void swap(int lines) throws Exception {
        Path work = Files.createTempDirectory("sip-failover-bench-swap");
        try (Env env = new Env(work)) {
            List<EmbeddedLine> running = new ArrayList<>();
            FailoverPolicy aastra = policy("aastra");
            for (int i = 0; i < lines; i++) {
                running.add(env.start(
                        line(env, "swap" + i, Transport.TCP, "aastra", false, 30, 30, 30)
                                .user("u" + i)
                                .build(),
                        aastra));
            }
            await(() -> running.stream().allMatch(EmbeddedLine::isRegistered), lines + " lines registered");
            long before = registers(env.primary) + registers(env.backup);
            FailoverPolicy symmetric = policy("redundant-symmetric");
            long t0 = System.nanoTime();
            running.forEach(l -> l.swapPolicy(symmetric));
            await(() -> running.stream().allMatch(l -> l.policyName().equals("redundant-symmetric")), "every swap");
            double swapSeconds = seconds(t0);
            // settle: any REGISTER a swap caused would be on its way within this
            Thread.sleep(2000);
            long after = registers(env.primary) + registers(env.backup);
            System.out.println();
            System.out.println("| policy swap | lines | swap time (s) | REGISTERs caused | lines registered after |");
            System.out.println("| --- | ---: | ---: | ---: | ---: |");
            System.out.printf(
                    Locale.ROOT,
                    "| aastra -> redundant-symmetric | %d | %.3f | %d | %d |%n",
                    lines,
                    swapSeconds,
                    after - before,
                    running.stream().filter(EmbeddedLine::isRegistered).count());
        } finally {
            deleteTree(work);
        }
    }

    private static LineConfig.Builder line(
            Env env, String id, Transport t, String policy, boolean outbound, int keepAlive, int holdOff, int probe) {
        return LineConfig.builder(id)
                .user("1001")
                .server(ServerRole.PROXY, Rank.PRIMARY, new ServerAddress("127.0.0.1", env.primary.port(), null))
                .server(ServerRole.PROXY, Rank.BACKUP, new ServerAddress("127.0.0.2", env.backup.port(), null))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, new ServerAddress("127.0.0.1", env.primary.port(), null))
                .server(ServerRole.REGISTRAR, Rank.BACKUP, new ServerAddress("127.0.0.2", env.backup.port(), null))
                .transport(t)
                .sipOutbound(outbound)
                .policy(policy)
                .keepAliveInterval(Duration.ofSeconds(keepAlive))
                .pongTimeout(Duration.ofSeconds(1))
                .probeInterval(Duration.ofSeconds(probe))
                .registrationPeriod(Duration.ofSeconds(600))
                .registrationRetry(Duration.ofSeconds(1))
                .registrationTimeoutRetry(Duration.ofSeconds(1))
                .recovery(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2))
                .failback(FailbackMode.IMMEDIATE, Duration.ofSeconds(holdOff), Duration.ofSeconds(600), true);
    }

    private static FailoverPolicy policy(String name) {
        return Components.create(FailoverPolicy.class, FailoverPolicy.POLICY_NAME, name);
    }

    private static boolean bound(Kamailio k, String aor) {
        return k.isAlive() && !k.bindings(aor).isEmpty();
    }

    /** REGISTER requests a Kamailio's registrar has handled since it started, accepted or refused. */
    private static long registers(Kamailio k) {
        if (!k.isAlive()) {
            return 0;
        }
        String out = k.rpc("stats.get_statistics", "registrar:");
        long n = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(accepted|rejected)_regs\\s*=\\s*(\\d+)")
                .matcher(out);
        while (m.find()) {
            n += Long.parseLong(m.group(2));
        }
        return n;
    }

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static int intArg(String[] args, String name, int otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return otherwise;
    }

    private static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary folder left behind is no failure of the measurement
        }
    }

    /** Two registrars, a flow manager, a lane and a placement store for one measurement. */
    private static final class Env implements AutoCloseable {
        final Kamailio primary;
        final Kamailio backup;
        private final ScheduledExecutorService flowThread = Executors.newSingleThreadScheduledExecutor();
        private final ScheduledExecutorService laneThread = Executors.newSingleThreadScheduledExecutor();
        private final EmbeddedResolver resolver = DnsResolvers.create(Map.of());
        private final EmbeddedFlowManager flows;
        private final ExecutorScheduler lane;
        private final LineFactory lineFactory;
        private final List<EmbeddedLine> lines = new ArrayList<>();

        Env(Path work) throws Exception {
            primary =
                    Kamailio.start(KamailioConfig.builder().address("127.0.0.1").build(), work.resolve("primary"));
            backup =
                    Kamailio.start(KamailioConfig.builder().address("127.0.0.2").build(), work.resolve("backup"));
            Map<String, Object> c = new HashMap<>();
            c.put("localAddress", "127.0.0.1");
            c.put("transactionTimeoutMillis", 3000);
            flows = FlowManagers.create(
                    c,
                    work.resolve("instance-id"),
                    () -> resolver,
                    new ExecutorScheduler(flowThread, Clock.systemUTC(), Throwable::printStackTrace));
            lane = new ExecutorScheduler(laneThread, Clock.systemUTC(), Throwable::printStackTrace);
            lineFactory = LineFactory.open(work.resolve("placements"));
        }

        EmbeddedLine start(LineConfig config, FailoverPolicy policy) {
            // no resolver for the lines: none of these uses dns-ttl failback, the one reason a line looks up again
            EmbeddedLine line = lineFactory.create(config, flows, () -> null, lane, (topic, props) -> {});
            lines.add(line);
            line.start(policy);
            return line;
        }

        @Override
        public void close() {
            lines.forEach(l -> {
                try {
                    l.close(LineEnding.HAND_OVER).toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("line " + l.lineId() + " did not stop", e);
                }
            });
            lineFactory.close();
            flows.close();
            resolver.close();
            laneThread.shutdownNow();
            flowThread.shutdownNow();
            primary.close();
            backup.close();
        }
    }
}
