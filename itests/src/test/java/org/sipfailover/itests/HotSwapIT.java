// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.sipfailover.testkit.paxexam.FelixOptions.reactorBundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.inject.Inject;
import org.apache.felix.fileinstall.ArtifactInstaller;
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
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.config.common.LinePropertiesCodec;
import org.sipfailover.testkit.paxexam.FelixOptions;
import org.sipfailover.testkit.sip.Binding;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * Hot swaps in Felix while three lines stay registered at a real Kamailio: one from an AudioCodes file that
 * FileInstall hands to the config-audiocodes adapter, and two written as {@code org.sipfailover.line}
 * factory configurations (one over UDP, one over TCP). One after the other: the policy bundle, the dns bundle
 * and the config adapter are each stopped, updated with the same jar and started again; the example
 * {@code sticky} policy bundle is installed into the running framework and every line is switched to it by
 * configuration; one line's failback settings change in place, another line's user changes. After each step
 * every line is checked at the registrar: the same single binding (contact, instance-id, Call-ID and CSeq: no
 * REGISTER, so no unregistration either, was sent), no transition and no UNREGISTERED event on the line, and
 * its {@link LineStatus} shows the step. Last, kill -9 of the primary: the lines, now under {@code sticky},
 * move to the backup, and {@code sticky} is the policy that moved them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PRIMARY = "127.0.0.1";
    private static final String BACKUP = "127.0.0.2";
    private static final String AUDIOCODES_FILE = "00908f00c0de.cfg";
    private static final String AUDIOCODES_LINE = "audiocodes-00908f00c0de-line0";
    private static final String STICKY = "sticky";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private Kamailio primary;
    private Kamailio backup;
    private ServiceTracker<LineStatus, LineStatus> lineTracker;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> written = new ArrayList<>();
    /** Line id to the user of its AOR. */
    private final Map<String, String> users = new HashMap<>();
    /** Line id to its binding at the primary, as last checked. */
    private final Map<String, Binding> bound = new HashMap<>();
    /** Line id to the transitions its LineStatus showed when last checked. */
    private final Map<String, List<LineTransition>> transitions = new HashMap<>();

    @Configuration
    public Option[] config() {
        return options(
                ReactorBundles.felixWithSipServers("felix-hotswap"),
                FelixOptions.linesInFelix(),
                // a vendor file dropped into a watched folder becomes a registered line
                FelixOptions.fileInstallWatching(watched()),
                reactorBundle("config-audiocodes"));
    }

    /** The folder FileInstall watches in the framework. */
    private static Path watched() {
        return Path.of(workDir()).toAbsolutePath().resolve("hotswap-watched");
    }

    private static String workDir() {
        return ReactorBundles.workDir();
    }

    @Before
    public void start() throws IOException {
        Path dir = Files.createDirectories(Path.of(workDir()));
        primary = Kamailio.start(
                KamailioConfig.builder().address(PRIMARY).build(), Files.createTempDirectory(dir, "hotswap-primary-"));
        backup = Kamailio.start(
                KamailioConfig.builder().address(BACKUP).build(), Files.createTempDirectory(dir, "hotswap-backup-"));
        lineTracker = new ServiceTracker<>(context, LineStatus.class, null);
        lineTracker.open();
        Dictionary<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, LineEvents.TOPIC_PREFIX + "*");
        context.registerService(EventHandler.class, events::add, topics);
    }

    @After
    public void stop() throws Exception {
        try {
            watched(); // the file goes, and its line with it
            for (String name : written) {
                org.osgi.service.cm.Configuration c = configuration(name);
                if (c != null) {
                    c.delete();
                }
            }
        } finally {
            lineTracker.close();
            primary.close();
            backup.close();
        }
    }

    @Test
    public void linesStayBoundThroughBundleSwapsANewPolicyAndConfigurationChangesAndTheNewPolicyFailsThemOver()
            throws Exception {
        // three lines at the primary: one from a vendor file, two from configurations
        dropAudioCodesFile(2);
        users.put(AUDIOCODES_LINE, "3101");
        writeLine("udp", "1001", Transport.UDP, "aastra");
        writeLine("tcp", "1002", Transport.TCP, "redundant-symmetric");
        for (String id : users.keySet()) {
            registered(id);
            Binding b = Await.until(
                            DEADLINE,
                            () -> primary.bindings(aor(id, PRIMARY)),
                            l -> l.size() == 1,
                            "one binding of " + id + " at the primary")
                    .get(0);
            bound.put(id, b);
            transitions.put(id, registered(id).transitions());
        }
        assertEquals("redundant-asymmetric", registered(AUDIOCODES_LINE).policyName());
        assertEquals("aastra", registered("udp").policyName());
        assertEquals("redundant-symmetric", registered("tcp").policyName());
        Map<String, String> policies =
                Map.of(AUDIOCODES_LINE, "redundant-asymmetric", "udp", "aastra", "tcp", "redundant-symmetric");

        // 1. the policy bundle stopped, updated with the same jar and started: the lines wait without a policy,
        //    keeping their bindings, and take theirs back
        Bundle policy = ReactorBundles.installed(context, "org.sipfailover.policy");
        policy.stop();
        for (String id : users.keySet()) {
            Await.until(
                    DEADLINE, () -> registered(id).policyName(), n -> n.startsWith("none"), id + " without a policy");
        }
        assertStillBound("policy bundle stopped");
        update(policy, "policy");
        policy.start();
        for (String id : users.keySet()) {
            Await.until(
                    DEADLINE,
                    () -> registered(id).policyName(),
                    policies.get(id)::equals,
                    id + "'s policy back from the updated bundle");
        }
        assertTrue(registeredServices(policy, FailoverPolicy.class) >= 4);
        assertStillBound("policy bundle updated and started");

        // 2. the dns bundle: live flows do not need it; the resolver comes back from the new revision
        Bundle dns = ReactorBundles.installed(context, "org.sipfailover.dns");
        dns.stop();
        assertStillBound("dns bundle stopped");
        update(dns, "dns");
        dns.start();
        Await.until(
                DEADLINE,
                () -> registeredServices(dns, ServerResolver.class),
                n -> n == 1,
                "the resolver of the updated dns bundle");
        assertStillBound("dns bundle updated and started");

        // 3. the config adapter: its line configurations stay while it is away, untouched, and the line with them;
        //    the updated adapter takes the file over and applies a change to it
        Bundle adapter = ReactorBundles.installed(context, "org.sipfailover.config-audiocodes");
        long changes = configuration(AUDIOCODES_LINE).getChangeCount();
        adapter.stop();
        assertNotNull("the adapter's line configuration outlives the adapter", configuration(AUDIOCODES_LINE));
        assertStillBound("config adapter stopped");
        update(adapter, "config-audiocodes");
        adapter.start();
        Await.until(
                DEADLINE,
                () -> registeredServices(adapter, ArtifactInstaller.class),
                n -> n == 1,
                "the installer of the updated adapter");
        assertEquals(
                "the updated adapter rewrote nothing",
                changes,
                configuration(AUDIOCODES_LINE).getChangeCount());
        assertStillBound("config adapter updated and started");
        dropAudioCodesFile(3);
        Await.until(
                DEADLINE,
                () -> registered(AUDIOCODES_LINE).config().probeInterval(),
                Duration.ofSeconds(3)::equals,
                "the file's new keep-alive period through the updated adapter");
        assertStillBound("the file changed under the updated adapter");

        // 4. a new policy bundle installed into the running framework; every line switched to it by configuration
        Bundle sticky;
        try (InputStream in = Files.newInputStream(jar("example-custom-policy"))) {
            sticky = context.installBundle("hotswap:example-custom-policy", in);
        }
        sticky.start();
        Await.until(
                DEADLINE,
                () -> registeredServices(sticky, FailoverPolicy.class),
                n -> n == 1,
                "the sticky policy service");
        // the file's line too, in ConfigAdmin (the adapter would put the file's policy back at the file's next change)
        for (String id : users.keySet()) {
            reconfigure(id, p -> p.put(LineProperties.POLICY, STICKY));
        }
        for (String id : users.keySet()) {
            Await.until(DEADLINE, () -> registered(id).policyName(), STICKY::equals, id + " under sticky");
            assertEquals(STICKY, registered(id).config().policy());
        }
        assertStillBound("lines switched to sticky");

        // 5. an in-place change (failback settings), then a change that needs a new registration (the user)
        reconfigure("udp", p -> {
            p.put(LineProperties.FAILBACK_HOLD_OFF, "45");
            p.put(LineProperties.FAILBACK_MODE, "never");
        });
        Await.until(
                DEADLINE,
                () -> registered("udp").config().failbackHoldOff(),
                Duration.ofSeconds(45)::equals,
                "udp's new failback hold-off");
        assertEquals(
                org.sipfailover.api.config.FailbackMode.NEVER,
                registered("udp").config().failbackMode());
        assertStillBound("udp's failback settings changed in place");

        Binding old = bound.get("tcp");
        reconfigure("tcp", p -> p.put(LineProperties.USER, "1003"));
        Await.until(DEADLINE, () -> registered("tcp").config().user(), "1003"::equals, "tcp's new user");
        Await.until(DEADLINE, () -> primary.bindings("1002@" + PRIMARY), List::isEmpty, "1002's binding removed");
        users.put("tcp", "1003");
        Binding renewed = Await.until(
                        DEADLINE,
                        () -> primary.bindings(aor("tcp", PRIMARY)),
                        l -> l.size() == 1,
                        "1003's binding at the primary")
                .get(0);
        assertEquals("the same instance-id registers the new AOR", old.instance(), renewed.instance());
        assertEquals(STICKY, registered("tcp").policyName());
        bound.put("tcp", renewed);
        transitions.put("tcp", registered("tcp").transitions());
        assertStillBound("tcp's user changed");

        // the primary killed: sticky moves every line to the backup
        primary.kill();
        for (String id : users.keySet()) {
            Await.until(
                    DEADLINE, () -> backup.bindings(aor(id, BACKUP)), l -> l.size() == 1, id + " bound at the backup");
            LineStatus s = Await.until(
                    DEADLINE,
                    () -> registered(id),
                    l -> l.placement().activeBinding().orElseThrow().proxy() == Rank.BACKUP && l.isRegistered(),
                    id + " registered on the backup");
            LineTransition last = s.transitions().get(s.transitions().size() - 1);
            assertEquals(id + " moved by sticky", STICKY, last.policy());
            assertEquals(Rank.BACKUP, last.to().activeBinding().orElseThrow().proxy());
        }
        Await.until(
                DEADLINE,
                () -> events.stream()
                        .filter(e -> e.getTopic().equals(LineEvents.TOPIC_TRANSITION)
                                && STICKY.equals(e.getProperty(LineEvents.POLICY))
                                && String.valueOf(e.getProperty(LineEvents.TO)).contains("proxy=backup"))
                        .map(e -> e.getProperty(LineEvents.LINE_ID))
                        .distinct()
                        .count(),
                n -> n == users.size(),
                "a TRANSITION event by sticky to the backup for every line");
    }

    // ---- checks

    /**
     * Every line is registered, with the one binding at the primary that it had at the last check: the same
     * contact, instance-id, Call-ID and CSeq, so no REGISTER was sent meanwhile (an unregistration is one); no
     * new transition on the line, and no UNREGISTERED event for any line so far.
     */
    private void assertStillBound(String step) {
        for (String id : users.keySet()) {
            LineStatus s = registered(id);
            assertTrue(step + ": " + id + " registered", s.isRegistered());
            assertEquals(step + ": " + id + " transitions", transitions.get(id), s.transitions());
            List<Binding> now = primary.bindings(aor(id, PRIMARY));
            assertEquals(step + ": " + id + " bindings at the primary " + now, 1, now.size());
            Binding before = bound.get(id);
            Binding b = now.get(0);
            assertEquals(step + ": " + id + " contact", before.contact(), b.contact());
            assertEquals(step + ": " + id + " instance", before.instance(), b.instance());
            assertEquals(step + ": " + id + " Call-ID", before.callId(), b.callId());
            assertEquals(step + ": " + id + " CSeq: no REGISTER", before.cseq(), b.cseq());
        }
        List<Object> unregistered = events.stream()
                .filter(e -> e.getTopic().equals(LineEvents.TOPIC_UNREGISTERED))
                .map(e -> e.getProperty(LineEvents.LINE_ID) + ": " + e.getProperty(LineEvents.CAUSE))
                .map(Object.class::cast)
                .toList();
        assertEquals(step + ": UNREGISTERED events", List.of(), unregistered);
    }

    /** The LineStatus service of a line; waits until there is one and it is registered. */
    private LineStatus registered(String id) {
        return Await.until(
                DEADLINE,
                () -> {
                    Object[] all = lineTracker.getServices();
                    return all == null
                            ? null
                            : Arrays.stream(all)
                                    .map(LineStatus.class::cast)
                                    .filter(l -> l.lineId().equals(id) && l.isRegistered())
                                    .findFirst()
                                    .orElse(null);
                },
                Objects::nonNull,
                "a registered line " + id);
    }

    private String aor(String id, String domain) {
        return users.get(id) + "@" + domain;
    }

    private static int registeredServices(Bundle b, Class<?> type) {
        ServiceReference<?>[] refs = b.getRegisteredServices();
        if (refs == null) {
            return 0;
        }
        int n = 0;
        for (ServiceReference<?> r : refs) {
            if (Arrays.asList((String[]) r.getProperty(org.osgi.framework.Constants.OBJECTCLASS))
                    .contains(type.getName())) {
                n++;
            }
        }
        return n;
    }

    // ---- steps

    /** Updates a stopped bundle from its jar, the same one it was installed from. */
    private static void update(Bundle b, String artifactId) throws Exception {
        long before = b.getLastModified();
        try (InputStream in = Files.newInputStream(jar(artifactId))) {
            b.update(in);
        }
        assertTrue(b.getSymbolicName() + " updated", b.getLastModified() > before);
        assertFalse(b.getSymbolicName() + " stays stopped after an update", b.getState() == Bundle.ACTIVE);
    }

    private static Path jar(String artifactId) {
        String jar = System.getProperty("itest.bundle." + artifactId);
        assertNotNull("system property itest.bundle." + artifactId, jar);
        return Path.of(jar);
    }

    private void writeLine(String id, String user, Transport transport, String policy) throws IOException {
        users.put(id, user);
        LineConfig c = LineConfig.builder(id)
                .user(user)
                .server(ServerRole.PROXY, Rank.PRIMARY, new ServerAddress(PRIMARY, primary.port(), null))
                .server(ServerRole.PROXY, Rank.BACKUP, new ServerAddress(BACKUP, backup.port(), null))
                .transport(transport)
                .sipOutbound(true)
                .policy(policy)
                .keepAliveInterval(Duration.ofSeconds(2))
                .pongTimeout(Duration.ofSeconds(1))
                .probeInterval(Duration.ofSeconds(1))
                .registrationPeriod(Duration.ofSeconds(900))
                .recovery(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build();
        configAdmin
                .getFactoryConfiguration(LineConfig.FACTORY_PID, id, "?")
                .update(new Hashtable<>(LinePropertiesCodec.write(c)));
        written.add(id);
    }

    /** Changes a line's configuration in ConfigAdmin, whoever wrote it. */
    private void reconfigure(String id, Consumer<Dictionary<String, Object>> change) throws IOException {
        org.osgi.service.cm.Configuration c = configuration(id);
        assertNotNull("the configuration of " + id, c);
        Dictionary<String, Object> p = c.getProperties();
        change.accept(p);
        c.update(p);
    }

    private org.osgi.service.cm.Configuration configuration(String name) throws IOException {
        try {
            org.osgi.service.cm.Configuration[] found =
                    configAdmin.listConfigurations("(service.pid=" + LineConfig.FACTORY_PID + "~" + name + ")");
            return found == null ? null : found[0];
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Writes the AudioCodes file whole into the watched folder, with a modification time later than the one it
     * had, so that FileInstall sees a change of the same length too.
     */
    private void dropAudioCodesFile(int keepAliveSeconds) throws IOException {
        Path work = Path.of(workDir()).toAbsolutePath();
        Path file = work.resolve("hotswap-watched").resolve(AUDIOCODES_FILE);
        String text = String.join(
                "\n",
                "voip/line/0/enabled=1",
                "voip/line/0/id=3101",
                "voip/line/0/auth_name=3101",
                "voip/line/0/auth_password=secret-3101",
                "voip/signalling/sip/use_proxy=1",
                "voip/signalling/sip/proxy_address=" + PRIMARY,
                "voip/signalling/sip/proxy_port=" + primary.port(),
                "voip/signalling/sip/use_proxy_ip_port_for_registrar=1",
                "voip/signalling/sip/proxy_timeout=900",
                "voip/signalling/sip/redundant_proxy/enabled=1",
                "voip/signalling/sip/redundant_proxy/address=" + BACKUP,
                "voip/signalling/sip/redundant_proxy/port=" + backup.port(),
                "voip/signalling/sip/redundant_proxy/keep_alive_period=" + keepAliveSeconds,
                "voip/signalling/sip/redundant_proxy/symmetric_mode=0",
                "voip/signalling/sip/transport_protocol=TCP",
                "");
        // written next to the folder, not in it, so that FileInstall never sees half of it
        Path tmp = Files.createDirectories(work.resolve("hotswap-scratch")).resolve(AUDIOCODES_FILE + ".tmp");
        Files.writeString(tmp, text);
        FileTime later = FileTime.from(Instant.now().plusSeconds(2));
        if (Files.exists(file) && Files.getLastModifiedTime(file).compareTo(later) >= 0) {
            later = FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(2));
        }
        Files.setLastModifiedTime(tmp, later);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
