package org.sipfailover.examples.plainjava;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.api.time.Scheduler;
import org.sipfailover.dns.internal.DnsServerResolver;
import org.sipfailover.lines.internal.LineRuntime;
import org.sipfailover.lines.internal.PlacementStore;
import org.sipfailover.outbound.internal.FlowManagerCore;
import org.sipfailover.policy.internal.AastraPolicy;
import org.sipfailover.policy.internal.DualFlowPolicy;
import org.sipfailover.policy.internal.RedundantAsymmetricPolicy;
import org.sipfailover.policy.internal.RedundantSymmetricPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sip-failover without OSGi: one line with a primary and a backup server, wired by hand with plain
 * constructors, the way a host application without a framework would do it. The jars of the bundles go on
 * the class path; the classes used here are the ones the bundles' components wrap:
 *
 * <ol>
 * <li>the resolver: {@link DnsServerResolver} (dnsjava, the system's DNS servers);
 * <li>the flow manager: {@link FlowManagerCore} (one JAIN-SIP stack, RFC 5626 flows);
 * <li>a failover policy: {@link AastraPolicy}, {@link RedundantAsymmetricPolicy}, ... (pure logic);
 * <li>the line: {@link LineRuntime}, which asks the policy where to be and registers there.
 * </ol>
 *
 * What the line reports (transitions, registration, server health) is printed, one line of text per event.
 * {@link #close()} unregisters the line and stops everything.
 */
public final class PlainJavaExample implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlainJavaExample.class);

    /** How long {@link #close()} waits for the line to unregister. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final ScheduledExecutorService flowThread;
    private final ScheduledExecutorService lineThread;
    private final DnsServerResolver resolver;
    private final FlowManagerCore flows;
    private final PlacementStore placements;
    private final LineRuntime line;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PlainJavaExample(Options options, Consumer<String> out) throws IOException {
        // 1. the resolver; close() stops its thread
        resolver = new DnsServerResolver();
        // 2. the flow manager: its timers run on one thread of ours; the instance-id file must outlive the
        //    process (RFC 5626 §4.1: the same +sip.instance after a restart)
        flowThread = thread("sip-failover-flows");
        Scheduler flowTimers = new ExecutorScheduler(flowThread, Clock.systemUTC(),
                e -> LOG.error("flow task failed", e));
        try {
            flows = new FlowManagerCore(FlowManagerCore.config(Map.of("localAddress", options.localAddress())),
                    options.dataDir().resolve("instance-id"), () -> resolver, flowTimers, new SplittableRandom());
        } catch (IOException | RuntimeException e) {
            flowThread.shutdownNow();
            resolver.close();
            throw e;
        }
        // 3. the line: its work runs on a serial "lane" (one thread); its placement is kept in a file, so that
        //    a restart continues where the line was; its events come to us
        lineThread = thread("sip-failover-line");
        Scheduler lane = new ExecutorScheduler(lineThread, Clock.systemUTC(), e -> LOG.error("line task failed", e));
        placements = new PlacementStore(options.dataDir().resolve("placements"));
        line = new LineRuntime(lineConfig(options), flows, () -> resolver, lane, placements,
                (topic, properties) -> out.accept(describe(topic, properties)));
    }

    /**
     * Wires the resolver, the flow manager, the policy and the line, and starts the line: it registers in the
     * background, at the primary first.
     *
     * @param out receives one line of text per line event
     * @throws IOException when the instance-id cannot be kept in the data folder
     * @throws IllegalArgumentException naming the setting when the SIP stack cannot start with the options
     */
    public static PlainJavaExample start(Options options, Consumer<String> out) throws IOException {
        PlainJavaExample example = new PlainJavaExample(options, out);
        // 4. the policy, a pure function: the line asks it where to be whenever something changes
        example.line.start(policy(options.policy()));
        return example;
    }

    /** The running line: its placement, live bindings, health and transitions. */
    public LineStatus line() {
        return line;
    }

    /**
     * Unregisters the line ({@link LineRuntime.Ending#SHUT_DOWN}: the bindings are removed, the placement stays
     * saved for the next start), waits for that, and stops the flow manager and the resolver. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            line.close(LineRuntime.Ending.SHUT_DOWN).toCompletableFuture().get(STOP_WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("line {}: still unregistering after {}; stopping anyway", line.lineId(), STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("line {}: did not stop cleanly: {}", line.lineId(), e.getCause().toString());
        } finally {
            placements.close(STOP_WAIT.toMillis()); // the saved placement on disk before the process ends
            flows.close();
            resolver.close();
            lineThread.shutdownNow();
            flowThread.shutdownNow();
        }
    }

    /** The policies of the policy bundle, made with their public constructors. */
    static FailoverPolicy policy(String name) {
        return switch (name) {
            case AastraPolicy.NAME -> new AastraPolicy();
            case "redundant-asymmetric" -> new RedundantAsymmetricPolicy();
            case "redundant-symmetric" -> new RedundantSymmetricPolicy();
            case DualFlowPolicy.NAME -> new DualFlowPolicy();
            default -> throw new IllegalArgumentException("policy: '" + name + "' is none of " + Options.POLICIES);
        };
    }

    /**
     * The line: the primary server is proxy and registrar, so is the backup. Timers are short, for a demo: a
     * dead server shows within seconds, and the line returns to the primary 10 s after it is back.
     */
    static LineConfig lineConfig(Options o) {
        // Aastra phones and dual-flow use RFC 5626 SIP outbound; AudioCodes' redundant proxy does not
        boolean sipOutbound = !o.policy().startsWith("redundant-");
        return LineConfig.builder("example").user(o.user()).credentials(o.credentials())
                .server(ServerRole.PROXY, Rank.PRIMARY, o.primary())
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, o.primary())
                .server(ServerRole.PROXY, Rank.BACKUP, o.backup())
                .server(ServerRole.REGISTRAR, Rank.BACKUP, o.backup())
                .transport(o.transport()).sipOutbound(sipOutbound).policy(o.policy())
                .keepAliveInterval(Duration.ofSeconds(5)).pongTimeout(Duration.ofSeconds(2))
                .probeInterval(Duration.ofSeconds(5))
                .registrationPeriod(Duration.ofSeconds(300))
                .registrationRetry(Duration.ofSeconds(5)).registrationTimeoutRetry(Duration.ofSeconds(5))
                .recovery(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60))
                .failback(FailbackMode.IMMEDIATE, Duration.ofSeconds(10), Duration.ofSeconds(3600), true)
                .build();
    }

    /** One line of text for a line event, e.g. {@code TRANSITION   example: none -> proxy=primary ...}. */
    static String describe(String topic, Map<String, Object> p) {
        String kind = topic.startsWith(LineEvents.TOPIC_PREFIX) ? topic.substring(LineEvents.TOPIC_PREFIX.length())
                : topic;
        String text = switch (kind) {
            case "TRANSITION" -> p.get(LineEvents.FROM) + " -> " + p.get(LineEvents.TO) + " ("
                    + p.get(LineEvents.POLICY) + ": " + p.get(LineEvents.CAUSE) + ")";
            case "REGISTERED" -> String.valueOf(p.get(LineEvents.TO));
            case "UNREGISTERED" -> String.valueOf(p.get(LineEvents.CAUSE));
            case "HEALTH" -> p.get(LineEvents.SERVER) + " is " + p.get(LineEvents.HEALTH) + " ("
                    + p.get(LineEvents.CAUSE) + ")";
            default -> p.toString();
        };
        return String.format(Locale.ROOT, "%-12s %s: %s", kind, p.get(LineEvents.LINE_ID), text);
    }

    private static ScheduledExecutorService thread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs the example until Ctrl-C (or for {@code --seconds}), then unregisters. Options as
     * {@code --name value}, else system properties {@code -Dsipfailover.example.<name>=value}, else the defaults; the
     * digest password, if the registrars want one, from the environment variable
     * {@value Options#PASSWORD_VARIABLE}.
     */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args, System.getProperties(), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        System.out.println("starting: " + options);
        PlainJavaExample example = start(options, System.out::println);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Ctrl-C or SIGTERM: unregister before the JVM goes
            example.close();
            System.out.println("stopped: bindings removed, flows closed");
            stopped.countDown();
        }, "sip-failover-example-stop"));
        if (options.runFor() == null) {
            System.out.println("running; Ctrl-C unregisters and stops");
            stopped.await();
        } else {
            stopped.await(options.runFor().toMillis(), TimeUnit.MILLISECONDS);
            System.exit(0); // runs the shutdown hook
        }
    }

    /**
     * The example's settings.
     *
     * @param user the AOR user part
     * @param primary the primary proxy and registrar
     * @param backup the backup proxy and registrar
     * @param transport udp, tcp or tls
     * @param policy one of {@link #POLICIES}
     * @param localAddress the address the SIP stack binds to and puts in Via and Contact
     * @param dataDir where the instance-id and the line's placement are kept
     * @param credentials digest credentials, or {@code null}; their toString hides the password
     * @param runFor how long {@link PlainJavaExample#main} runs, or {@code null} for until Ctrl-C
     */
    public record Options(String user, ServerAddress primary, ServerAddress backup, Transport transport,
            String policy, String localAddress, Path dataDir, Credentials credentials, Duration runFor) {

        /** The policies the example can use, by {@code policy.name}. */
        public static final List<String> POLICIES = List.of("aastra", "redundant-asymmetric", "redundant-symmetric",
                "dual-flow");
        /** The environment variable with the digest password; never an argument, which {@code ps} would show. */
        public static final String PASSWORD_VARIABLE = "SIPFAILOVER_PASSWORD";
        /** The prefix of the system properties that stand for options. */
        public static final String PROPERTY_PREFIX = "sipfailover.example.";

        static final String USAGE = """
                usage: java [-Dsipfailover.example.<name>=value]... -jar example-plain-java.jar [--<name> value]...
                  --primary      host[:port]   primary proxy and registrar    (default 127.0.0.1:5060)
                  --backup       host[:port]   backup proxy and registrar     (default 127.0.0.2:5060)
                  --user         user part of the AOR                         (default 1001)
                  --auth-name    digest user name, with $SIPFAILOVER_PASSWORD (default: the user)
                  --transport    udp | tcp | tls                              (default udp)
                  --policy       aastra | redundant-asymmetric | redundant-symmetric | dual-flow (default aastra)
                  --local-address  address of the SIP stack                   (default 127.0.0.1)
                  --data-dir     instance-id and saved placement       (default ~/.sip-failover-example)
                  --seconds      stop after this many seconds          (default: run until Ctrl-C)""";

        private static final List<String> NAMES = List.of("primary", "backup", "user", "auth-name", "transport",
                "policy", "local-address", "data-dir", "seconds");

        /**
         * Options from {@code --name value} (or {@code --name=value}) arguments, else from system properties
         * {@code sipfailover.example.<name>}, else the defaults.
         *
         * @throws IllegalArgumentException naming the option that is unknown or malformed
         */
        public static Options parse(String[] args, Properties system, Map<String, String> env) {
            Map<String, String> given = new LinkedHashMap<>();
            for (String name : NAMES) {
                String v = system.getProperty(PROPERTY_PREFIX + name);
                if (v != null) {
                    given.put(name, v);
                }
            }
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
                int eq = a.indexOf('=');
                String name = eq > 0 ? a.substring(2, eq) : a.substring(2);
                if (!NAMES.contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
                if (eq > 0) {
                    given.put(name, a.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    given.put(name, args[++i]);
                } else {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
            }
            String user = given.getOrDefault("user", "1001");
            String password = env.get(PASSWORD_VARIABLE);
            Credentials credentials = password == null ? null
                    : new Credentials(given.getOrDefault("auth-name", user), password);
            String policy = given.getOrDefault("policy", "aastra");
            if (!POLICIES.contains(policy)) {
                throw new IllegalArgumentException("policy: '" + policy + "' is none of " + POLICIES);
            }
            Duration runFor = null;
            if (given.containsKey("seconds")) {
                try {
                    runFor = Duration.ofSeconds(Long.parseLong(given.get("seconds").trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("seconds: '" + given.get("seconds") + "' is not a number", e);
                }
            }
            return new Options(user, server("primary", given.getOrDefault("primary", "127.0.0.1:5060")),
                    server("backup", given.getOrDefault("backup", "127.0.0.2:5060")),
                    Transport.parse(given.getOrDefault("transport", "udp")), policy,
                    given.getOrDefault("local-address", "127.0.0.1"),
                    Path.of(given.getOrDefault("data-dir",
                            Path.of(system.getProperty("user.home", "."), ".sip-failover-example").toString())),
                    credentials, runFor);
        }

        private static ServerAddress server(String name, String text) {
            try {
                return ServerAddress.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }
    }
}
