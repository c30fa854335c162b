// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;
import static org.sipfailover.testkit.paxexam.FelixOptions.reactorBundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.ServiceTracker;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.flow.ProbeResult;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.paxexam.FelixOptions;
import org.sipfailover.testkit.sip.Binding;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * The outbound bundle's {@link FlowManager} in a real Felix with SCR, ConfigAdmin and Metatype, JAIN-SIP as
 * one bundle on reload4j, registering over an RFC 5626 flow at a real Kamailio (in memory, Flow-Timer 25 s,
 * on 127.0.0.1 and a free port): the registration at the registrar, a live flow while the dns bundle
 * restarts under it, and a restart of the outbound bundle itself.
 *
 * <p>Kamailio is a plain process, started and stopped by PID by the testkit's {@link Kamailio}. The testkit is
 * no bundle: its package {@code org.sipfailover.testkit.sip} comes from the test JVM's class path through the
 * system bundle, so only its classes cross into the framework, and nothing of the framework into it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OutboundFlowsIT {

    private static final String AOR = "sip:alice@example.test";
    private static final String BINDING_KEY = "alice@example.test";
    private static final int FLOW_TIMER = 25;
    private static final ServerRef REGISTRAR = ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY);
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final String OUTBOUND_BSN = "org.sipfailover.outbound";
    private static final String DNS_BSN = "org.sipfailover.dns";

    @Inject
    private BundleContext context;

    private ServiceTracker<FlowManager, FlowManager> managers;
    private Kamailio kamailio;

    @Configuration
    public Option[] config() {
        return options(
                workingDirectory(workDir() + "/felix-outbound"),
                cleanCaches(true),
                frameworkProperty("gosh.args").value("--nointeractive"),
                // Kamailio and Binding from the class path (see the class comment)
                systemPackage("org.sipfailover.testkit.sip"),
                junitBundles(),
                FelixOptions.flowsInFelix(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
                reactorBundle("shell"));
    }

    private static String workDir() {
        return System.getProperty("itest.workdir", "target/itest");
    }

    @Before
    public void startKamailio() throws IOException {
        managers = new ServiceTracker<>(context, FlowManager.class, null);
        managers.open();
        Path dir = Files.createDirectories(Path.of(workDir()));
        kamailio = Kamailio.start(
                KamailioConfig.builder()
                        .address("127.0.0.1")
                        .flowTimer(FLOW_TIMER)
                        .build(),
                Files.createTempDirectory(dir, "kamailio-"));
    }

    @After
    public void stopKamailio() throws Exception {
        try {
            // leave the framework as the other tests expect it: both bundles up, no flow open
            for (String bsn : List.of(DNS_BSN, OUTBOUND_BSN)) {
                Bundle b = installed(bsn);
                if (b.getState() != Bundle.ACTIVE) {
                    b.start();
                }
            }
            FlowManager m = managers.waitForService(DEADLINE.toMillis());
            if (m != null) {
                m.flows().forEach(Flow::close);
            }
        } finally {
            managers.close();
            if (kamailio != null) {
                kamailio.close();
            }
        }
    }

    @Test
    public void everyBundleIsActiveAndTheFlowManagerStarts() {
        List<String> wrong = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            if (b.getState() != (fragment ? Bundle.RESOLVED : Bundle.ACTIVE)) {
                wrong.add(b.getSymbolicName() + " state " + b.getState());
            }
        }
        assertTrue("bundles not in the expected state: " + wrong, wrong.isEmpty());
        for (String bsn : List.of(
                "org.sipfailover.api",
                DNS_BSN,
                "org.sipfailover.jain-sip",
                OUTBOUND_BSN,
                "org.sipfailover.shell",
                "org.apache.log4j",
                "org.xbill.dns",
                "org.apache.felix.scr",
                "org.apache.felix.configadmin",
                "org.apache.felix.metatype",
                "slf4j.api",
                "slf4j.simple")) {
            assertEquals(bsn, Bundle.ACTIVE, installed(bsn).getState());
        }
        // the delayed component activates on first use: the SIP stack (SipFactory's Class.forName of
        // gov.nist.javax.sip.SipStackImpl, the network layer by name) starts inside the framework
        FlowManager manager = manager();
        assertTrue(manager.instanceId(), manager.instanceId().matches("urn:uuid:[0-9a-f-]{36}"));
        assertEquals(List.of(), manager.flows());
    }

    @Test
    public void aLiveFlowAndItsRegistrationOutliveARestartOfTheDnsBundle() throws Exception {
        FlowManager manager = manager();
        long managerService = serviceId(FlowManager.class);
        Events events = new Events();
        Flow flow = manager.open(spec("line-dns", Transport.TCP), events::add);
        Registration reg = flow.register(register());
        awaitRegistered(flow, reg, events);

        assertEquals(FlowState.UP, flow.state());
        assertTrue(reg.outboundAccepted());
        assertEquals(Duration.ofSeconds(FLOW_TIMER), flow.keepAliveInterval());
        Binding before = oneBinding(manager.instanceId());
        assertTrue(before.toString(), before.contact().contains(";ob"));

        Bundle dns = installed(DNS_BSN);
        Events pendingEvents = new Events();
        Flow pending;
        try {
            dns.stop();
            assertEquals(Bundle.RESOLVED, dns.getState());
            assertNull(
                    "a ServerResolver service while the dns bundle is stopped",
                    context.getServiceReference(ServerResolver.class));

            // the live flow needs no resolver: an OPTIONS over its connection is answered
            ProbeResult probe = flow.probe().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertTrue(probe.toString(), probe.answered());
            assertEquals(probe.toString(), 200, probe.status());

            // a new flow cannot find its server now, and says why
            pending = manager.open(spec("line-pending", Transport.UDP), pendingEvents::add);
            FlowEvent failed = Await.until(
                    DEADLINE,
                    () -> pendingEvents.first(FlowEvent.Kind.FAILED),
                    e -> e != null,
                    () -> "the flow opened without a resolver to fail; events " + pendingEvents);
            assertEquals(failed.toString(), FailureCause.DNS_FAILURE, failed.cause());

            assertEquals(FlowState.UP, flow.state());
            assertTrue(reg.isRegistered());
            assertSameFlow(before, oneBinding(manager.instanceId()));
        } finally {
            if (dns.getState() != Bundle.ACTIVE) {
                dns.start();
            }
        }
        assertEquals(Bundle.ACTIVE, dns.getState());

        // the greedy reference picks the resolver up again: the failed flow recovers, a new one opens
        Await.until(
                DEADLINE,
                pending::state,
                FlowState.UP::equals,
                () -> "the pending flow to recover; events " + pendingEvents);
        Events freshEvents = new Events();
        Flow fresh = manager.open(spec("line-fresh", Transport.UDP), freshEvents::add);
        Await.until(DEADLINE, fresh::state, FlowState.UP::equals, () -> "a new flow to come up; events " + freshEvents);

        assertEquals("the FlowManager service stayed registered", managerService, serviceId(FlowManager.class));
        assertTrue("the same FlowManager still holds the flow", manager.flows().contains(flow));
        assertEquals(FlowState.UP, flow.state());
        assertTrue(reg.isRegistered());
        assertSameFlow(before, oneBinding(manager.instanceId()));
        assertEquals("events of the live flow: " + events, List.of(), events.of(FlowEvent.Kind.FAILED));
        assertEquals(
                "events of the live flow: " + events,
                1,
                events.of(FlowEvent.Kind.UP).size());
    }

    @Test
    public void aKilledRegistrarIsSeenAtOnceThroughTheFlowNetworkLayer() throws Exception {
        FlowManager manager = manager();
        Events events = new Events();
        Flow flow = manager.open(spec("line-kill", Transport.TCP), events::add);
        Registration reg = flow.register(register());
        awaitRegistered(flow, reg, events);

        kamailio.kill();
        // far inside the 20-25 s keep-alive interval: only the sockets of FlowNetworkLayer, which JAIN-SIP
        // loads by name inside its bundle, report the connection's end through TransportHooks
        FlowEvent failed = Await.until(
                Duration.ofSeconds(2),
                () -> events.first(FlowEvent.Kind.FAILED),
                e -> e != null,
                () -> "the flow to fail after kill -9; events " + events);
        assertTrue(
                failed.toString(),
                failed.cause() == FailureCause.CONNECTION_RESET || failed.cause() == FailureCause.CONNECTION_REFUSED);
        assertFalse(reg.isRegistered());
    }

    @Test
    public void stoppingTheOutboundBundleLeavesTheBindingAndTheInstanceIdOutlivesIt() throws Exception {
        FlowManager manager = manager();
        String instanceId = manager.instanceId();
        long firstService = serviceId(FlowManager.class);
        Events events = new Events();
        Flow flow = manager.open(spec("line-restart", Transport.TCP), events::add);
        Registration reg = flow.register(register());
        awaitRegistered(flow, reg, events);
        Binding before = oneBinding(instanceId);

        Bundle outbound = installed(OUTBOUND_BSN);
        outbound.stop();
        assertEquals(Bundle.RESOLVED, outbound.getState());
        assertNull(
                "a FlowManager service while the outbound bundle is stopped",
                context.getServiceReference(FlowManager.class));
        assertEquals(FlowState.CLOSED, flow.state());
        // closing a flow stops refreshing its registrations but sends no removal: the binding stays until it
        // expires or the same instance and reg-id register again (RFC 5626 §6)
        Binding left = oneBinding(instanceId);
        assertEquals(before.callId(), left.callId());
        assertTrue(left.toString(), left.expires() > 0);

        outbound.start();
        assertEquals(Bundle.ACTIVE, outbound.getState());
        FlowManager again = manager();
        assertNotEquals("a new FlowManager service", firstService, serviceId(FlowManager.class));
        assertEquals("the instance-id kept in the bundle's data area", instanceId, again.instanceId());
        assertEquals(before.callId(), oneBinding(instanceId).callId());

        // registering again as the same instance and reg-id replaces the binding rather than adding one
        Events eventsAgain = new Events();
        Flow flowAgain = again.open(spec("line-restart", Transport.TCP), eventsAgain::add);
        Registration regAgain = flowAgain.register(register());
        awaitRegistered(flowAgain, regAgain, eventsAgain);
        Binding replaced = Await.until(
                        DEADLINE,
                        () -> kamailio.bindings(BINDING_KEY),
                        l -> l.size() == 1 && !l.get(0).callId().equals(before.callId()),
                        "the new registration to replace the old binding")
                .get(0);
        assertTrue(replaced.toString(), replaced.instance().contains(instanceId));
        assertEquals(replaced.toString(), 1, replaced.regId());
        assertNotEquals(replaced.toString(), before.tcpConnectionId(), replaced.tcpConnectionId());
    }

    // ---- helpers

    /** A flow over TCP or UDP to Kamailio with reg-id 1, keep-alives by the Flow-Timer, quick recovery. */
    private FlowSpec spec(String line, Transport transport) {
        return FlowSpec.builder(line, REGISTRAR, new ServerAddress("127.0.0.1", kamailio.port(), transport))
                .regId(1)
                .outbound(true)
                .keepAlive(Duration.ofSeconds(120), Duration.ofSeconds(1))
                .recovery(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1))
                .build();
    }

    private static RegisterRequest register() {
        return new RegisterRequest(
                AOR, ServerAddress.of("example.test", 0), null, Duration.ofSeconds(300), Duration.ofSeconds(15), null);
    }

    /**
     * Waits for the registration and for the flow to be up: the two are set one after the other, so right
     * after {@link Registration#isRegistered()} the flow may still be CONNECTING for a moment.
     */
    private static void awaitRegistered(Flow flow, Registration reg, Events events) {
        Await.until(
                DEADLINE,
                () -> reg.isRegistered() && flow.state() == FlowState.UP,
                r -> r,
                () -> "alice registered over " + flow + " (state " + flow.state() + "); events " + events);
    }

    /** Kamailio's one binding of alice, checked to be this instance's flow with reg-id 1. */
    private Binding oneBinding(String instanceId) {
        List<Binding> bindings = kamailio.bindings(BINDING_KEY);
        assertEquals("bindings at Kamailio: " + bindings, 1, bindings.size());
        Binding b = bindings.get(0);
        assertTrue(b + " is not of " + instanceId, b.instance().contains(instanceId));
        assertEquals(b.toString(), 1, b.regId());
        assertTrue(b.toString(), b.received().endsWith(";transport=tcp"));
        return b;
    }

    /** Same REGISTER, same connection: nothing was sent again and no new connection made. */
    private static void assertSameFlow(Binding expected, Binding actual) {
        assertEquals(actual.toString(), expected.callId(), actual.callId());
        assertEquals(actual.toString(), expected.cseq(), actual.cseq());
        assertEquals(actual.toString(), expected.received(), actual.received());
        assertEquals(actual.toString(), expected.tcpConnectionId(), actual.tcpConnectionId());
    }

    private FlowManager manager() {
        try {
            FlowManager m = managers.waitForService(DEADLINE.toMillis());
            assertNotNull("no FlowManager service", m);
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the FlowManager", e);
        }
    }

    private long serviceId(Class<?> type) {
        ServiceReference<?> ref = context.getServiceReference(type);
        assertNotNull("no " + type.getSimpleName() + " service", ref);
        return (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    private Bundle installed(String symbolicName) {
        return ReactorBundles.installed(context, symbolicName);
    }

    /** What one flow's listener received, in order. */
    private static final class Events {

        private final List<FlowEvent> events = new CopyOnWriteArrayList<>();

        void add(FlowEvent e) {
            events.add(e);
        }

        List<FlowEvent> of(FlowEvent.Kind kind) {
            return events.stream().filter(e -> e.kind() == kind).collect(Collectors.toList());
        }

        FlowEvent first(FlowEvent.Kind kind) {
            List<FlowEvent> l = of(kind);
            return l.isEmpty() ? null : l.get(0);
        }

        @Override
        public String toString() {
            return events.stream()
                    .map(e -> e.kind()
                            + (e.cause() != null ? "(" + e.cause() + ")" : "")
                            + (e.detail() != null ? " " + e.detail() : ""))
                    .collect(Collectors.joining(", ", "[", "]"));
        }
    }
}
