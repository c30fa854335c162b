// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.flows;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.dns.embed.DnsResolvers;
import org.sipfailover.dns.embed.EmbeddedResolver;
import org.sipfailover.outbound.embed.EmbeddedFlowManager;
import org.sipfailover.outbound.embed.FlowManagers;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * Many registered lines over a handful of RFC 5626 flows against a real Kamailio on loopback: how fast
 * they register, what the JVM costs while idle with keep-alives running, and the heap each line takes.
 * Prints a Markdown table.
 */
public final class FlowsBench {

    private FlowsBench() {}

    public static void run(String[] args) throws Exception {
        int lines = intArg(args, "--lines", 10_000);
        int flowCount = intArg(args, "--flows", 4);
        int idleSeconds = intArg(args, "--idle", 30);
        Transport transport = Transport.parse(stringArg(args, "--transport", "tcp"));
        Path work = Files.createTempDirectory("sip-failover-bench-flows");
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try (Kamailio kamailio = Kamailio.start(
                        KamailioConfig.builder()
                                .address("127.0.0.1")
                                .flowTimer(25)
                                .build(),
                        work.resolve("kamailio"));
                EmbeddedResolver resolver = DnsResolvers.create(Map.of())) {
            long heapBefore = usedHeapAfterGc();
            EmbeddedFlowManager manager = FlowManagers.create(
                    Map.of("localAddress", "127.0.0.1", "transactionTimeoutMillis", 16000),
                    work.resolve("instance-id"),
                    () -> resolver,
                    new ExecutorScheduler(executor, Clock.systemUTC(), Throwable::printStackTrace));
            List<Flow> flows = new ArrayList<>();
            for (int f = 0; f < flowCount; f++) {
                flows.add(manager.open(
                        FlowSpec.builder(
                                        "bench" + f,
                                        ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY),
                                        new ServerAddress("127.0.0.1", kamailio.port(), transport))
                                .regId(1)
                                .outbound(true)
                                .build(),
                        e -> {}));
            }
            List<Registration> regs = new ArrayList<>(lines);
            long t0 = System.nanoTime();
            for (int i = 0; i < lines; i++) {
                regs.add(flows.get(i % flowCount)
                        .register(new RegisterRequest(
                                "sip:u" + i + "@example.test",
                                ServerAddress.of("example.test", 0),
                                null,
                                Duration.ofSeconds(3600),
                                Duration.ofSeconds(60),
                                null)));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            long registered;
            while ((registered = regs.stream()
                                    .filter(Registration::isRegistered)
                                    .count())
                            < lines
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Thread.sleep(5); // a measuring loop, not a test: it only samples
            }
            double registerSeconds = (System.nanoTime() - t0) / 1e9;
            long heapAfter = usedHeapAfterGc();

            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long w0 = System.nanoTime();
            long pingsBefore = manager.keepAlivesAnswered();
            Thread.sleep(idleSeconds * 1000L);
            double idleCpu = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - w0);
            long pings = manager.keepAlivesAnswered() - pingsBefore;
            long stillRegistered =
                    regs.stream().filter(Registration::isRegistered).count();
            int threads = Thread.activeCount();

            System.out.printf(Locale.ROOT, "%n| measure | value |%n| --- | ---: |%n");
            System.out.printf(
                    Locale.ROOT,
                    "| lines / flows / transport | %d / %d / %s |%n",
                    lines,
                    flowCount,
                    transport.name().toLowerCase(Locale.ROOT));
            System.out.printf(Locale.ROOT, "| registered | %d of %d |%n", registered, lines);
            System.out.printf(Locale.ROOT, "| time to register all | %.2f s |%n", registerSeconds);
            System.out.printf(
                    Locale.ROOT, "| REGISTER rate (first registrations) | %.0f /s |%n", registered / registerSeconds);
            System.out.printf(
                    Locale.ROOT,
                    "| heap per registered line | %.1f KB |%n",
                    (heapAfter - heapBefore) / 1024.0 / Math.max(1, registered));
            System.out.printf(
                    Locale.ROOT,
                    "| idle CPU over %d s, keep-alives running | %.2f %% of a core |%n",
                    idleSeconds,
                    idleCpu * 100);
            System.out.printf(Locale.ROOT, "| keep-alives answered while idle | %d |%n", pings);
            System.out.printf(Locale.ROOT, "| still registered after idling | %d |%n", stillRegistered);
            System.out.printf(Locale.ROOT, "| JVM threads | %d |%n", threads);
            manager.close();
        } finally {
            executor.shutdownNow();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static int intArg(String[] args, String name, int dflt) {
        String v = stringArg(args, name, null);
        return v == null ? dflt : Integer.parseInt(v);
    }

    private static String stringArg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
