// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;
import static org.sipfailover.testkit.paxexam.FelixOptions.reactorBundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.felix.fileinstall.ArtifactInstaller;
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
import org.osgi.util.tracker.ServiceTracker;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.config.common.LinePropertiesCodec;

/**
 * The config-aastra bundle in Felix with FileInstall, ConfigAdmin and SCR: the example pair
 * ({@code aastra.cfg} and {@code 00085D1A2B3C.cfg}) dropped into the watched folder becomes one
 * {@code org.sipfailover.line} factory configuration per phone line; a change to the MAC file updates the
 * changed line only, a change to {@code aastra.cfg} updates only the line that uses the global network set;
 * deleting the MAC file deletes its lines. FileInstall's own {@code *.cfg} installer never gets the files.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AastraConfigIT {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String WATCHED = "itest.aastra.watched";
    private static final String SCRATCH = "itest.aastra.scratch";
    private static final String EXAMPLES = "itest.aastra.examples";
    private static final String SOURCE = "sipfailover.source";
    private static final String MAC = "00085D1A2B3C.cfg";
    private static final String LINE1 = "aastra-00085d1a2b3c-line1";
    private static final String LINE2 = "aastra-00085d1a2b3c-line2";
    private static final String COMPONENT = "org.sipfailover.config.aastra.internal.AastraInstaller";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        // runs on the driver: a fresh watched folder, and a scratch folder that FileInstall does not watch
        Path workdir =
                Path.of(System.getProperty("itest.workdir", "target/itest")).toAbsolutePath();
        Path watched = fresh(workdir.resolve("aastra-watched"));
        Path scratch = fresh(workdir.resolve("aastra-scratch"));
        Path examples = Path.of(System.getProperty("itest.examples", "../examples"), "aastra")
                .toAbsolutePath()
                .normalize();
        return options(
                systemProperty(WATCHED).value(watched.toString()),
                systemProperty(SCRATCH).value(scratch.toString()),
                systemProperty(EXAMPLES).value(examples.toString()),
                workingDirectory(workdir.resolve("felix-aastra").toString()),
                cleanCaches(true),
                frameworkProperty("felix.fileinstall.dir").value(watched.toString()),
                frameworkProperty("felix.fileinstall.poll").value("100"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                junitBundles(),
                mavenBundle("org.slf4j", "slf4j-api").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.fileinstall").versionAsInProject(),
                reactorBundle("api"),
                reactorBundle("config-aastra"));
    }

    @Test
    public void theExamplePairBecomesItsLinesFollowsChangesAndGoesAway() throws Exception {
        installer(); // FileInstall asks it before its own installer once it is there
        Path watched = Path.of(System.getProperty(WATCHED));
        Path examples = Path.of(System.getProperty(EXAMPLES));
        String global = Files.readString(examples.resolve("aastra.cfg"));
        String mac = Files.readString(examples.resolve(MAC));

        drop(watched.resolve("aastra.cfg"), global);
        drop(watched.resolve(MAC), mac);
        Map<String, org.osgi.service.cm.Configuration> lines = Await.until(
                DEADLINE,
                this::aastraLines,
                m -> m.keySet().equals(Set.of(LINE1, LINE2)),
                "the two lines of the example pair");

        Map<String, Object> line1 = properties(lines.get(LINE1));
        assertEquals(watched.resolve(MAC).toAbsolutePath().normalize().toString(), line1.get(SOURCE));
        assertArrayEquals(new String[] {"aastra.cfg", MAC}, (String[]) line1.get("aastra.files"));
        assertEquals("1001", line1.get(LineProperties.USER));
        assertEquals("Front Desk", line1.get(LineProperties.DISPLAY_NAME));
        assertEquals("1001", line1.get(LineProperties.AUTH_NAME));
        assertEquals("s3cret-1001", line1.get(LineProperties.PASSWORD));
        assertEquals("127.0.0.1:5060", line1.get("proxy"));
        assertEquals("127.0.0.2:5060", line1.get("proxy.backup"));
        assertEquals("127.0.0.1:5060", line1.get("registrar"));
        assertEquals("127.0.0.2:5060", line1.get("registrar.backup"));
        assertEquals("127.0.0.1:5060", line1.get("outboundProxy"));
        assertEquals("127.0.0.2:5060", line1.get("outboundProxy.backup"));
        assertEquals("tcp", line1.get(LineProperties.TRANSPORT));
        assertEquals(Boolean.TRUE, line1.get(LineProperties.SIP_OUTBOUND));
        assertEquals("aastra", line1.get(LineProperties.POLICY));
        assertEquals("300", line1.get(LineProperties.REGISTRATION_PERIOD));
        assertEquals("x+#|xx+*", line1.get(LineProperties.EXTRA_PREFIX + "sip dial plan"));
        assertArrayEquals(new String[] {"sip dial plan"}, (String[]) line1.get("aastra.locked"));
        // what the lines bundle will read
        LineConfig c1 = LinePropertiesCodec.read(line1, LINE1);
        assertEquals(
                List.of(
                        new SubscriptionConfig(SubscriptionKind.BLF, "1002", Duration.ofSeconds(600)),
                        new SubscriptionConfig(SubscriptionKind.MWI, "1001", Duration.ofSeconds(1800))),
                c1.subscriptions());
        assertFalse(c1.symmetricUdp());

        Map<String, Object> line2 = properties(lines.get(LINE2));
        assertEquals("1002", line2.get(LineProperties.USER));
        assertEquals("s3cret#1002", line2.get(LineProperties.PASSWORD));
        assertEquals("127.0.0.2:5060", line2.get("proxy.backup"));
        assertNull("line 2's own network set has no outbound proxy", line2.get("outboundProxy"));
        assertEquals("600", line2.get(LineProperties.REGISTRATION_PERIOD));
        assertTakenByNoOtherInstaller();

        // a change to line 2 in the MAC file: line 2 is updated, line 1 is not written at all
        long line1Changes = lines.get(LINE1).getChangeCount();
        long line2Changes = lines.get(LINE2).getChangeCount();
        drop(
                watched.resolve(MAC),
                mac.replace("sip line2 display name: \"Back Office\"", "sip line2 display name: Stock Room"));
        Await.until(
                DEADLINE,
                () -> properties(aastraLines().get(LINE2)).get(LineProperties.DISPLAY_NAME),
                "Stock Room"::equals,
                "line 2's new display name");
        Map<String, org.osgi.service.cm.Configuration> changed = aastraLines();
        assertEquals(line2Changes + 1, changed.get(LINE2).getChangeCount());
        assertEquals(line1Changes, changed.get(LINE1).getChangeCount());

        // a change to aastra.cfg: line 1 uses the global network set and is updated; line 2 has its own
        line2Changes = changed.get(LINE2).getChangeCount();
        drop(
                watched.resolve("aastra.cfg"),
                global.replace("sip registration period: 300", "sip registration period: 900"));
        Await.until(
                DEADLINE,
                () -> properties(aastraLines().get(LINE1)).get(LineProperties.REGISTRATION_PERIOD),
                "900"::equals,
                "line 1's new registration period");
        changed = aastraLines();
        assertEquals(line1Changes + 1, changed.get(LINE1).getChangeCount());
        assertEquals(line2Changes, changed.get(LINE2).getChangeCount());
        assertEquals("600", properties(changed.get(LINE2)).get(LineProperties.REGISTRATION_PERIOD));

        // the MAC file goes: so do its lines
        Files.delete(watched.resolve(MAC));
        Await.until(DEADLINE, this::aastraLines, Map::isEmpty, "the lines of the deleted file to go");
        Files.delete(watched.resolve("aastra.cfg"));
        assertTakenByNoOtherInstaller();
    }

    @Test
    public void onlyAastraFileNamesAreClaimed() throws Exception {
        ArtifactInstaller installer = installer();
        Path watched = Path.of(System.getProperty(WATCHED));
        Path scratch = Path.of(System.getProperty(SCRATCH));
        assertTrue(installer.canHandle(watched.resolve("aastra.cfg").toFile()));
        assertTrue(installer.canHandle(watched.resolve("startup.cfg").toFile()));
        assertTrue(installer.canHandle(watched.resolve("6757i.cfg").toFile()));
        assertTrue(installer.canHandle(watched.resolve("00085d1a2b3c.cfg").toFile()));
        assertFalse(installer.canHandle(watched.resolve("org.example.pid.cfg").toFile()));
        assertFalse(
                installer.canHandle(watched.resolve("00085D1A2B3C-local.cfg").toFile()));
        // with no folders configured, the name decides in any folder FileInstall hands over (not only in
        // felix.fileinstall.dir: Karaf's is etc/, and phone files go to deploy/)
        Path elsewhere = scratch.resolve("aastra.cfg");
        Files.writeString(elsewhere, "sip proxy ip: 127.0.0.1\n");
        assertTrue(installer.canHandle(elsewhere.toFile()));
        assertFalse(installer.canHandle(scratch.resolve("org.example.pid.cfg").toFile()));
    }

    @Test
    public void theBundleIsActiveAndItsInstallerRanksAboveFileInstallsOwn() throws Exception {
        Bundle bundle = ReactorBundles.installed(context, "org.sipfailover.config-aastra");
        assertEquals(Bundle.ACTIVE, bundle.getState());
        installer();
        ServiceReference<?>[] refs =
                context.getServiceReferences(ArtifactInstaller.class.getName(), "(component.name=" + COMPONENT + ")");
        assertNotNull(refs);
        assertEquals(100, refs[0].getProperty("service.ranking"));
    }

    // ---- helpers

    private ArtifactInstaller installer() throws InterruptedException, InvalidSyntaxException {
        ServiceTracker<ArtifactInstaller, ArtifactInstaller> t = new ServiceTracker<>(
                context,
                context.createFilter(
                        "(&(objectClass=" + ArtifactInstaller.class.getName() + ")(component.name=" + COMPONENT + "))"),
                null);
        t.open();
        try {
            ArtifactInstaller i = t.waitForService(DEADLINE.toMillis());
            assertNotNull("no Aastra ArtifactInstaller service", i);
            return i;
        } finally {
            t.close();
        }
    }

    /** The line configurations of the example phone, by name. */
    private Map<String, org.osgi.service.cm.Configuration> aastraLines() {
        try {
            org.osgi.service.cm.Configuration[] all =
                    configAdmin.listConfigurations("(service.factoryPid=" + LineConfig.FACTORY_PID + ")");
            Map<String, org.osgi.service.cm.Configuration> out = new TreeMap<>();
            for (org.osgi.service.cm.Configuration c : all == null ? new org.osgi.service.cm.Configuration[0] : all) {
                String name = c.getPid().substring(c.getPid().indexOf('~') + 1);
                if (name.startsWith("aastra-")) {
                    out.put(name, c);
                }
            }
            return out;
        } catch (IOException | InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** FileInstall's configuration installer made no configuration of the files (which hold passwords). */
    private void assertTakenByNoOtherInstaller() throws Exception {
        for (String pid : List.of("aastra", "00085D1A2B3C", "00085d1a2b3c")) {
            assertNull(pid, configAdmin.listConfigurations("(service.pid=" + pid + ")"));
        }
        org.osgi.service.cm.Configuration[] byFileInstall =
                configAdmin.listConfigurations("(felix.fileinstall.filename=*)");
        if (byFileInstall != null) {
            for (org.osgi.service.cm.Configuration c : byFileInstall) {
                String f = String.valueOf(c.getProperties().get("felix.fileinstall.filename"));
                assertFalse(c.getPid(), f.endsWith("aastra.cfg") || f.endsWith(MAC));
            }
        }
    }

    private static Map<String, Object> properties(org.osgi.service.cm.Configuration c) {
        if (c == null || c.getProperties() == null) {
            return Collections.emptyMap();
        }
        Dictionary<String, Object> d = c.getProperties();
        Map<String, Object> out = new HashMap<>();
        for (Enumeration<String> keys = d.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            out.put(k, d.get(k));
        }
        return out;
    }

    /**
     * Writes the file whole (FileInstall never sees half of it), with a modification time later than any it
     * had, so that a change of the same length is seen too.
     */
    private static void drop(Path file, String text) throws IOException {
        Path tmp = Path.of(System.getProperty(SCRATCH)).resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        FileTime later = FileTime.from(Instant.now().plusSeconds(2));
        if (Files.exists(file) && Files.getLastModifiedTime(file).compareTo(later) >= 0) {
            later = FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(2));
        }
        Files.setLastModifiedTime(tmp, later);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }
}
