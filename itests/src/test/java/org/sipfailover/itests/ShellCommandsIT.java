// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.sipfailover.testkit.paxexam.FelixOptions.reactorBundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.config.common.LinePropertiesCodec;
import org.sipfailover.testkit.paxexam.FelixOptions;
import org.sipfailover.testkit.sip.Binding;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * The shell bundle's commands in Felix, run through Gogo's {@link CommandProcessor} as an operator types them,
 * on a line written to ConfigAdmin that registers at a real Kamailio (primary on 127.0.0.1, backup on
 * 127.0.0.2): {@code flows} shows its flow's CRLF keep-alive, {@code policies} the four policies,
 * {@code policy} switches the line's policy through its configuration without a new line or a new
 * registration, {@code failover} and {@code failback} move the binding between the Kamailios, and
 * {@code transitions} shows both moves with their causes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String LINE = "alice";
    private static final String AOR_PRIMARY = "1001@127.0.0.1";
    private static final String AOR_BACKUP = "1001@127.0.0.2";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private Kamailio primary;
    private Kamailio backup;
    private org.osgi.service.cm.Configuration line;
    private ServiceTracker<LineStatus, LineStatus> lines;

    @Configuration
    public Option[] config() {
        return options(
                ReactorBundles.felixWithSipServers("felix-shell"),
                FelixOptions.linesInFelix(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
                reactorBundle("shell"));
    }

    private static String workDir() {
        return ReactorBundles.workDir();
    }

    @Before
    public void start() throws IOException {
        Path dir = Files.createDirectories(Path.of(workDir()));
        primary = Kamailio.start(
                KamailioConfig.builder().address("127.0.0.1").build(),
                Files.createTempDirectory(dir, "kamailio-primary-"));
        backup = Kamailio.start(
                KamailioConfig.builder().address("127.0.0.2").build(),
                Files.createTempDirectory(dir, "kamailio-backup-"));
        lines = new ServiceTracker<>(context, LineStatus.class, null);
        lines.open();
    }

    @After
    public void stop() throws Exception {
        try {
            if (line != null) {
                line.delete();
                Await.until(DEADLINE, () -> lineServices().isEmpty(), b -> b, "the line gone");
            }
        } finally {
            lines.close();
            primary.close();
            backup.close();
        }
    }

    /** A TCP line over SIP outbound with a 1 s keep-alive (the Kamailios give no Flow-Timer), policy aastra. */
    private void writeLine() throws IOException {
        LineConfig c = LineConfig.builder(LINE)
                .user("1001")
                .server(ServerRole.PROXY, Rank.PRIMARY, new ServerAddress("127.0.0.1", primary.port(), null))
                .server(ServerRole.PROXY, Rank.BACKUP, new ServerAddress("127.0.0.2", backup.port(), null))
                .transport(Transport.TCP)
                .sipOutbound(true)
                .policy("aastra")
                .keepAliveInterval(Duration.ofSeconds(1))
                .pongTimeout(Duration.ofSeconds(1))
                .probeInterval(Duration.ofSeconds(1))
                .recovery(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build();
        line = configAdmin.getFactoryConfiguration(LineConfig.FACTORY_PID, LINE, "?");
        line.update(new Hashtable<>(LinePropertiesCodec.write(c)));
    }

    private List<ServiceReference<LineStatus>> lineServices() {
        ServiceReference<LineStatus>[] refs = lines.getServiceReferences();
        return refs == null ? List.of() : Arrays.stream(refs).toList();
    }

    private LineStatus registeredLine() {
        return Await.until(
                DEADLINE,
                () -> {
                    Object[] all = lines.getServices();
                    return all == null
                            ? null
                            : Arrays.stream(all)
                                    .map(LineStatus.class::cast)
                                    .filter(l -> l.lineId().equals(LINE) && l.isRegistered())
                                    .findFirst()
                                    .orElse(null);
                },
                s -> s != null,
                "a registered line " + LINE);
    }

    @Test
    public void theCommandsShowFlowsAndPoliciesSwitchThePolicyAndDrillFailoverAndFailback() throws Exception {
        writeLine();
        LineStatus status = registeredLine();
        Binding bound = Await.until(
                        DEADLINE, () -> primary.bindings(AOR_PRIMARY), b -> b.size() == 1, "a binding at the primary")
                .get(0);

        // flows: the line's flow to the primary, up, kept alive with CRLF every second, a pong seen
        String target = "127.0.0.1:" + primary.port() + " tcp";
        String[] flow = Await.until(
                DEADLINE,
                () -> row(shown("sipfailover:flows"), target),
                r -> r.length == 9 && r[5].endsWith(" ago"),
                "a flow to " + target + " with a pong");
        assertEquals(List.of(target, "UP", "CRLF", "1 s"), List.of(flow).subList(0, 4));
        assertTrue(flow[4], flow[4].endsWith(" ago"));
        assertEquals(List.of(LINE, "primary proxy", "1"), List.of(flow).subList(6, 9));

        // policies: the policy bundle's four, aastra deciding for the one line
        String policies = gogo("sipfailover:policies");
        for (String name : List.of("aastra", "redundant-asymmetric", "redundant-symmetric", "dual-flow")) {
            String[] r = row(policies, name);
            assertEquals(policies, name, r[0]);
            assertEquals(policies, "org.sipfailover.policy", r[3].split(" ")[0]);
            assertEquals(policies, name.equals("aastra") ? "1" : "0", r[4]);
        }

        // policy: through the line's configuration; the same line takes the new policy and stays registered
        long serviceId = (Long) lineServices().get(0).getProperty(Constants.SERVICE_ID);
        String switched = gogo("sipfailover:policy " + LINE + " redundant-symmetric");
        assertTrue(switched, switched.contains("policy aastra -> redundant-symmetric"));
        assertTrue(switched, !switched.contains("warning"));
        Await.until(DEADLINE, status::policyName, "redundant-symmetric"::equals, "the line on redundant-symmetric");
        assertEquals("redundant-symmetric", line.getProperties().get(LineProperties.POLICY));
        assertEquals(1, lineServices().size());
        assertEquals(serviceId, lineServices().get(0).getProperty(Constants.SERVICE_ID));
        assertSame(status, registeredLine());
        List<Binding> still = primary.bindings(AOR_PRIMARY);
        assertEquals(1, still.size());
        assertEquals(
                "the binding was not registered again",
                bound.cseq(),
                still.get(0).cseq());
        assertEquals(List.of(), backup.bindings(AOR_BACKUP));
        assertTrue(gogo("sipfailover:policies").contains("redundant-symmetric"));
        assertEquals("1", row(gogo("sipfailover:policies"), "redundant-symmetric")[4]);

        // failover: the drill moves the line to the backup Kamailio
        String failover = gogo("sipfailover:failover " + LINE);
        assertTrue(failover, failover.contains("asked policy redundant-symmetric to fail over"));
        Await.until(DEADLINE, () -> backup.bindings(AOR_BACKUP), b -> b.size() == 1, "a binding at the backup");
        Await.until(DEADLINE, () -> primary.bindings(AOR_PRIMARY), List::isEmpty, "the primary binding removed");
        String backupTarget = "127.0.0.2:" + backup.port() + " tcp";
        Await.until(
                DEADLINE,
                () -> row(shown("sipfailover:flows"), backupTarget),
                r -> r.length == 9 && r[1].equals("UP") && r[2].equals("CRLF"),
                "a flow up to " + backupTarget);

        // failback: and back to the primary
        String failback = gogo("sipfailover:failback " + LINE);
        assertTrue(failback, failback.contains("asked policy redundant-symmetric to fail back"));
        Await.until(
                DEADLINE, () -> primary.bindings(AOR_PRIMARY), b -> b.size() == 1, "a binding at the primary again");
        Await.until(DEADLINE, () -> backup.bindings(AOR_BACKUP), List::isEmpty, "the backup binding removed");

        // transitions: both moves, newest last, with the policy and the cause
        String transitions = gogo("sipfailover:transitions " + LINE);
        List<String> rows = transitions.lines().toList();
        String[] last = rows.get(rows.size() - 1).split(" {2,}");
        String[] before = rows.get(rows.size() - 2).split(" {2,}");
        assertEquals(transitions, "redundant-symmetric", before[4]);
        assertTrue(transitions, before[3].contains("proxy=backup") && before[5].contains("forced failover"));
        assertEquals(transitions, "redundant-symmetric", last[4]);
        assertTrue(transitions, last[3].contains("proxy=primary") && last[5].contains("forced failback"));
    }

    @Test
    public void unknownLinesAndPoliciesAreNamed() throws Exception {
        writeLine();
        LineStatus status = registeredLine();

        for (String command : List.of("failover", "failback", "transitions", "line")) {
            String message = gogoFailure("sipfailover:" + command + " nobody");
            assertTrue(message, message.contains("no line 'nobody'") && message.contains("[" + LINE + "]"));
        }
        String message = gogoFailure("sipfailover:policy nobody aastra");
        assertTrue(message, message.contains("no line 'nobody' is configured") && message.contains(LINE));

        // a policy nobody provides: done, with a warning; the line waits for it and keeps its binding
        String unknown = gogo("sipfailover:policy " + LINE + " no-such-policy");
        assertTrue(unknown, unknown.contains("policy aastra -> no-such-policy"));
        assertTrue(unknown, unknown.contains("warning: no failover policy named 'no-such-policy'"));
        Await.until(DEADLINE, status::policyName, n -> n.startsWith("none"), "the line without a policy");
        assertEquals(1, primary.bindings(AOR_PRIMARY).size());
        assertTrue(
                gogo("sipfailover:policies").contains("lines waiting for their policy: " + LINE + " (no-such-policy)"));
    }

    /** The row of a table whose first column is {@code first}, split into its columns; empty if none. */
    private static String[] row(String table, String first) {
        Optional<String> r = table.lines()
                .filter(l -> l.startsWith(first + " ") || l.equals(first))
                .findFirst();
        return r.map(l -> l.split(" {2,}")).orElse(new String[0]);
    }

    /** Runs a command line in a Gogo session; @return what the command returned, as text. */
    private String gogo(String commandLine) throws Exception {
        ServiceReference<CommandProcessor> ref = context.getServiceReference(CommandProcessor.class);
        assertNotNull("no Gogo CommandProcessor", ref);
        CommandProcessor processor = context.getService(ref);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
                Object result = session.execute(commandLine);
                return result == null ? out.toString() : result.toString();
            }
        } finally {
            context.ungetService(ref);
        }
    }

    /** For polls: what {@link #gogo} returns, or the failure as text. */
    private String shown(String commandLine) {
        try {
            return gogo(commandLine);
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Runs a command line that must fail; @return the failure's message. */
    private String gogoFailure(String commandLine) {
        try {
            String out = gogo(commandLine);
            fail(commandLine + " did not fail: " + out);
            return out;
        } catch (Exception e) {
            return String.valueOf(e.getMessage());
        }
    }
}
