// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests.karaf;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sipfailover.api.line.LineStatus;

/**
 * Karaf started with the {@code sip-failover} feature among its boot features, the example AudioCodes file
 * already in {@code deploy/} and a line file already in {@code etc/}: both become running lines, and
 * {@code sipfailover:lines} lists them in Karaf's shell.
 *
 * <p>Karaf scans {@code deploy/} before it installs any feature, boot features included, so FileInstall's own
 * configuration installer takes the AudioCodes file before the adapter exists, and keeps it. The adapter adopts
 * it when it starts: the file's lines run, and follow the file's change and removal. (An Aastra file in the same
 * place is rewritten by FileInstall, Karaf writing configurations back into their files, before any sip-failover
 * code runs: nothing to test but the advice to install sip-failover first.)
 *
 * <p>The files name the example's servers (port 5060, where nothing listens): these lines run, unregistered.
 * {@link HotSwapIT} registers lines at real Kamailios.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeatureAtBootIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String AUDIOCODES = "00908f4c5d6e.cfg";
    private static final String LINE0 = "audiocodes-00908f4c5d6e-line0";
    private static final String LINE1 = "audiocodes-00908f4c5d6e-line1";
    /** The etc/ line and the AudioCodes file's two enabled lines. */
    private static final List<String> LINES = List.of("alice", LINE0, LINE1);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private SessionFactory sessions;

    @Configuration
    public Option[] config() {
        Path examples = Path.of(KarafOptions.required("itest.examples"));
        String line = "etc/org.sipfailover.line-alice.cfg";
        return options(
                KarafOptions.karaf("boot"),
                features(KarafOptions.featuresRepository(), "sip-failover"),
                replaceConfigurationFile(
                        "deploy/" + AUDIOCODES,
                        examples.resolve("audiocodes").resolve(AUDIOCODES).toFile()),
                editConfigurationFilePut(line, "user", "1101"),
                editConfigurationFilePut(line, "displayName", "Alice"),
                editConfigurationFilePut(line, "proxy", "127.0.0.1:5060"),
                editConfigurationFilePut(line, "proxy.backup", "127.0.0.2:5060"),
                editConfigurationFilePut(line, "transport", "tcp"),
                editConfigurationFilePut(line, "sipOutbound", "true"),
                editConfigurationFilePut(line, "policy", "aastra"));
    }

    @Test
    public void filesInEtcAndDeployAtBootBecomeRunningLinesListedInKarafsShell() throws Exception {
        KarafLines lines = new KarafLines(context, configAdmin);
        // a line runs at once; its policy comes when the policies bundle's services do
        LineStatus alice = lines.await("alice", DEADLINE, l -> l.policyName().equals("aastra"), "on aastra");
        assertEquals("1101", alice.config().user());
        lines.await(LINE0, DEADLINE, l -> l.policyName().equals("redundant-asymmetric"), "on redundant-asymmetric");
        lines.await(LINE1, DEADLINE, l -> l.policyName().equals("redundant-asymmetric"), "on redundant-asymmetric");
        Path file = Path.of(System.getProperty("karaf.base"), "deploy", AUDIOCODES);
        assertEquals(
                file.toFile().getAbsolutePath(),
                lines.lineConfiguration(LINE0).orElseThrow().get("sipfailover.source"));
        assertArrayEquals(
                "the file in deploy/ changed",
                Files.readAllBytes(Path.of(KarafOptions.required("itest.examples"), "audiocodes", AUDIOCODES)),
                Files.readAllBytes(file));

        // Karaf's shell
        String table = KarafLines.karafShell(sessions, "sipfailover:lines");
        assertTrue(table, table.startsWith("LINE"));
        for (String id : LINES) {
            assertTrue(id + " missing in:\n" + table, table.lines().anyMatch(row -> row.startsWith(id + " ")));
        }
        assertTrue(table, table.lines().anyMatch(row -> row.startsWith("alice ") && row.contains(" aastra ")));
        assertEquals(table, LINES.size() + 1, table.lines().count());

        // the adopted file: its change reaches its lines, its removal takes them away
        String example = Files.readString(file);
        Path aside = Files.createTempFile(Path.of(KarafOptions.required("itest.workdir")), "incoming-", ".tmp");
        Files.writeString(
                aside, example.replace("voip/line/1/description=Front Desk 2", "voip/line/1/description=Back Office"));
        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lines.await(
                LINE1, DEADLINE, l -> l.config().displayName().orElse("").equals("Back Office"), "renamed by its file");
        Files.delete(file);
        lines.awaitGone(LINE0, DEADLINE);
        lines.awaitGone(LINE1, DEADLINE);
        assertTrue(lines.line("alice").isPresent());
    }
}
