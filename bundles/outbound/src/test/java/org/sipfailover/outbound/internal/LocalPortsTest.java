// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.sipfailover.api.flow.RegisterRequest;
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
import org.sipfailover.testkit.net.FreePorts;
import org.sipfailover.testkit.sip.Binding;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;
import org.sipfailover.testkit.tls.TestCertificates;

/**
 * The local ports flows use, as a real Kamailio 5.6 sees them in its location table ({@code received} is the
 * source address and port of the REGISTER, {@code $si:$sp}): Aastra's "sip symmetric udp signaling" (UDP from
 * and to one fixed port, instead of the stack's random one) and "Persistent TLS" (one TLS connection from one
 * fixed local port, shared, instead of connections from random ports). The fixed ports are free ports here,
 * not 5060 and 5061.
 */
@RealServers
class LocalPortsTest {

    private static final ServerRef REGISTRAR = ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path work;

    private ScheduledExecutorService executor;
    private EmbeddedResolver resolver;
    private final List<FlowManagerCore> managers = new ArrayList<>();
    private Kamailio kamailio;
    private TestCertificates certs;
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
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

    private FlowManagerCore manager(Map<String, Object> config) throws Exception {
        Map<String, Object> c = new HashMap<>(config);
        c.put("localAddress", "127.0.0.1");
        c.putIfAbsent("transactionTimeoutMillis", 4000);
        if (certs != null) {
            c.put("trustStore", certs.trustStore().toString());
            c.put("_trustStorePassword", certs.trustStorePassword());
        }
        FlowManagerCore m = new FlowManagerCore(
                Configs.of(OutboundConfig.class, c),
                work.resolve("data-" + managers.size() + "/instance-id"),
                () -> resolver,
                new ExecutorScheduler(executor, Clock.systemUTC(), Throwable::printStackTrace),
                new SplittableRandom());
        managers.add(m);
        return m;
    }

    private void kamailio(boolean tls) throws Exception {
        KamailioConfig.Builder b = KamailioConfig.builder().address("127.0.0.1");
        if (tls) {
            certs = TestCertificates.create(work.resolve("certs"), "127.0.0.1");
            b.tls(0, certs.serverCertificate(), certs.serverKey());
        }
        kamailio = Kamailio.start(b.build(), work.resolve("kamailio"));
    }

    /** A flow of line {@code user} with its own REGISTER of {@code user@example.test}. */
    private Registration register(
            FlowManagerCore manager,
            String user,
            Transport t,
            boolean persistentTls,
            boolean symmetricUdp,
            Duration keepAlive) {
        int port = t == Transport.TLS ? kamailio.tlsPort() : kamailio.port();
        FlowSpec spec = FlowSpec.builder(user, REGISTRAR, new ServerAddress("127.0.0.1", port, t))
                .regId(1)
                .outbound(true)
                .keepAlive(keepAlive, Duration.ofSeconds(1))
                .ports(persistentTls, symmetricUdp)
                .recovery(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1))
                .build();
        Flow flow = manager.open(spec, events::add);
        return flow.register(new RegisterRequest(
                "sip:" + user + "@example.test",
                ServerAddress.of("example.test", 0),
                null,
                Duration.ofSeconds(300),
                Duration.ofSeconds(15),
                null));
    }

    private Binding binding(String user) {
        List<Binding> bindings = kamailio.bindings(user + "@example.test");
        assertThat(bindings).as("bindings of " + user).hasSize(1);
        return bindings.get(0);
    }

    private static int receivedPort(Binding b) {
        // sip:127.0.0.1:40123;transport=udp
        String hostPort = b.received().substring(4, b.received().indexOf(';'));
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static int contactPort(Binding b) {
        // sip:alice@127.0.0.1:40123;transport=udp;ob
        String afterAt = b.contact().substring(b.contact().indexOf('@') + 1);
        String hostPort = afterAt.split(";")[0];
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static List<FlowEvent> failures(List<FlowEvent> events) {
        return TestLines.ofKind(events, FlowEvent.Kind.FAILED);
    }

    @Test
    void aSymmetricUdpFlowSendsFromAndNamesTheSymmetricPortAndAnotherFlowKeepsTheRandomOne() throws Exception {
        kamailio(false);
        int symmetric = FreePorts.udpAndTcp(LOOPBACK);
        FlowManagerCore manager = manager(Map.of("symmetricUdpPort", symmetric));

        Registration alice = register(manager, "alice", Transport.UDP, false, true, Duration.ofSeconds(1));
        Registration bob = register(manager, "bob", Transport.UDP, false, false, Duration.ofSeconds(1));
        Poll.until(
                Duration.ofSeconds(10),
                () -> alice.isRegistered() && bob.isRegistered(),
                () -> "both registered; events " + events);
        // STUN keep-alives go from each flow's own socket and are answered there: three rounds, no failure
        long answered = manager.keepAlivesAnswered();
        Poll.until(
                Duration.ofSeconds(10),
                () -> manager.keepAlivesAnswered() >= answered + 6,
                () -> "three rounds of STUN answers for two flows");

        Binding a = binding("alice");
        assertThat(a.received()).isEqualTo("sip:127.0.0.1:" + symmetric + ";transport=udp");
        assertThat(contactPort(a)).isEqualTo(symmetric);
        Binding b = binding("bob");
        assertThat(receivedPort(b)).isNotEqualTo(symmetric).isEqualTo(contactPort(b));
        assertThat(failures(events)).isEmpty();
    }

    @Test
    void aSymmetricUdpFlowWaitsForItsPortWhenAnotherProcessHoldsItAndTheOtherFlowsGoOn() throws Exception {
        kamailio(false);
        int symmetric = FreePorts.udpAndTcp(LOOPBACK);
        FlowManagerCore manager = manager(Map.of("symmetricUdpPort", symmetric));
        Registration alice;
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LOOPBACK, symmetric))) {
            alice = register(manager, "alice", Transport.UDP, false, true, Duration.ofSeconds(120));
            Registration bob = register(manager, "bob", Transport.UDP, false, false, Duration.ofSeconds(120));
            Poll.until(
                    Duration.ofSeconds(10),
                    () -> !failures(events).isEmpty() && bob.isRegistered(),
                    () -> "alice's flow to fail on the taken port and bob's to register; events " + events);
            assertThat(alice.isRegistered()).isFalse();
            assertThat(failures(events).get(0).cause()).isEqualTo(FailureCause.CONNECTION_REFUSED);
            assertThat(failures(events).get(0).detail())
                    .contains("symmetric UDP port")
                    .contains(":" + symmetric);
        }
        // the port is free again: the flow's recovery opens it
        Poll.until(
                Duration.ofSeconds(10),
                alice::isRegistered,
                () -> "alice registered once the port is free; events " + events);
        assertThat(binding("alice").received()).isEqualTo("sip:127.0.0.1:" + symmetric + ";transport=udp");
    }

    @Test
    void persistentTlsFlowsShareOneConnectionFromThePersistentPort() throws Exception {
        kamailio(true);
        int persistent = FreePorts.udpAndTcp(LOOPBACK);
        FlowManagerCore manager = manager(Map.of("tlsPort", 0, "persistentTlsPort", persistent));

        Registration alice = register(manager, "alice", Transport.TLS, true, false, Duration.ofSeconds(120));
        Registration bob = register(manager, "bob", Transport.TLS, true, false, Duration.ofSeconds(120));
        Poll.until(
                Duration.ofSeconds(10),
                () -> alice.isRegistered() && bob.isRegistered(),
                () -> "both registered over TLS; events " + events);

        Binding a = binding("alice");
        Binding b = binding("bob");
        assertThat(a.received()).isEqualTo("sip:127.0.0.1:" + persistent + ";transport=tls");
        assertThat(b.received()).isEqualTo(a.received());
        // one connection: Kamailio's id of the TLS connection each REGISTER came in on
        assertThat(b.tcpConnectionId()).isEqualTo(a.tcpConnectionId()).isPositive();
        assertThat(failures(events)).isEmpty();
    }

    @Test
    void plainTlsFlowsConnectFromRandomPortsOneConnectionPerStack() throws Exception {
        kamailio(true);
        int persistent = FreePorts.udpAndTcp(LOOPBACK);
        // the same persistent port configured, unused: these flows do not ask for persistent TLS
        Registration alice = register(
                manager(Map.of("tlsPort", 0, "persistentTlsPort", persistent)),
                "alice",
                Transport.TLS,
                false,
                false,
                Duration.ofSeconds(120));
        Registration bob = register(
                manager(Map.of("tlsPort", 0, "persistentTlsPort", persistent)),
                "bob",
                Transport.TLS,
                false,
                false,
                Duration.ofSeconds(120));
        Poll.until(
                Duration.ofSeconds(10),
                () -> alice.isRegistered() && bob.isRegistered(),
                () -> "both registered over TLS; events " + events);

        Binding a = binding("alice");
        Binding b = binding("bob");
        assertThat(receivedPort(a)).isNotEqualTo(persistent);
        assertThat(receivedPort(b)).isNotEqualTo(persistent).isNotEqualTo(receivedPort(a));
        assertThat(b.tcpConnectionId()).isNotEqualTo(a.tcpConnectionId());
    }

    /**
     * A persistent TLS flow that gives up its connection (no pong while Kamailio is stopped) connects again
     * from the same local port, to the same server: the reconnect must not be kept out by the old connection.
     */
    @Test
    void afterAFailureThePersistentTlsFlowReconnectsFromTheSamePort() throws Exception {
        kamailio(true);
        int persistent = FreePorts.udpAndTcp(LOOPBACK);
        FlowManagerCore manager = manager(Map.of("tlsPort", 0, "persistentTlsPort", persistent));
        Registration alice = register(manager, "alice", Transport.TLS, true, false, Duration.ofSeconds(1));
        Poll.until(Duration.ofSeconds(10), alice::isRegistered, () -> "registered over TLS; events " + events);
        int firstConnection = binding("alice").tcpConnectionId();

        kamailio.pause();
        try {
            Poll.until(
                    Duration.ofSeconds(10),
                    () -> !failures(events).isEmpty(),
                    () -> "a pong time-out while Kamailio is stopped; events " + events);
        } finally {
            kamailio.resume();
        }
        Poll.until(
                Duration.ofSeconds(20),
                () -> alice.isRegistered() && binding("alice").tcpConnectionId() != firstConnection,
                () -> "registered again over a new connection; events " + events);

        assertThat(failures(events).get(0).cause()).isEqualTo(FailureCause.PONG_TIMEOUT);
        assertThat(binding("alice").received()).isEqualTo("sip:127.0.0.1:" + persistent + ";transport=tls");
    }

    /**
     * A flow manager stopped (a bundle restart, a new configuration) and started again at once connects from
     * the persistent port to the same server again: its old connection must not hold the port (TIME_WAIT).
     */
    @Test
    void aNewManagerReconnectsFromThePersistentPortAtOnce() throws Exception {
        kamailio(true);
        int persistent = FreePorts.udpAndTcp(LOOPBACK);
        FlowManagerCore first = manager(Map.of("tlsPort", 0, "persistentTlsPort", persistent));
        Registration before = register(first, "alice", Transport.TLS, true, false, Duration.ofSeconds(120));
        Poll.until(Duration.ofSeconds(10), before::isRegistered, () -> "registered over TLS; events " + events);
        int firstConnection = binding("alice").tcpConnectionId();
        first.close();
        managers.remove(first);

        Registration after = register(
                manager(Map.of("tlsPort", 0, "persistentTlsPort", persistent)),
                "alice",
                Transport.TLS,
                true,
                false,
                Duration.ofSeconds(120));
        Poll.until(Duration.ofSeconds(10), after::isRegistered, () -> "registered again; events " + events);

        Binding b = binding("alice");
        assertThat(b.tcpConnectionId()).isNotEqualTo(firstConnection);
        assertThat(b.received()).isEqualTo("sip:127.0.0.1:" + persistent + ";transport=tls");
        assertThat(failures(events)).isEmpty();
    }

    /** As a phone does it: listening for TLS on the port its persistent connection leaves from. */
    @Test
    void theTlsListeningPortCanBeThePersistentPort() throws Exception {
        kamailio(true);
        int port = FreePorts.udpAndTcp(LOOPBACK);
        FlowManagerCore manager = manager(Map.of("tlsPort", port, "persistentTlsPort", port));

        Registration alice = register(manager, "alice", Transport.TLS, true, false, Duration.ofSeconds(120));
        Poll.until(Duration.ofSeconds(10), alice::isRegistered, () -> "registered over TLS; events " + events);

        Binding a = binding("alice");
        assertThat(a.received()).isEqualTo("sip:127.0.0.1:" + port + ";transport=tls");
        assertThat(contactPort(a)).isEqualTo(port);
    }

    @Test
    void fixedPortsMustBePorts() {
        assertThatThrownBy(() -> manager(Map.of("symmetricUdpPort", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("symmetricUdpPort: 0");
        assertThatThrownBy(() -> manager(Map.of("persistentTlsPort", 70000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("persistentTlsPort: 70000");
    }
}
