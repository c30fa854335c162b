// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.examples.activator.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.sipfailover.testkit.paxexam.FelixOptions.reactorBundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
import org.osgi.service.event.EventHandler;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.examples.activator.Activator;
import org.sipfailover.examples.activator.LineWatcher;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.paxexam.FelixOptions;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * The example activator in Felix with the bundles that run lines, against two real Kamailio registrars (primary
 * 127.0.0.1, backup 127.0.0.2). Started with the framework, before the registrars' ports were known, it writes
 * no line; started again with them, it writes its line to ConfigurationAdmin and the line registers at the
 * primary; its tracker sees the line's LineStatus; kill -9 of the primary moves the line to the backup, and its
 * EventHandler gets the TRANSITION. The line's configuration deleted, the tracker sees the line go.
 *
 * <p>In a package of its own: the probe bundle must hold no part of the example's exported package.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExampleActivatorIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String SYMBOLIC_NAME = "org.sipfailover.example-activator";
    private static final String PRIMARY_AOR = "1001@127.0.0.1";
    private static final String BACKUP_AOR = "1001@127.0.0.2";
    private static final String LINES = "(service.factoryPid=" + LineConfig.FACTORY_PID + ")";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private Kamailio primary;
    private Kamailio backup;
    private Bundle example;

    @Configuration
    public Option[] config() {
        return options(
                FelixOptions.freshFelix("felix-example-activator"),
                systemPackages("org.sipfailover.testkit", "org.sipfailover.testkit.sip"),
                FelixOptions.linesInFelix(),
                // started with the framework, before the registrars have ports: it writes no line then
                reactorBundle("example-activator"));
    }

    /** Called inside the framework too, where the testkit's paxexam package is not exported. */
    private static String workDir() {
        return System.getProperty("itest.workdir", "target/itest");
    }

    @Before
    public void start() throws Exception {
        Path dir = Files.createDirectories(Path.of(workDir()));
        primary = Kamailio.start(
                KamailioConfig.builder().address("127.0.0.1").build(),
                Files.createTempDirectory(dir, "kamailio-primary-"));
        backup = Kamailio.start(
                KamailioConfig.builder().address("127.0.0.2").build(),
                Files.createTempDirectory(dir, "kamailio-backup-"));
        example = Arrays.stream(context.getBundles())
                .filter(b -> SYMBOLIC_NAME.equals(b.getSymbolicName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + SYMBOLIC_NAME));
        assertEquals(Bundle.ACTIVE, example.getState());
        assertNull("a line written without " + Activator.PRIMARY, configAdmin.listConfigurations(LINES));
        // The activator reads framework properties; the framework was launched before the registrars had
        // ports, so they go in as system properties, where BundleContext.getProperty looks next (OSGi core),
        // and the activator starts again
        System.setProperty(Activator.PRIMARY, "127.0.0.1:" + primary.port());
        System.setProperty(Activator.BACKUP, "127.0.0.2:" + backup.port());
        example.stop();
        example.start();
    }

    @After
    public void stop() throws Exception {
        try {
            if (example != null) {
                example.stop();
            }
            org.osgi.service.cm.Configuration[] left = configAdmin.listConfigurations(LINES);
            for (org.osgi.service.cm.Configuration c : left == null ? new org.osgi.service.cm.Configuration[0] : left) {
                c.delete();
            }
        } finally {
            System.clearProperty(Activator.PRIMARY);
            System.clearProperty(Activator.BACKUP);
            primary.close();
            backup.close();
        }
    }

    /** The example's LineWatcher, which it registered as its EventHandler service. */
    private LineWatcher watcher() {
        ServiceReference<?>[] refs = example.getRegisteredServices();
        assertNotNull("the example registered no service", refs);
        for (ServiceReference<?> ref : refs) {
            if (Arrays.asList((String[]) ref.getProperty("objectClass")).contains(EventHandler.class.getName())) {
                return (LineWatcher) context.getService(ref);
            }
        }
        throw new AssertionError("the example registered no EventHandler");
    }

    @Test
    public void theActivatorsLineRegistersItsTrackerSeesItAndItsHandlerGetsTheFailoverToTheBackup() throws Exception {
        LineWatcher watcher = watcher();

        Poll.until(
                DEADLINE,
                () -> primary.bindings(PRIMARY_AOR).size() == 1,
                () -> "the activator's line bound at the primary; transitions " + watcher.transitions());
        Poll.until(
                DEADLINE,
                () -> watcher.lines().contains("activator"),
                () -> "the tracker seeing the line; it sees " + watcher.lines());
        org.osgi.service.cm.Configuration written =
                configAdmin.getFactoryConfiguration(LineConfig.FACTORY_PID, "activator", "?");
        assertEquals("1001", written.getProperties().get(LineProperties.USER));
        assertTrue(backup.bindings(BACKUP_AOR).isEmpty());

        primary.kill();

        Poll.until(
                DEADLINE,
                () -> watcher.transitions().stream().anyMatch(t -> t.contains("-> proxy=backup")),
                () -> "a TRANSITION to the backup at the activator's EventHandler; it got " + watcher.transitions());
        Poll.until(
                DEADLINE,
                () -> backup.bindings(BACKUP_AOR).size() == 1,
                () -> "the line bound at the backup; transitions " + watcher.transitions());

        // the line's configuration deleted: the line unregisters and its LineStatus goes
        written.delete();
        Poll.until(
                DEADLINE,
                () -> !watcher.lines().contains("activator"),
                () -> "the tracker seeing the line go; it sees " + watcher.lines());
        Poll.until(DEADLINE, () -> backup.bindings(BACKUP_AOR).isEmpty(), () -> "the line unregistered");
    }
}
