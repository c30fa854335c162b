// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.streamBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;
import static org.sipfailover.itests.TestRecords.*;
import static org.sipfailover.testkit.paxexam.FelixOptions.reactorBundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
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
import org.ops4j.pax.tinybundles.core.TinyBundles;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolutionSource;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;
import org.sipfailover.itests.consumer.ResolverConsumer;

/**
 * The api, dns and shell bundles in a real Felix with SCR, ConfigAdmin and Gogo, resolving against two real
 * dnsmasq servers: SRV order and caching, reconfiguration through ConfigAdmin, a restart of the dns bundle
 * under a running consumer, and the {@code sipfailover:resolve} command.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DnsResolverIT {

    private static final String FIRST_DNS = "itest.dns.first";
    private static final String SECOND_DNS = "itest.dns.second";
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final ServerAddress SRV_QUERY = new ServerAddress(DOMAIN, 0, Transport.UDP);
    private static final ServerAddress PROBE_QUERY = new ServerAddress(PROBE_HOST, 5060, Transport.UDP);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private ServiceTracker<ServerResolver, ServerResolver> resolvers;

    @Configuration
    public Option[] config() throws IOException {
        // runs on the driver, outside the framework: the DNS servers are plain processes
        String[] dns = DnsServers.start(Path.of(System.getProperty("itest.workdir", "target/itest")));
        return options(
                systemProperty(FIRST_DNS).value(dns[0]),
                systemProperty(SECOND_DNS).value(dns[1]),
                workingDirectory(System.getProperty("itest.workdir", "target/itest") + "/felix"),
                cleanCaches(true),
                // the Gogo shell bundle must not read the test JVM's standard input
                frameworkProperty("gosh.args").value("--nointeractive"),
                junitBundles(),
                mavenBundle("org.slf4j", "slf4j-api").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.log").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.command").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.shell").versionAsInProject(),
                mavenBundle("dnsjava", "dnsjava").versionAsInProject(),
                reactorBundle("api"),
                reactorBundle("dns"),
                reactorBundle("shell"),
                streamBundle(TinyBundles.bundle()
                        .add(ResolverConsumer.class)
                        .set(Constants.BUNDLE_MANIFESTVERSION, "2")
                        .set(Constants.BUNDLE_SYMBOLICNAME, ResolverConsumer.SYMBOLIC_NAME)
                        .set(Constants.BUNDLE_ACTIVATOR, ResolverConsumer.class.getName())
                        .set(
                                Constants.IMPORT_PACKAGE,
                                "org.osgi.framework,org.osgi.util.tracker,"
                                        + "org.sipfailover.api.dns;version=\"[1.0,2)\","
                                        + "org.sipfailover.api.net;version=\"[1.0,2)\"")
                        .build()));
    }

    @Before
    public void trackResolvers() {
        resolvers = new ServiceTracker<>(context, ServerResolver.class, null);
        resolvers.open();
    }

    @After
    public void closeTracker() {
        resolvers.close();
    }

    @Test
    public void everyBundleIsActiveAndFragmentsAreResolved() {
        List<String> wrong = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                wrong.add(b.getSymbolicName() + " state " + b.getState());
            }
        }
        assertTrue("bundles not in the expected state: " + wrong, wrong.isEmpty());
        for (String bsn : List.of(
                "org.sipfailover.api",
                "org.sipfailover.dns",
                "org.sipfailover.shell",
                "org.xbill.dns",
                "org.apache.felix.scr",
                "org.apache.felix.configadmin",
                "slf4j.api",
                "slf4j.simple",
                ResolverConsumer.SYMBOLIC_NAME)) {
            assertEquals(bsn, Bundle.ACTIVE, installed(bsn).getState());
        }
    }

    @Test
    public void resolvesSrvTargetsInPriorityOrderFromDnsThenFromTheCache() throws Exception {
        useDnsServer(FIRST_DNS, FIRST_PROBE_IP);
        resolver().invalidate(SRV_QUERY);

        Resolution fresh = resolver().resolve(SRV_QUERY);
        assertEquals(fresh.toString(), ResolutionSource.DNS, fresh.source());
        assertFirstServersTargets(fresh);

        Resolution cached = resolver().resolve(SRV_QUERY);
        assertEquals(cached.toString(), ResolutionSource.CACHE, cached.source());
        assertFirstServersTargets(cached);
        long ttl = cached.ttl(Instant.now()).toSeconds();
        assertTrue("TTL left " + ttl, ttl > 0 && ttl <= TTL);
    }

    @Test
    public void reconfigurationThroughConfigAdminSwitchesTheDnsServer() throws Exception {
        useDnsServer(FIRST_DNS, FIRST_PROBE_IP);
        assertFirstServersTargets(resolver().resolve(SRV_QUERY));

        configure(System.getProperty(SECOND_DNS));
        Resolution switched = Await.until(
                DEADLINE,
                () -> resolver().resolve(SRV_QUERY),
                r -> r.targets().size() == 1 && r.targets().get(0).host().equals(SECOND_TARGET),
                "the resolver to answer from the second DNS server");
        // the new configuration starts with an empty cache: the first answer is fresh
        assertEquals(ResolutionSource.DNS, switched.source());
        ResolvedTarget backup = switched.targets().get(0);
        assertEquals(InetAddress.getByName(SECOND_IP), backup.address());
        assertEquals(SECOND_PORT, backup.port());
        assertEquals(5, backup.priority());
        assertEquals(Transport.UDP, backup.transport());
    }

    @Test
    public void aConsumerBundleKeepsRunningWhileTheDnsBundleRestarts() throws Exception {
        useDnsServer(FIRST_DNS, FIRST_PROBE_IP);
        Bundle dns = installed("org.sipfailover.dns");
        Bundle consumer = installed(ResolverConsumer.SYMBOLIC_NAME);
        Bundle shell = installed("org.sipfailover.shell");
        Callable<String> consumerCall = consumerCallable();
        String expected = String.join(
                ",",
                FIRST_IPS[0] + ":" + FIRST_PORTS[0],
                FIRST_IPS[1] + ":" + FIRST_PORTS[1],
                FIRST_IPS[2] + ":" + FIRST_PORTS[2]);
        Await.until(
                DEADLINE,
                () -> call(consumerCall),
                s -> resolvedFirstTargets(s, expected),
                "the consumer to resolve through the first DNS server");

        List<String> events = new CopyOnWriteArrayList<>();
        SynchronousBundleListener listener = e -> {
            if (e.getBundle().equals(consumer) || e.getBundle().equals(shell)) {
                events.add(e.getBundle().getSymbolicName() + " " + e.getType());
            }
        };
        context.addBundleListener(listener);
        try {
            dns.stop();
            assertEquals(Bundle.RESOLVED, dns.getState());
            Await.until(
                    DEADLINE,
                    () -> call(consumerCall),
                    ResolverConsumer.NO_RESOLVER::equals,
                    "the consumer to see the resolver gone");
            assertEquals(Bundle.ACTIVE, consumer.getState());
            assertEquals(Bundle.ACTIVE, shell.getState());
            IllegalStateException noResolver =
                    expectThrows(IllegalStateException.class, () -> gogo("sipfailover:resolve " + DOMAIN + " 0 udp"));
            assertTrue(noResolver.getMessage(), noResolver.getMessage().contains("no ServerResolver"));

            dns.start();
            assertEquals(Bundle.ACTIVE, dns.getState());
            Await.until(
                    DEADLINE,
                    () -> call(consumerCall),
                    s -> resolvedFirstTargets(s, expected),
                    "the consumer to resolve again after the dns bundle restarted");
            assertTrue(gogo("sipfailover:resolve " + DOMAIN + " 0 udp").contains(FIRST_TARGETS[2]));
        } finally {
            context.removeBundleListener(listener);
            if (dns.getState() != Bundle.ACTIVE) {
                dns.start(); // leave the framework as the other tests expect it
            }
        }
        assertEquals(Bundle.ACTIVE, consumer.getState());
        assertEquals(Bundle.ACTIVE, shell.getState());
        assertTrue("the consumer or the shell went through lifecycle events: " + events, events.isEmpty());
    }

    @Test
    public void theShellResolveCommandRunsThroughGogo() throws Exception {
        useDnsServer(FIRST_DNS, FIRST_PROBE_IP);

        String srv = gogo("sipfailover:resolve " + DOMAIN + " 0 udp");
        List<String> lines = srv.lines().collect(Collectors.toList());
        assertEquals(srv, "resolve " + DOMAIN + ";transport=udp", lines.get(0));
        assertTrue(srv, lines.get(1).startsWith("#") && lines.get(1).contains("priority"));
        // rows 1 and 2: the priority-10 targets in weighted order; row 3: the priority-20 target
        assertEquals(
                srv,
                Set.of(FIRST_TARGETS[0], FIRST_TARGETS[1]),
                Set.of(lastField(lines.get(2)), lastField(lines.get(3))));
        assertTrue(
                srv,
                lines.get(4).matches("3 +127\\.0\\.0\\.13:5074 +udp +20 +0 +" + FIRST_TARGETS[2].replace(".", "\\.")));
        assertTrue(srv, lines.get(5).matches("source (DNS|CACHE), ttl \\d+ s"));

        String literal = gogo("sipfailover:resolve 127.0.0.1 0 tls");
        assertTrue(literal, literal.contains("127.0.0.1:5061") && literal.endsWith("source LITERAL, ttl unlimited"));

        IllegalArgumentException bad = expectThrows(
                IllegalArgumentException.class, () -> gogo("sipfailover:resolve " + DOMAIN + " 99999 udp"));
        assertTrue(bad.getMessage(), bad.getMessage().contains("malformed port 99999"));
    }

    // ---- helpers

    interface Action {
        void run() throws Exception;
    }

    /** JUnit 4.12's assertThrows, which the container's JUnit bundle (4.12) lacks. */
    private static <T extends Throwable> T expectThrows(Class<T> type, Action action) {
        try {
            action.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            throw new AssertionError("expected " + type.getName() + ", got " + t, t);
        }
        fail("expected " + type.getName() + ", nothing was thrown");
        return null;
    }

    /** Points the resolver at one of the DNS servers and waits until it answers from there. */
    private void useDnsServer(String property, String probeIp) throws Exception {
        configure(System.getProperty(property));
        InetAddress expected = InetAddress.getByName(probeIp);
        Await.until(
                DEADLINE,
                () -> {
                    ServerResolver r = resolvers.getService();
                    return r == null ? null : r.resolve(PROBE_QUERY);
                },
                r -> r != null && !r.isEmpty() && r.targets().get(0).address().equals(expected),
                "the resolver to answer from " + System.getProperty(property));
    }

    private void configure(String dnsServer) throws IOException {
        assertNotNull("DNS server address", dnsServer);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("servers", new String[] {dnsServer});
        properties.put("timeoutMillis", 500);
        properties.put("attempts", 1);
        configurationAdmin.getConfiguration(ServerResolver.PID, "?").update(properties);
    }

    private ServerResolver resolver() {
        try {
            ServerResolver r = resolvers.waitForService(DEADLINE.toMillis());
            assertNotNull("no ServerResolver service", r);
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the ServerResolver", e);
        }
    }

    private static void assertFirstServersTargets(Resolution r) throws Exception {
        List<ResolvedTarget> t = r.targets();
        assertEquals(r.toString(), 3, t.size());
        // RFC 2782: the priority-10 group first, in weighted random order, then priority 20
        assertEquals(
                r.toString(),
                Set.of(FIRST_TARGETS[0], FIRST_TARGETS[1]),
                Set.of(t.get(0).host(), t.get(1).host()));
        assertEquals(r.toString(), FIRST_TARGETS[2], t.get(2).host());
        for (ResolvedTarget target : t) {
            int i = List.of(FIRST_TARGETS).indexOf(target.host());
            assertEquals(target.toString(), InetAddress.getByName(FIRST_IPS[i]), target.address());
            assertEquals(target.toString(), FIRST_PORTS[i], target.port());
            assertEquals(target.toString(), FIRST_PRIORITIES[i], target.priority());
            assertEquals(target.toString(), FIRST_WEIGHTS[i], target.weight());
            assertEquals(target.toString(), Transport.UDP, target.transport());
        }
    }

    /** Whether the consumer's answer lists the first server's targets (the two of priority 10 in any order). */
    private static boolean resolvedFirstTargets(String answer, String inOrder) {
        if (!answer.startsWith("DNS ") && !answer.startsWith("CACHE ")) {
            return false;
        }
        List<String> got = List.of(answer.substring(answer.indexOf(' ') + 1).split(","));
        List<String> want = List.of(inOrder.split(","));
        return got.size() == 3
                && Set.copyOf(got.subList(0, 2)).equals(Set.copyOf(want.subList(0, 2)))
                && got.get(2).equals(want.get(2));
    }

    @SuppressWarnings("unchecked")
    private Callable<String> consumerCallable() throws Exception {
        Collection<ServiceReference<Callable>> refs =
                context.getServiceReferences(Callable.class, "(" + ResolverConsumer.MARKER + "=true)");
        assertEquals("consumer services", 1, refs.size());
        return context.getService(refs.iterator().next());
    }

    private static String call(Callable<String> callable) {
        try {
            return callable.call();
        } catch (Exception e) {
            return e.toString();
        }
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

    private Bundle installed(String symbolicName) {
        return ReactorBundles.installed(context, symbolicName);
    }

    private static String lastField(String row) {
        String[] fields = row.trim().split(" +");
        return fields[fields.length - 1];
    }
}
