// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
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
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.testkit.sip.Binding;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * A stock Karaf, {@code feature:install sip-failover} (through the FeaturesService), then lines from a file written
 * into {@code etc/} and from the example AudioCodes file and Aastra pair dropped into {@code deploy/} (their
 * servers rewritten to two real Kamailios: primary 127.0.0.1, backup 127.0.0.2), all registered. Then, while they
 * stay registered, one step after the other: the policy bundle, the dns bundle and the AudioCodes adapter bundle
 * are each stopped, updated and started; the example {@code sticky} policy bundle is installed and the etc/ line
 * switched to it by configuration; that line's configuration changes in place. After each step every line is still
 * bound at the primary Kamailio, with the binding it had (same instance, same CSeq: nothing re-registered), and
 * its LineStatus shows the step. Last, kill -9 of the primary Kamailio: every line registers at the backup.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String ALICE = "alice";
    private static final String AUDIOCODES_FILE = "00908f4c5d6e.cfg";
    private static final String AASTRA_GLOBAL = "aastra.cfg";
    private static final String AASTRA_MAC = "00085D1A2B3C.cfg";
    /** Line id to user (the AOR's user part). */
    private static final Map<String, String> USERS = new LinkedHashMap<>();

    static {
        USERS.put(ALICE, "1101");
        USERS.put("audiocodes-00908f4c5d6e-line0", "2101");
        USERS.put("audiocodes-00908f4c5d6e-line1", "2102");
        USERS.put("aastra-00085d1a2b3c-line1", "1001");
        USERS.put("aastra-00085d1a2b3c-line2", "1002");
    }

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private FeaturesService features;

    @Inject
    private SessionFactory sessions;

    private KarafLines lines;
    private Kamailio primary;
    private Kamailio backup;

    /**
     * Only the API at boot: the test class, loaded into Karaf before it runs, names API types. The rest comes with
     * the test's own {@code feature:install sip-failover}.
     */
    @Configuration
    public Option[] config() {
        return options(KarafOptions.karaf("hot-swap"), features(KarafOptions.featuresRepository(), "sip-failover-api"));
    }

    @Before
    public void setUp() throws IOException {
        lines = new KarafLines(context, configAdmin);
        Path work = Files.createDirectories(Path.of(KarafOptions.required("itest.workdir")));
        primary = Kamailio.start(
                KamailioConfig.builder().address("127.0.0.1").build(),
                Files.createTempDirectory(work, "kamailio-primary-"));
        backup = Kamailio.start(
                KamailioConfig.builder().address("127.0.0.2").build(),
                Files.createTempDirectory(work, "kamailio-backup-"));
    }

    @After
    public void tearDown() {
        try {
            if (primary != null) {
                primary.close();
            }
        } finally {
            if (backup != null) {
                backup.close();
            }
        }
    }

    @Test
    public void linesFromEtcAndDeployStayRegisteredWhileBundlesAreSwappedAndFailOverToTheBackup() throws Exception {
        // feature:repo-add + feature:install sip-failover
        features.addRepository(
                URI.create("mvn:org.sipfailover/features/" + KarafOptions.required("itest.version") + "/xml/features"));
        features.installFeature("sip-failover");

        writeEtcLine(30, "aastra");
        Path examples = Path.of(KarafOptions.required("itest.examples"));
        drop(
                AUDIOCODES_FILE,
                audioCodes(Files.readString(examples.resolve("audiocodes").resolve(AUDIOCODES_FILE))));
        drop(AASTRA_GLOBAL, aastra(Files.readString(examples.resolve("aastra").resolve(AASTRA_GLOBAL))));
        drop(AASTRA_MAC, aastra(Files.readString(examples.resolve("aastra").resolve(AASTRA_MAC))));

        for (String id : USERS.keySet()) {
            lines.await(id, DEADLINE, LineStatus::isRegistered, "registered");
        }
        Map<String, Binding> bound = allBoundAt(primary, "127.0.0.1", "registered from etc/ and deploy/");
        assertEquals("aastra", lines.line(ALICE).orElseThrow().policyName());
        assertEquals(
                "redundant-asymmetric",
                lines.line("audiocodes-00908f4c5d6e-line0").orElseThrow().policyName());
        assertEquals(
                "aastra", lines.line("aastra-00085d1a2b3c-line1").orElseThrow().policyName());

        String table = KarafLines.karafShell(sessions, "sipfailover:lines");
        for (String id : USERS.keySet()) {
            assertTrue(
                    id + " not listed as registered:\n" + table,
                    table.lines().anyMatch(row -> row.startsWith(id + " ") && row.contains(" yes ")));
        }

        // the policy bundle: stopped, the lines keep their bindings without a policy; updated and started, the
        // policies are back
        Bundle policy = bundle("org.sipfailover.policy");
        policy.stop();
        for (String id : USERS.keySet()) {
            lines.await(id, DEADLINE, l -> l.policyName().startsWith("none"), "without a policy");
        }
        assertSameBindings(bound, "the policy bundle stopped");
        long before = policy.getLastModified();
        policy.update();
        policy.start();
        assertNotEquals("the policy bundle updated", before, policy.getLastModified());
        lines.await(ALICE, DEADLINE, l -> l.policyName().equals("aastra"), "back on aastra");
        lines.await(
                "audiocodes-00908f4c5d6e-line0",
                DEADLINE,
                l -> l.policyName().equals("redundant-asymmetric"),
                "back on redundant-asymmetric");
        lines.await("aastra-00085d1a2b3c-line2", DEADLINE, l -> l.policyName().equals("aastra"), "back on aastra");
        assertSameBindings(bound, "the policy bundle updated and started");

        // the dns bundle: a new resolver service, nothing else changes
        Bundle dns = bundle("org.sipfailover.dns");
        long resolverId = serviceId(ServerResolver.class);
        dns.stop();
        dns.update();
        dns.start();
        KarafLines.await(
                DEADLINE,
                () -> serviceId(ServerResolver.class),
                id -> id > resolverId,
                () -> "a new ServerResolver service");
        assertSameBindings(bound, "the dns bundle updated and started");

        // the AudioCodes adapter: its lines stay; restarted, it still follows its file
        Bundle adapter = bundle("org.sipfailover.config-audiocodes");
        adapter.stop();
        adapter.update();
        adapter.start();
        assertSameBindings(bound, "the AudioCodes adapter updated and started");
        drop(
                AUDIOCODES_FILE,
                audioCodes(Files.readString(examples.resolve("audiocodes").resolve(AUDIOCODES_FILE))
                        .replace("voip/line/1/description=Front Desk 2", "voip/line/1/description=Back Office")));
        lines.await(
                "audiocodes-00908f4c5d6e-line1",
                DEADLINE,
                l -> l.config().displayName().orElse("").equals("Back Office"),
                "renamed by its file");
        assertSameBindings(bound, "the AudioCodes file changed after the adapter's update");

        // a policy bundle of one's own, and the etc/ line switched to it by configuration
        Bundle sticky = context.installBundle(
                "mvn:org.sipfailover/example-custom-policy/" + KarafOptions.required("itest.version"));
        sticky.start();
        writeEtcLine(30, "sticky");
        lines.await(ALICE, DEADLINE, l -> l.policyName().equals("sticky"), "on the sticky policy");
        assertSameBindings(bound, "the etc/ line switched to sticky");

        // a change that applies in place (a new registration period or keep-alive would move the bindings to new
        // flows, registering again)
        writeEtcLine(7, "sticky");
        lines.await(
                ALICE,
                DEADLINE,
                l -> l.config().failbackHoldOff().equals(Duration.ofSeconds(7)),
                "with a failback hold-off of 7 s");
        assertEquals("sticky", lines.line(ALICE).orElseThrow().policyName());
        assertSameBindings(bound, "the etc/ line changed in place");

        // kill -9 of the primary: every line moves to the backup
        primary.kill();
        for (String id : USERS.keySet()) {
            lines.await(
                    id,
                    DEADLINE,
                    l -> l.isRegistered() && l.placement().toString().contains("proxy=backup"),
                    "registered through the backup proxy");
        }
        allBoundAt(backup, "127.0.0.2", "after kill -9 of the primary");
    }

    /** Every line's AOR bound at that Kamailio (AOR host {@code host}); @return line id to its binding. */
    private Map<String, Binding> allBoundAt(Kamailio kamailio, String host, String when) {
        Map<String, Binding> out = new HashMap<>();
        for (Map.Entry<String, String> e : USERS.entrySet()) {
            String aor = e.getValue() + "@" + host;
            List<Binding> b = KarafLines.await(
                    DEADLINE,
                    () -> kamailio.bindings(aor),
                    l -> l.size() == 1,
                    () -> "one binding of " + aor + " (line " + e.getKey() + ") at " + kamailio + ", " + when
                            + "; lines: " + lines.describe());
            out.put(e.getKey(), b.get(0));
        }
        return out;
    }

    /** Each line's binding at the primary is still the one it had: same instance, not registered again. */
    private void assertSameBindings(Map<String, Binding> bound, String when) {
        for (Map.Entry<String, String> e : USERS.entrySet()) {
            String aor = e.getValue() + "@127.0.0.1";
            List<Binding> now = primary.bindings(aor);
            assertEquals(aor + " bound, " + when + "; lines: " + lines.describe(), 1, now.size());
            Binding was = bound.get(e.getKey());
            assertEquals(
                    aor + "'s instance, " + when, was.instance(), now.get(0).instance());
            assertEquals(
                    aor + " registered again, " + when, was.cseq(), now.get(0).cseq());
        }
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private long serviceId(Class<?> service) {
        ServiceReference<?> ref = context.getServiceReference(service);
        return ref == null ? -1 : (Long) ref.getProperty("service.id");
    }

    /** {@code etc/org.sipfailover.line-alice.cfg}, as an operator writes it; Karaf's FileInstall reads it. */
    private void writeEtcLine(int failbackHoldOff, String policy) throws IOException {
        String text = String.join(
                "\n",
                "# written by HotSwapIT",
                "user = 1101",
                "displayName = Alice",
                "proxy = 127.0.0.1:" + primary.port(),
                "proxy.backup = 127.0.0.2:" + backup.port(),
                "transport = tcp",
                "sipOutbound = true",
                "keepAlive = 5",
                "pongTimeout = 1",
                "probeInterval = 1",
                "recoveryBaseAllFailed = 1",
                "recoveryBaseSomeOk = 1",
                "recoveryMax = 2",
                "registrationPeriod = 300",
                "failbackHoldOff = " + failbackHoldOff,
                "policy = " + policy,
                "");
        place(Path.of(System.getProperty("karaf.etc")).resolve("org.sipfailover.line-" + ALICE + ".cfg"), text);
    }

    /** Drops a file into Karaf's deploy/ whole (written aside, then moved in). */
    private void drop(String name, String text) throws IOException {
        place(Path.of(System.getProperty("karaf.base")).resolve("deploy").resolve(name), text);
    }

    private static void place(Path target, String text) throws IOException {
        Path aside = Files.createTempFile(Path.of(KarafOptions.required("itest.workdir")), "incoming-", ".tmp");
        Files.writeString(aside, text, StandardCharsets.UTF_8);
        Files.move(aside, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The example AudioCodes file with the test's servers: the proxy and the redundant proxy on the Kamailios'
     * ports, no SBC in front of them (the example's outbound proxy 127.0.0.3 does not exist here), and TCP, so that
     * a killed server is seen at once (over UDP the example's 45 s keep-alive would be the first to notice).
     */
    private String audioCodes(String example) {
        return example.replace(
                        "voip/signalling/sip/proxy_port=5060", "voip/signalling/sip/proxy_port=" + primary.port())
                .replace(
                        "voip/signalling/sip/redundant_proxy/port=5060",
                        "voip/signalling/sip/redundant_proxy/port=" + backup.port())
                .replace(
                        "voip/signalling/sip/sip_outbound_proxy/enabled=1",
                        "voip/signalling/sip/sip_outbound_proxy/enabled=0")
                .replace("voip/signalling/sip/transport_protocol=UDP", "voip/signalling/sip/transport_protocol=TCP");
    }

    /** An example Aastra file with the test's servers: port 5060 of 127.0.0.1 and 127.0.0.2 is each Kamailio's. */
    private String aastra(String example) {
        Matcher m = Pattern.compile("(?m)^(.*\\bport: )5060\\b").matcher(example);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int port = m.group(1).contains("backup") ? backup.port() : primary.port();
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + port));
        }
        m.appendTail(out);
        return out.toString();
    }
}
