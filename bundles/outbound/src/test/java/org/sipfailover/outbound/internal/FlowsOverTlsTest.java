// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.dns.embed.DnsResolvers;
import org.sipfailover.dns.embed.EmbeddedResolver;
import org.sipfailover.testkit.Configs;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.sip.Binding;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;
import org.sipfailover.testkit.tls.TestCertificates;

/**
 * Flows over TLS to a real Kamailio 5.6 with a throw-away CA: the server's certificate names 127.0.0.1 as an
 * IP subjectAltName, and the flow, which targets the IP literal, must find it there (RFC 5922 §7.1).
 */
@RealServers
class FlowsOverTlsTest {

    private static final ServerRef REGISTRAR = ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY);

    @TempDir
    Path work;

    private TestCertificates certs;
    private ScheduledExecutorService executor;
    private EmbeddedResolver resolver;
    private final List<FlowManagerCore> managers = new ArrayList<>();
    private Kamailio kamailio;
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        certs = TestCertificates.create(work.resolve("certs"), "127.0.0.1");
        executor = Executors.newSingleThreadScheduledExecutor();
        resolver = DnsResolvers.create(Map.of());
    }

    @AfterEach
    void stop() {
        managers.forEach(FlowManagerCore::close);
        resolver.close();
        executor.shutdownNow();
        if (kamailio != null) {
            kamailio.close();
        }
    }

    /** A flow manager that offers TLS; with {@code trustTestCa} false it has only the JDK's default trust. */
    private FlowManagerCore manager(boolean trustTestCa) throws Exception {
        Map<String, Object> cfg =
                new HashMap<>(Map.of("localAddress", "127.0.0.1", "tlsPort", 0, "transactionTimeoutMillis", 4000));
        if (trustTestCa) {
            cfg.put("trustStore", certs.trustStore().toString());
            cfg.put("_trustStorePassword", certs.trustStorePassword());
        }
        FlowManagerCore m = new FlowManagerCore(
                Configs.of(OutboundConfig.class, cfg),
                work.resolve("data-" + managers.size() + "/instance-id"),
                () -> resolver,
                new ExecutorScheduler(executor, Clock.systemUTC(), Throwable::printStackTrace),
                new SplittableRandom());
        managers.add(m);
        return m;
    }

    private void kamailio(int flowTimer) throws Exception {
        kamailio = Kamailio.start(
                KamailioConfig.builder()
                        .address("127.0.0.1")
                        .flowTimer(flowTimer)
                        .tls(0, certs.serverCertificate(), certs.serverKey())
                        .build(),
                work.resolve("kamailio"));
    }

    private Flow open(FlowManagerCore manager, Duration keepAlive) {
        return open(manager, keepAlive, Duration.ofSeconds(30));
    }

    private Flow open(FlowManagerCore manager, Duration keepAlive, Duration recoveryBase) {
        FlowSpec spec = FlowSpec.builder(
                        "line1", REGISTRAR, new ServerAddress("127.0.0.1", kamailio.tlsPort(), Transport.TLS))
                .regId(1)
                .outbound(true)
                .keepAlive(keepAlive, Duration.ofSeconds(1))
                .recovery(recoveryBase, recoveryBase, recoveryBase.multipliedBy(2))
                .build();
        return manager.open(spec, events::add);
    }

    @Test
    void aTlsFlowRegistersWithOutboundAndTheBindingIsOverTls() throws Exception {
        kamailio(25);
        FlowManagerCore manager = manager(true);
        Flow flow = open(manager, Duration.ofSeconds(120));

        Registration reg = flow.register(TestLines.alice());
        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered over TLS; events " + events);

        assertThat(reg.outboundAccepted()).isTrue();
        assertThat(reg.flowTimer()).contains(Duration.ofSeconds(25));
        assertThat(flow.target()).get().satisfies(t -> assertThat(t.transport()).isEqualTo(Transport.TLS));
        List<Binding> bindings = kamailio.bindings("alice@example.test");
        assertThat(bindings).singleElement().satisfies(b -> {
            assertThat(b.socket()).isEqualTo("tls:127.0.0.1:" + kamailio.tlsPort());
            assertThat(b.received()).endsWith(";transport=tls");
            assertThat(b.contact()).contains("transport=tls").contains(";ob");
            assertThat(b.instance()).contains(manager.instanceId());
            assertThat(b.regId()).isEqualTo(1);
        });
        assertThat(TestLines.ofKind(events, FlowEvent.Kind.FAILED)).isEmpty();
    }

    @Test
    void withoutTheTestCaTheHandshakeFailsAndNothingIsRegistered() throws Exception {
        kamailio(0);
        Flow flow = open(manager(false), Duration.ofSeconds(120));

        Registration reg = flow.register(TestLines.alice());
        Poll.until(
                Duration.ofSeconds(10),
                () -> !TestLines.ofKind(events, FlowEvent.Kind.FAILED).isEmpty(),
                () -> "the flow to fail on the untrusted certificate; events " + events);

        assertThat(TestLines.ofKind(events, FlowEvent.Kind.FAILED).get(0).cause())
                .isEqualTo(FailureCause.CONNECTION_REFUSED);
        assertThat(reg.isRegistered()).isFalse();
        assertThat(TestLines.ofKind(events, FlowEvent.Kind.REGISTERED)).isEmpty();
        assertThat(kamailio.bindings("alice@example.test")).isEmpty();
    }

    /** A certificate from a trusted CA is not enough: it must name the address the flow connects to. */
    @Test
    void aTrustedCertificateForAnotherAddressIsRefused() throws Exception {
        TestCertificates other = TestCertificates.create(work.resolve("certs-127.0.0.2"), "127.0.0.2");
        certs = other; // the manager trusts this CA
        kamailio = Kamailio.start(
                KamailioConfig.builder()
                        .address("127.0.0.1")
                        .tls(0, other.serverCertificate(), other.serverKey())
                        .build(),
                work.resolve("kamailio"));
        Flow flow = open(manager(true), Duration.ofSeconds(120));

        Registration reg = flow.register(TestLines.alice());
        Poll.until(
                Duration.ofSeconds(10),
                () -> !TestLines.ofKind(events, FlowEvent.Kind.FAILED).isEmpty(),
                () -> "the flow to fail on a certificate for 127.0.0.2; events " + events);

        // refused for the name, not for the trust: the manager trusts this CA, as in the test that registers
        // (the detail names the cause only when the REGISTER, not the flow's first OPTIONS, met the handshake)
        assertThat(TestLines.ofKind(events, FlowEvent.Kind.FAILED).get(0).cause())
                .isEqualTo(FailureCause.CONNECTION_REFUSED);
        assertThat(reg.isRegistered()).isFalse();
        assertThat(kamailio.bindings("alice@example.test")).isEmpty();
    }

    @Test
    void killDashNineIsSeenAtOnceOverTlsAndANewHandshakeFollowsTheRestart() throws Exception {
        kamailio(25);
        Flow flow = open(manager(true), Duration.ofSeconds(120), Duration.ofMillis(500));
        Registration reg = flow.register(TestLines.alice());
        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered over TLS; events " + events);

        kamailio.kill();
        // far inside the 20..25 s keep-alive interval: the end of the connection is the news
        Poll.until(
                Duration.ofSeconds(2),
                () -> !TestLines.ofKind(events, FlowEvent.Kind.FAILED).isEmpty(),
                () -> "the TLS flow to fail after kill -9; events " + events);

        FlowEvent failed = TestLines.ofKind(events, FlowEvent.Kind.FAILED).get(0);
        kamailio.restart();
        Poll.until(
                Duration.ofSeconds(15),
                () -> reg.isRegistered()
                        && !kamailio.bindings("alice@example.test").isEmpty(),
                () -> "re-registered over a new TLS connection after the restart; events " + events);

        assertThat(failed.cause()).isIn(FailureCause.CONNECTION_RESET, FailureCause.CONNECTION_REFUSED);
        assertThat(kamailio.bindings("alice@example.test"))
                .singleElement()
                .satisfies(b -> assertThat(b.socket()).isEqualTo("tls:127.0.0.1:" + kamailio.tlsPort()));
    }

    @Test
    void sigstopIsDetectedByTheMissingCrlfPongOverTls() throws Exception {
        kamailio(0);
        FlowManagerCore manager = manager(true);
        Flow flow = open(manager, Duration.ofSeconds(1));
        Registration reg = flow.register(TestLines.alice());
        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered over TLS; events " + events);
        // Kamailio answers CRLFCRLF with CRLF inside TLS too: pongs keep the flow up
        Poll.until(Duration.ofSeconds(10), () -> manager.keepAlivesAnswered() >= 3, () -> "three answered pings");
        assertThat(TestLines.ofKind(events, FlowEvent.Kind.FAILED)).isEmpty();

        kamailio.pause();
        try {
            Poll.until(
                    Duration.ofSeconds(5),
                    () -> !TestLines.ofKind(events, FlowEvent.Kind.FAILED).isEmpty(),
                    () -> "a pong time-out after SIGSTOP; events " + events);
        } finally {
            kamailio.resume();
        }

        assertThat(TestLines.ofKind(events, FlowEvent.Kind.FAILED).get(0).cause())
                .isEqualTo(FailureCause.PONG_TIMEOUT);
    }
}
