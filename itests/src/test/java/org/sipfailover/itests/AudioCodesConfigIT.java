// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests;

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

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
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
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.config.common.LinePropertiesCodec;

/**
 * The config-audiocodes bundle in Felix with FileInstall, ConfigAdmin and SCR: the example AudioCodes file
 * dropped into the watched folder becomes one {@code org.sipfailover.line} factory configuration per
 * enabled phone line; a change to one line of the file updates that line's configuration only; deleting
 * the file deletes them. FileInstall's own {@code *.cfg} installer never gets the file, and Aastra files
 * are not claimed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AudioCodesConfigIT {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String WATCHED = "itest.audiocodes.watched";
    private static final String EXAMPLE = "itest.audiocodes.example";
    private static final String SCRATCH = "itest.audiocodes.scratch";
    private static final String SOURCE = "sipfailover.source";
    private static final String LINE0 = "audiocodes-00908f4c5d6e-line0";
    private static final String LINE1 = "audiocodes-00908f4c5d6e-line1";
    private static final String LINE2 = "audiocodes-00908f4c5d6e-line2";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws IOException {
        // runs on the driver: a fresh watched folder, and a scratch folder that FileInstall does not watch
        Path workdir =
                Path.of(System.getProperty("itest.workdir", "target/itest")).toAbsolutePath();
        Path watched = fresh(workdir.resolve("audiocodes-watched"));
        Path scratch = fresh(workdir.resolve("audiocodes-scratch"));
        Path example = Path.of(System.getProperty("itest.examples", "../examples"), "audiocodes", "00908f4c5d6e.cfg")
                .toAbsolutePath()
                .normalize();
        return options(
                systemProperty(WATCHED).value(watched.toString()),
                systemProperty(SCRATCH).value(scratch.toString()),
                systemProperty(EXAMPLE).value(example.toString()),
                workingDirectory(workdir.resolve("felix-audiocodes").toString()),
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
                reactorBundle("config-audiocodes"));
    }

    @Test
    public void theExampleFileBecomesItsLinesFollowsChangesAndGoesAway() throws Exception {
        installer(); // FileInstall asks it first once it is there
        Path watched = Path.of(System.getProperty(WATCHED));
        Path file = watched.resolve("00908f4c5d6e.cfg");
        String example = Files.readString(Path.of(System.getProperty(EXAMPLE)));

        drop(file, example);
        Map<String, org.osgi.service.cm.Configuration> lines = Await.until(
                DEADLINE,
                this::exampleLines,
                m -> m.keySet().equals(Set.of(LINE0, LINE1)),
                "the two enabled lines of the example");

        Map<String, Object> line0 = properties(lines.get(LINE0));
        assertEquals(file.toAbsolutePath().normalize().toString(), line0.get(SOURCE));
        assertEquals("2101", line0.get(LineProperties.USER));
        assertEquals("Front Desk", line0.get(LineProperties.DISPLAY_NAME));
        assertEquals("s3cret-2101", line0.get(LineProperties.PASSWORD));
        assertEquals("127.0.0.1:5060", line0.get("proxy"));
        assertEquals("127.0.0.2:5060", line0.get("proxy.backup"));
        assertEquals("127.0.0.3:5060", line0.get("outboundProxy"));
        assertEquals("udp", line0.get(LineProperties.TRANSPORT));
        assertEquals("redundant-asymmetric", line0.get(LineProperties.POLICY));
        assertEquals("20", line0.get(LineProperties.PROBE_INTERVAL));
        assertEquals("PRIVATE", line0.get(LineProperties.EXTRA_PREFIX + "voip/line/0/line_mode"));
        // what the lines bundle will read
        LineConfig c0 = LinePropertiesCodec.read(line0, LINE0);
        assertEquals(
                ServerAddress.of("127.0.0.2", 5060),
                c0.server(ServerRole.PROXY, Rank.BACKUP).orElseThrow());
        assertEquals(Duration.ofSeconds(300), c0.registrationPeriod());
        assertEquals(Duration.ofSeconds(45), c0.keepAliveInterval());
        assertEquals("2102", properties(lines.get(LINE1)).get(LineProperties.USER));
        assertTakenByNoOtherInstaller(file);

        // change line 1 only: line 1 is updated, line 0 is not written at all
        long line0Changes = lines.get(LINE0).getChangeCount();
        long line1Changes = lines.get(LINE1).getChangeCount();
        drop(file, example.replace("voip/line/1/description=Front Desk 2", "voip/line/1/description=Back Office"));
        Await.until(
                DEADLINE,
                () -> properties(exampleLines().get(LINE1)).get(LineProperties.DISPLAY_NAME),
                "Back Office"::equals,
                "line 1's new description");
        Map<String, org.osgi.service.cm.Configuration> changed = exampleLines();
        assertEquals(line1Changes + 1, changed.get(LINE1).getChangeCount());
        assertEquals(line0Changes, changed.get(LINE0).getChangeCount());

        // enable line 2, disable line 1
        drop(
                file,
                example.replace("voip/line/2/enabled=0", "voip/line/2/enabled=1")
                        .replace("voip/line/1/enabled=1", "voip/line/1/enabled=0"));
        Await.until(
                DEADLINE,
                () -> exampleLines().keySet(),
                k -> k.equals(Set.of(LINE0, LINE2)),
                "line 1 gone and line 2 there");
        assertEquals(line0Changes, exampleLines().get(LINE0).getChangeCount());

        Files.delete(file);
        Await.until(DEADLINE, this::exampleLines, Map::isEmpty, "the lines of the deleted file to go");
        assertTakenByNoOtherInstaller(file);
    }

    @Test
    public void aastraFilesAndPlainConfigurationFilesAreNotClaimed() throws Exception {
        ArtifactInstaller installer = installer();
        Path scratch = Path.of(System.getProperty(SCRATCH));
        String aastra = "sip proxy ip: 127.0.0.1\nsip line1 user name: 2101\nsip line1 password: s3cret\n";

        assertFalse(installer.canHandle(write(scratch.resolve("aastra.cfg"), aastra)));
        assertFalse(installer.canHandle(write(scratch.resolve("00085D1A2B3C.cfg"), aastra)));
        assertFalse(installer.canHandle(write(scratch.resolve("org.example.pid.cfg"), "a = b\n")));
        assertTrue(installer.canHandle(
                write(scratch.resolve("00908f4c5d6e.cfg"), Files.readString(Path.of(System.getProperty(EXAMPLE))))));
    }

    @Test
    public void theBundleIsActiveAndItsInstallerRanksAboveFileInstallsOwn() throws Exception {
        Bundle bundle = ReactorBundles.installed(context, "org.sipfailover.config-audiocodes");
        assertEquals(Bundle.ACTIVE, bundle.getState());
        installer();
        org.osgi.framework.ServiceReference<?>[] refs = context.getServiceReferences(
                ArtifactInstaller.class.getName(),
                "(component.name=org.sipfailover.config.audiocodes.internal.AudioCodesInstaller)");
        assertNotNull(refs);
        assertEquals(1000, refs[0].getProperty("service.ranking"));
    }

    // ---- helpers

    private ArtifactInstaller installer() throws InterruptedException, InvalidSyntaxException {
        ServiceTracker<ArtifactInstaller, ArtifactInstaller> t = new ServiceTracker<>(
                context,
                context.createFilter("(&(objectClass=" + ArtifactInstaller.class.getName()
                        + ")(component.name=org.sipfailover.config." + "audiocodes.internal.AudioCodesInstaller))"),
                null);
        t.open();
        try {
            ArtifactInstaller i = t.waitForService(DEADLINE.toMillis());
            assertNotNull("no AudioCodes ArtifactInstaller service", i);
            return i;
        } finally {
            t.close();
        }
    }

    /** The line configurations made from the example file, by name. */
    private Map<String, org.osgi.service.cm.Configuration> exampleLines() {
        try {
            org.osgi.service.cm.Configuration[] all =
                    configAdmin.listConfigurations("(service.factoryPid=" + LineConfig.FACTORY_PID + ")");
            Map<String, org.osgi.service.cm.Configuration> out = new TreeMap<>();
            for (org.osgi.service.cm.Configuration c : all == null ? new org.osgi.service.cm.Configuration[0] : all) {
                String name = c.getPid().substring(c.getPid().indexOf('~') + 1);
                if (name.startsWith("audiocodes-00908f4c5d6e-")) {
                    out.put(name, c);
                }
            }
            return out;
        } catch (IOException | InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** FileInstall's configuration installer made no configuration of the file (which would hold passwords). */
    private void assertTakenByNoOtherInstaller(Path file) throws Exception {
        assertNull(configAdmin.listConfigurations("(service.pid=00908f4c5d6e)"));
        org.osgi.service.cm.Configuration[] byFileInstall =
                configAdmin.listConfigurations("(felix.fileinstall.filename=*)");
        if (byFileInstall != null) {
            for (org.osgi.service.cm.Configuration c : byFileInstall) {
                assertFalse(
                        c.getPid(),
                        String.valueOf(c.getProperties().get("felix.fileinstall.filename"))
                                .endsWith(file.getFileName().toString()));
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

    /** Writes the file whole, so that FileInstall never sees half of it. */
    private static void drop(Path file, String text) throws IOException {
        Path tmp = Path.of(System.getProperty(SCRATCH)).resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static File write(Path file, String text) throws IOException {
        return Files.writeString(file, text).toFile();
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
