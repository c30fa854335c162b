// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.sipfailover.testkit.paxexam.FelixOptions.reactorBundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineEvents;
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
 * The lines bundle in Felix: a line written as a ConfigAdmin factory configuration registers at a real
 * Kamailio through the outbound bundle with the policy bundle's {@code aastra} policy, publishes its
 * LineStatus service and EventAdmin events, fails over to the backup Kamailio when the primary is killed,
 * and survives the policy bundle and the lines bundle being stopped, updated and started while registered:
 * the binding at the registrar never goes away.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LinesIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
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
    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Configuration
    public Option[] config() {
        return options(
                ReactorBundles.felixWithSipServers("felix-lines"),
                FelixOptions.linesInFelix(),
                // a vendor file dropped into a watched folder becomes a registered line
                FelixOptions.fileInstallWatching(watched()),
                reactorBundle("config-audiocodes"));
    }

    /** The folder FileInstall watches in the framework. */
    private static Path watched() {
        return Path.of(workDir()).toAbsolutePath().resolve("lines-watched");
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
        Dictionary<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, LineEvents.TOPIC_PREFIX + "*");
        context.registerService(EventHandler.class, events::add, topics);
    }

    @After
    public void stop() throws Exception {
        try {
            if (line != null) {
                line.delete();
            }
            for (Bundle b : context.getBundles()) {
                if (b.getSymbolicName() != null
                        && b.getSymbolicName().startsWith("org.sipfailover")
                        && b.getState() != Bundle.ACTIVE) {
                    b.start();
                }
            }
        } finally {
            lines.close();
            primary.close();
            backup.close();
        }
    }

    /**
     * An AudioCodes 400HD file dropped into the watched folder: its line registers at the primary Kamailio
     * (the file names it with its port); the file removed, the line goes and leaves the registrar.
     */
    @Test
    public void aVendorFileDroppedInTheWatchedFolderRegistersItsLineAndItsRemovalUnregistersIt() throws Exception {
        Path file = Path.of(workDir()).toAbsolutePath().resolve("lines-watched").resolve("00908f000001.cfg");
        String text = String.join(
                "\n",
                "voip/line/0/enabled=1",
                "voip/line/0/id=3101",
                "voip/line/0/auth_name=3101",
                "voip/line/0/auth_password=secret-3101",
                "voip/signalling/sip/use_proxy=1",
                "voip/signalling/sip/proxy_address=127.0.0.1",
                "voip/signalling/sip/proxy_port=" + primary.port(),
                "voip/signalling/sip/use_proxy_ip_port_for_registrar=1",
                "voip/signalling/sip/redundant_proxy/enabled=1",
                "voip/signalling/sip/redundant_proxy/address=127.0.0.2",
                "voip/signalling/sip/redundant_proxy/port=" + backup.port(),
                "voip/signalling/sip/redundant_proxy/keep_alive_period=2",
                "voip/signalling/sip/redundant_proxy/symmetric_mode=0",
                "voip/signalling/sip/transport_protocol=TCP",
                "");
        Path tmp = file.resolveSibling("incoming.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        LineStatus line = registeredLine("audiocodes-00908f000001-line0");
        assertEquals("redundant-asymmetric", line.policyName());
        Await.until(
                DEADLINE,
                () -> primary.bindings("3101@127.0.0.1"),
                b -> b.size() == 1,
                "the file's line bound at the primary");

        Files.delete(file);
        Await.until(
                DEADLINE,
                () -> primary.bindings("3101@127.0.0.1"),
                List::isEmpty,
                "the line unregistered once its file is gone");
        Await.until(
                DEADLINE,
                () -> lines.getServices() == null
                        || java.util.Arrays.stream(lines.getServices())
                                .noneMatch(l -> ((LineStatus) l).lineId().equals(line.lineId())),
                b -> b,
                "the line gone");
    }

    private void writeLine() throws IOException {
        LineConfig c = LineConfig.builder("alice")
                .user("1001")
                .server(ServerRole.PROXY, Rank.PRIMARY, new ServerAddress("127.0.0.1", primary.port(), null))
                .server(ServerRole.PROXY, Rank.BACKUP, new ServerAddress("127.0.0.2", backup.port(), null))
                .transport(Transport.TCP)
                .sipOutbound(true)
                .policy("aastra")
                .keepAliveInterval(Duration.ofSeconds(5))
                .pongTimeout(Duration.ofSeconds(1))
                .probeInterval(Duration.ofSeconds(1))
                .recovery(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build();
        line = configAdmin.getFactoryConfiguration(LineConfig.FACTORY_PID, "alice", "?");
        line.update(new Hashtable<>(LinePropertiesCodec.write(c)));
    }

    private LineStatus registeredLine(String id) {
        return Await.until(
                DEADLINE,
                () -> {
                    Object[] all = lines.getServices();
                    return all == null
                            ? null
                            : java.util.Arrays.stream(all)
                                    .map(LineStatus.class::cast)
                                    .filter(l -> l.lineId().equals(id) && l.isRegistered())
                                    .findFirst()
                                    .orElse(null);
                },
                s -> s != null,
                "a registered line " + id);
    }

    @Test
    public void aConfiguredLineRegistersFailsOverAndOutlivesItsPolicyAndItsOwnBundle() throws Exception {
        writeLine();
        LineStatus status = registeredLine("alice");
        assertEquals("alice", status.lineId());
        assertEquals("aastra", status.policyName());
        Binding bound = Await.until(
                        DEADLINE, () -> primary.bindings(AOR_PRIMARY), b -> b.size() == 1, "a binding at the primary")
                .get(0);
        ServiceReference<LineStatus> ref = java.util.Arrays.stream(lines.getServiceReferences())
                .filter(r -> "alice".equals(r.getProperty(LineEvents.LINE_ID)))
                .findFirst()
                .orElseThrow();
        assertEquals("alice", context.getService(ref).lineId());
        Await.until(
                DEADLINE,
                () -> events.stream().anyMatch(e -> e.getTopic().equals(LineEvents.TOPIC_REGISTERED)),
                b -> b,
                "a REGISTERED event");

        // the policy bundle goes away: the line keeps its binding, and takes the policy back when it returns
        Bundle policy = ReactorBundles.installed(context, "org.sipfailover.policy");
        policy.stop();
        Await.until(DEADLINE, status::policyName, n -> n.startsWith("none"), "the line without a policy");
        assertEquals(1, primary.bindings(AOR_PRIMARY).size());
        policy.start();
        Await.until(DEADLINE, status::policyName, "aastra"::equals, "the policy back");
        assertEquals(bound.cseq(), primary.bindings(AOR_PRIMARY).get(0).cseq());

        // the lines bundle is updated: the next line instance takes the binding over, never removed meanwhile
        Bundle linesBundle = ReactorBundles.installed(context, "org.sipfailover.lines");
        linesBundle.update();
        registeredLine("alice");
        assertEquals(1, primary.bindings(AOR_PRIMARY).size());
        assertEquals(bound.instance(), primary.bindings(AOR_PRIMARY).get(0).instance());

        // kill -9 of the primary: the backup AOR is registered at the backup
        primary.kill();
        Await.until(DEADLINE, () -> backup.bindings(AOR_BACKUP), b -> b.size() == 1, "a binding at the backup");
        Await.until(
                DEADLINE,
                () -> events.stream()
                        .anyMatch(e -> e.getTopic().equals(LineEvents.TOPIC_TRANSITION)
                                && String.valueOf(e.getProperty(LineEvents.TO)).contains("proxy=backup")),
                b -> b,
                "a TRANSITION event to the backup");
        assertTrue(registeredLine("alice").placement().toString().contains("proxy=backup"));
    }
}
