// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowListener;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.time.Scheduler;
import org.sipfailover.jainsip.TransportHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow manager without OSGi: one SIP stack, the flows over it, and what connects them (connection
 * losses, STUN answers). {@link OutboundFlowManager} is its OSGi face; tests and plain-Java hosts build it
 * with {@code new}.
 */
public final class FlowManagerCore implements FlowManager, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlowManagerCore.class);
    /** The stack's own bound on a non-INVITE transaction: past Timer F (32 s) and Timer K (5 s). */
    private static final int STACK_TRANSACTION_LIFETIME_SECONDS = 64;

    private final SipEndpoint endpoint;
    private final TransportHooks hooks;
    private final String stackName;
    private final String instanceId;
    private final String userAgent;
    /** How long a request waits for its final answer when its flow names no time-out. */
    private final Duration transactionTimeout;

    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final Supplier<ServerResolver> resolver;
    private final java.util.concurrent.atomic.AtomicLong keepAlivesAnswered =
            new java.util.concurrent.atomic.AtomicLong();
    private final StunKeepAlive stun = new StunKeepAlive();
    private final BadInput badInput;
    private final Set<FlowImpl> flows = ConcurrentHashMap.newKeySet();
    /** The open flows with a reg-id, by line, reg-id and first hop. */
    private final Map<List<Object>, FlowImpl> byRegId = new ConcurrentHashMap<>();

    private final PeerConnections connections;

    /**
     * @param config the stack's settings
     * @param instanceIdFile where the instance-id is kept (the bundle's data area)
     * @param resolver the current resolver, read once per connection attempt; may give {@code null}
     * @throws IllegalArgumentException naming the setting when the stack cannot start with it
     * @throws IOException when the instance-id cannot be written
     */
    public FlowManagerCore(
            OutboundConfig config,
            Path instanceIdFile,
            Supplier<ServerResolver> resolver,
            Scheduler scheduler,
            RandomGenerator random)
            throws IOException {
        this.instanceId = InstanceId.loadOrCreate(instanceIdFile);
        this.userAgent = config.userAgent();
        this.transactionTimeout = Duration.ofMillis(config.transactionTimeoutMillis());
        this.scheduler = scheduler;
        this.random = random;
        this.resolver = resolver;
        this.badInput = new BadInput(scheduler::now);
        if (config.transactionTimeoutMillis() < 1000) {
            throw new IllegalArgumentException(
                    "transactionTimeoutMillis: " + config.transactionTimeoutMillis() + " is below 1000");
        }
        Map<Transport, Integer> ports = new EnumMap<>(Transport.class);
        ports.put(Transport.UDP, port("udpPort", config.udpPort(), config.localAddress(), true));
        ports.put(Transport.TCP, port("tcpPort", config.tcpPort(), config.localAddress(), false));
        if (config.tlsPort() >= 0) {
            ports.put(Transport.TLS, port("tlsPort", config.tlsPort(), config.localAddress(), false));
        }
        int symmetricUdpPort = fixedPort("symmetricUdpPort", config.symmetricUdpPort());
        int persistentTlsPort = fixedPort("persistentTlsPort", config.persistentTlsPort());
        // Unique whatever the injected random: the name keys the TransportHooks registry, and a seeded
        // random (as deterministic tests inject) would repeat it; JAIN-SIP's SipFactory, besides, hands back
        // the stopped stack of an earlier manager of the same name, whose sockets report to that manager.
        this.stackName = "sip-failover-" + java.util.UUID.randomUUID();
        this.hooks = TransportHooks.register(
                stackName, tlsContext(config), config.transactionTimeoutMillis(), persistentTlsPort);
        this.connections = new PeerConnections(scheduler, hooks::receivedCount, stun);
        hooks.setListener(new TransportHooks.Listener() {
            @Override
            public void onStun(DatagramPacket packet, int localPort) {
                if (!stun.received(packet)) {
                    badInput.report(
                            BadInput.Kind.MALFORMED,
                            "UDP",
                            packet.getAddress().getHostAddress(),
                            "a STUN datagram that is no Binding response (" + packet.getLength() + " bytes)");
                }
            }

            @Override
            public void onMalformedMessage(String transport, String peer, int length, String reason) {
                badInput.report(BadInput.Kind.MALFORMED, transport, peer, length + " bytes, " + reason);
            }

            @Override
            public void onReceived(InetSocketAddress remote) {
                connections.received(remote);
            }

            @Override
            public void onConnectionLost(InetSocketAddress remote, IOException cause) {
                connections.lost(remote, cause);
            }
        });
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        p.setProperty(TransportHooks.NETWORK_LAYER_PROPERTY, TransportHooks.NETWORK_LAYER_CLASS);
        // the messages JAIN-SIP drops as malformed are counted and logged (badInput)
        p.setProperty(TransportHooks.MESSAGE_PARSER_FACTORY_PROPERTY, TransportHooks.MESSAGE_PARSER_FACTORY_CLASS);
        // each request is bounded by its flow's transaction time-out (SipEndpoint.send): the stack's own bound
        // only backs that up, past Timer F (64 × T1) and Timer K, so that a late answer never reads as a time-out
        p.setProperty(
                "gov.nist.javax.sip.MAX_TX_LIFETIME_NON_INVITE", Integer.toString(STACK_TRANSACTION_LIFETIME_SECONDS));
        try {
            this.endpoint = new SipEndpoint(
                    stackName, config.localAddress(), ports, symmetricUdpPort, p, scheduler::execute, badInput);
        } catch (RuntimeException e) {
            TransportHooks.unregister(stackName);
            throw e;
        }
        LOG.info("flow manager started on {} {} with instance-id {}", config.localAddress(), ports, instanceId);
    }

    /**
     * A configuration for hosts without SCR (plain Java): the given properties, named as in the configuration
     * of {@link FlowManager#PID} ({@code localAddress}, {@code tcpPort}, {@code transactionTimeoutMillis},
     * {@code .trustStorePassword}, ...), as typed values or as text; the defaults of {@link OutboundConfig}
     * for the rest.
     *
     * @throws IllegalArgumentException naming a key that is no setting, or a value that is not of its type
     */
    public static OutboundConfig config(Map<String, ?> properties) {
        Map<String, Object> values = new java.util.HashMap<>();
        properties.forEach((key, v) -> {
            // SCR's name mapping for the one private setting: ".trustStorePassword" is element _trustStorePassword
            String element = key.startsWith(".") ? "_" + key.substring(1) : key;
            java.lang.reflect.Method m;
            try {
                m = OutboundConfig.class.getMethod(element);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(key + ": no such setting of " + FlowManager.PID, e);
            }
            if (m.getReturnType() == int.class) {
                try {
                    values.put(
                            element,
                            v instanceof Number n
                                    ? n.intValue()
                                    : Integer.parseInt(v.toString().trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number", e);
                }
            } else {
                values.put(element, v.toString());
            }
        });
        return (OutboundConfig) java.lang.reflect.Proxy.newProxyInstance(
                OutboundConfig.class.getClassLoader(),
                new Class<?>[] {OutboundConfig.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "annotationType" -> OutboundConfig.class;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    // never the trust store's password
                    case "toString" -> "OutboundConfig" + values.keySet();
                    default -> values.getOrDefault(m.getName(), m.getDefaultValue());
                });
    }

    /** The configured port, or for 0 a free one: JAIN-SIP refuses to listen on port 0 itself. */
    private static int port(String key, int v, String address, boolean udp) {
        if (v < 0 || v > 65535) {
            throw new IllegalArgumentException(key + ": " + v + " is not a port (0 = any)");
        }
        if (v != 0) {
            return v;
        }
        try (java.io.Closeable s = udp
                ? new java.net.DatagramSocket(0, java.net.InetAddress.getByName(address))
                : new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(address))) {
            return udp ? ((java.net.DatagramSocket) s).getLocalPort() : ((java.net.ServerSocket) s).getLocalPort();
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": no free port on " + address + ": " + e.getMessage(), e);
        }
    }

    /** A port that must be named: 0 (any) makes no sense for a port the server is to see. */
    private static int fixedPort(String key, int v) {
        if (v < 1 || v > 65535) {
            throw new IllegalArgumentException(key + ": " + v + " is not a port (1..65535)");
        }
        return v;
    }

    /** The JDK's trust, or the configured trust store's. */
    private static SSLContext tlsContext(OutboundConfig config) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (config.trustStore().isBlank()) {
                ctx.init(null, null, null);
                return ctx;
            }
            Path file = Path.of(config.trustStore());
            KeyStore ks = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, config._trustStorePassword().toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            // the password never goes into the message
            throw new IllegalArgumentException(
                    "trustStore: cannot load " + config.trustStore() + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public Flow open(FlowSpec spec, FlowListener listener) {
        if (endpoint.listeningPoint(spec.transportOrDefault()) == null
                && spec.address().transport() != null) {
            throw new IllegalArgumentException("flow for line " + spec.lineId() + ": transport "
                    + spec.address().transport().name().toLowerCase() + " is not offered by this flow manager "
                    + endpoint.transports());
        }
        // one reg-id per first hop (RFC 5626 §4.2: it names the flow of this instance at a registrar); the same
        // reg-id towards another server is how a line moves a binding without a gap. Looked up in an index, not
        // by scanning every flow: thousands of lines open thousands of flows at once when a server dies.
        List<Object> key = spec.regId() == 0 ? null : List.of(spec.lineId(), spec.regId(), spec.address());
        FlowImpl flow = new FlowImpl(spec, listener, resources, health);
        if (key != null && byRegId.putIfAbsent(key, flow) != null) {
            throw new IllegalArgumentException("flow for line " + spec.lineId() + ": reg-id " + spec.regId()
                    + " is already in use towards " + spec.address());
        }
        flows.add(flow);
        flow.start();
        return flow;
    }

    @Override
    public List<Flow> flows() {
        return List.copyOf(flows);
    }

    /** CRLF pings sent so far, over all connections (flows over one connection share them). */
    long pingsSent() {
        return connections.pingsSent();
    }

    /** Keep-alives (CRLF pings, STUN requests) answered in time so far, over all flows. */
    public long keepAlivesAnswered() {
        return keepAlivesAnswered.get();
    }

    /** Handler failures caught in the stack's callbacks, for tests and diagnostics. */
    long handlerErrors() {
        return endpoint.handlerErrors();
    }

    /** Messages from peers dropped as malformed (also STUN datagrams that made no sense), so far. */
    long malformedMessages() {
        return badInput.count(BadInput.Kind.MALFORMED);
    }

    /** Well-formed messages from peers for no transaction or dialog, so far. */
    long strayMessages() {
        return badInput.count(BadInput.Kind.STRAY);
    }

    @Override
    public void close() {
        List.copyOf(flows).forEach(FlowImpl::close);
        hooks.resetPersistentConnections();
        endpoint.stop();
        TransportHooks.unregister(stackName);
    }

    private final FlowResources resources = new FlowResources() {
        @Override
        public SipEndpoint endpoint() {
            return endpoint;
        }

        @Override
        public TransportHooks hooks() {
            return hooks;
        }

        @Override
        public Scheduler scheduler() {
            return scheduler;
        }

        @Override
        public Duration transactionTimeout() {
            return transactionTimeout;
        }

        @Override
        public RandomGenerator random() {
            return random;
        }

        @Override
        public Supplier<ServerResolver> resolver() {
            return resolver;
        }

        @Override
        public String instanceId() {
            return instanceId;
        }

        @Override
        public String userAgent() {
            return userAgent;
        }

        @Override
        public StunKeepAlive stun() {
            return stun;
        }

        @Override
        public long ping(org.sipfailover.api.net.Transport transport, InetSocketAddress peer, java.time.Duration window)
                throws IOException {
            return connections.ping(peer, window, () -> endpoint.sendHeartbeat(transport, peer));
        }
    };

    private final FlowHealth health = new FlowHealth() {
        @Override
        public void keepAliveAnswered() {
            keepAlivesAnswered.incrementAndGet();
        }

        @Override
        public boolean allOtherFlowsFailed(FlowImpl self) {
            // lock-free reads: a failure of every flow at once (a dead server) asks this of every flow
            for (FlowImpl f : flows) {
                if (f != self && !f.isFailedNow()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void watch(FlowImpl flow, InetSocketAddress peer) {
            connections.watch(flow, peer);
        }

        @Override
        public void unwatch(FlowImpl flow, InetSocketAddress peer) {
            connections.unwatch(flow, peer);
        }

        @Override
        public void connectionSilent(FlowImpl flow, InetSocketAddress peer, long before) {
            connections.silent(flow, peer, before);
        }

        @Override
        public void awaitPong(FlowImpl flow, InetSocketAddress peer) {
            connections.awaitPong(flow, peer);
        }

        @Override
        public void closed(FlowImpl flow) {
            flows.remove(flow);
            FlowSpec spec = flow.spec();
            if (spec.regId() != 0) {
                byRegId.remove(List.of(spec.lineId(), spec.regId(), spec.address()), flow);
            }
        }
    };
}
