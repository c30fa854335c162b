// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.examples.plainjava;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import org.sipfailover.embedded.SipFailover;

/**
 * sip-failover without OSGi: one line with a primary and a backup server, the way a host application without a
 * framework would do it. The jars of the bundles go on the class path; {@link SipFailover} (the embedded module,
 * a versioned API) wires what the bundles' components would:
 *
 * <ol>
 * <li>the resolver (dnsjava, the system's DNS servers);
 * <li>the flow manager (one JAIN-SIP stack, RFC 5626 flows) on a thread of its own;
 * <li>the failover policies (pure logic), chosen by the {@code policy.name} the line's configuration gives;
 * <li>the line, on a lane of its own, which asks the policy where to be and registers there.
 * </ol>
 *
 * What the line reports (transitions, registration, server health) is printed, one line of text per event.
 * {@link #close()} unregisters the line and stops everything.
 */
public final class PlainJavaExample implements AutoCloseable {

    private final SipFailover sipFailover;
    private final LineStatus line;

    private PlainJavaExample(SipFailover sipFailover, LineStatus line) {
        this.sipFailover = sipFailover;
        this.line = line;
    }

    /**
     * Wires the resolver, the flow manager, the policies and the line, and starts the line: it registers in the
     * background, at the primary first.
     *
     * @param out receives one line of text per line event
     * @throws IOException when the instance-id cannot be kept in the data folder
     * @throws IllegalArgumentException naming the setting when the SIP stack cannot start with the options
     */
    public static PlainJavaExample start(Options options, Consumer<String> out) throws IOException {
        // the instance-id and the line's placement are kept in the data folder, so that a restart is the same
        // device (RFC 5626 §4.1) and continues where the line was; the line's events come to us
        SipFailover sipFailover = SipFailover.builder()
                .dataDirectory(options.dataDir())
                .localAddress(options.localAddress())
                .onEvent((topic, properties) -> out.accept(describe(topic, properties)))
                .build();
        try {
            // the policy, a pure function the line asks where to be whenever something changes, is the one the
            // line's configuration names
            return new PlainJavaExample(sipFailover, sipFailover.addLine(lineConfig(options)));
        } catch (RuntimeException e) {
            sipFailover.close();
            throw e;
        }
    }

    /** The running line: its placement, live bindings, health and transitions. */
    public LineStatus line() {
        return line;
    }

    /**
     * Unregisters the line (the bindings are removed, the placement stays saved for the next start), waits for
     * that (at most 15 s), and stops the flow manager and the resolver. Idempotent.
     */
    @Override
    public void close() {
        sipFailover.close();
    }

    /**
     * The line: the primary server is proxy and registrar, so is the backup. Timers are short, for a demo: a
     * dead server shows within seconds, and the line returns to the primary 10 s after it is back.
     */
    static LineConfig lineConfig(Options o) {
        // Aastra phones and dual-flow use RFC 5626 SIP outbound; AudioCodes' redundant proxy does not
        boolean sipOutbound = !o.policy().startsWith("redundant-");
        return LineConfig.builder("example")
                .user(o.user())
                .credentials(o.credentials())
                .server(ServerRole.PROXY, Rank.PRIMARY, o.primary())
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, o.primary())
                .server(ServerRole.PROXY, Rank.BACKUP, o.backup())
                .server(ServerRole.REGISTRAR, Rank.BACKUP, o.backup())
                .transport(o.transport())
                .sipOutbound(sipOutbound)
                .policy(o.policy())
                .keepAliveInterval(Duration.ofSeconds(5))
                .pongTimeout(Duration.ofSeconds(2))
                .probeInterval(Duration.ofSeconds(5))
                .registrationPeriod(Duration.ofSeconds(300))
                .registrationRetry(Duration.ofSeconds(5))
                .registrationTimeoutRetry(Duration.ofSeconds(5))
                .recovery(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60))
                .failback(FailbackMode.IMMEDIATE, Duration.ofSeconds(10), Duration.ofSeconds(3600), true)
                .build();
    }

    /** One line of text for a line event, e.g. {@code TRANSITION   example: none -> proxy=primary ...}. */
    static String describe(String topic, Map<String, Object> p) {
        String kind =
                topic.startsWith(LineEvents.TOPIC_PREFIX) ? topic.substring(LineEvents.TOPIC_PREFIX.length()) : topic;
        String text = switch (kind) {
            case "TRANSITION" ->
                p.get(LineEvents.FROM) + " -> " + p.get(LineEvents.TO) + " (" + p.get(LineEvents.POLICY) + ": "
                        + p.get(LineEvents.CAUSE) + ")";
            case "REGISTERED" -> String.valueOf(p.get(LineEvents.TO));
            case "UNREGISTERED" -> String.valueOf(p.get(LineEvents.CAUSE));
            case "HEALTH" ->
                p.get(LineEvents.SERVER) + " is " + p.get(LineEvents.HEALTH) + " (" + p.get(LineEvents.CAUSE) + ")";
            default -> p.toString();
        };
        return String.format(Locale.ROOT, "%-12s %s: %s", kind, p.get(LineEvents.LINE_ID), text);
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
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            // Ctrl-C or SIGTERM: unregister before the JVM goes
                            example.close();
                            System.out.println("stopped: bindings removed, flows closed");
                            stopped.countDown();
                        },
                        "sip-failover-example-stop"));
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
    public record Options(
            String user,
            ServerAddress primary,
            ServerAddress backup,
            Transport transport,
            String policy,
            String localAddress,
            Path dataDir,
            Credentials credentials,
            Duration runFor) {

        /** The policies the example can use, by {@code policy.name}. */
        public static final List<String> POLICIES =
                List.of("aastra", "redundant-asymmetric", "redundant-symmetric", "dual-flow");
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

        private static final List<String> NAMES = List.of(
                "primary",
                "backup",
                "user",
                "auth-name",
                "transport",
                "policy",
                "local-address",
                "data-dir",
                "seconds");

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
            Credentials credentials =
                    password == null ? null : new Credentials(given.getOrDefault("auth-name", user), password);
            String policy = given.getOrDefault("policy", "aastra");
            if (!POLICIES.contains(policy)) {
                throw new IllegalArgumentException("policy: '" + policy + "' is none of " + POLICIES);
            }
            Duration runFor = null;
            if (given.containsKey("seconds")) {
                try {
                    runFor = Duration.ofSeconds(
                            Long.parseLong(given.get("seconds").trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("seconds: '" + given.get("seconds") + "' is not a number", e);
                }
            }
            return new Options(
                    user,
                    server("primary", given.getOrDefault("primary", "127.0.0.1:5060")),
                    server("backup", given.getOrDefault("backup", "127.0.0.2:5060")),
                    Transport.parse(given.getOrDefault("transport", "udp")),
                    policy,
                    given.getOrDefault("local-address", "127.0.0.1"),
                    Path.of(given.getOrDefault(
                            "data-dir",
                            Path.of(system.getProperty("user.home", "."), ".sip-failover-example")
                                    .toString())),
                    credentials,
                    runFor);
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
