// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.jainsip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * What the flow manager learns from, and does through, the sockets of one JAIN-SIP stack that uses
 * {@link FlowNetworkLayer}. Register before creating the stack, with the stack's name; unregister after
 * stopping it. Thread-safe.
 */
public final class TransportHooks {

    /** The JAIN-SIP stack property that names the network layer. */
    public static final String NETWORK_LAYER_PROPERTY = "gov.nist.javax.sip.NETWORK_LAYER";
    /** The value to give {@link #NETWORK_LAYER_PROPERTY}. */
    public static final String NETWORK_LAYER_CLASS = "org.sipfailover.jainsip.FlowNetworkLayer";
    /** The JAIN-SIP stack property that names the message parser factory. @since 1.1 */
    public static final String MESSAGE_PARSER_FACTORY_PROPERTY = "gov.nist.javax.sip.MESSAGE_PARSER_FACTORY";
    /**
     * The value to give {@link #MESSAGE_PARSER_FACTORY_PROPERTY}, so that the messages JAIN-SIP drops as
     * malformed reach {@link Listener#onMalformedMessage}. @since 1.1
     */
    public static final String MESSAGE_PARSER_FACTORY_CLASS = "org.sipfailover.jainsip.FlowMessageParserFactory";

    private static final Map<String, TransportHooks> BY_STACK = new ConcurrentHashMap<>();

    /** Told of what happens on the sockets; called on the stack's I/O threads, must return quickly. */
    public interface Listener {
        /** A STUN datagram arrived on the SIP UDP socket bound to {@code localPort}. */
        void onStun(DatagramPacket packet, int localPort);

        /**
         * A TCP or TLS connection to {@code remote} ended: closed by the peer, reset, or broken.
         *
         * @param cause the I/O error, or {@code null} when the peer closed it
         */
        void onConnectionLost(InetSocketAddress remote, IOException cause);

        /**
         * A message from a peer that the stack drops as malformed: it does not parse, or lacks a header
         * every SIP message must have. Also a datagram taken for STUN whose handling failed.
         *
         * @param transport {@code UDP}, {@code TCP} or {@code TLS}
         * @param peer the sender's address, with the port where it is known
         * @param length the message's length in bytes
         * @param reason what is wrong; may quote the message, so it may hold anything the peer sent
         * @since 1.1
         */
        default void onMalformedMessage(String transport, String peer, int length, String reason) {}

        /**
         * Data arrived on the stack's TCP or TLS connection to {@code remote}: after a CRLF ping, its pong or
         * any SIP message (RFC 5626 §4.4.1). Called on every read that returns data; must not throw.
         *
         * @since 1.1
         */
        default void onReceived(InetSocketAddress remote) {}
    }

    private static final Listener NONE = new Listener() {
        @Override
        public void onStun(DatagramPacket packet, int localPort) {}

        @Override
        public void onConnectionLost(InetSocketAddress remote, IOException cause) {}
    };

    private final SSLContext tls;
    private final int connectTimeoutMillis;
    private final int persistentTlsPort;
    private volatile Listener listener = NONE;
    private final Map<InetSocketAddress, AtomicLong> received = new ConcurrentHashMap<>();
    private final Map<Integer, DatagramSocket> udpSockets = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, String> tlsHosts = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, java.net.Socket> connections = new ConcurrentHashMap<>();
    /** How many flows want their TLS connection to each remote from {@link #persistentTlsPort}. */
    private final Map<InetSocketAddress, Integer> persistentTls = new ConcurrentHashMap<>();

    private TransportHooks(SSLContext tls, int connectTimeoutMillis, int persistentTlsPort) {
        this.tls = tls;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.persistentTlsPort = persistentTlsPort;
    }

    /**
     * Hooks for the stack of this name.
     *
     * @param tls the TLS context for client connections (its trust managers decide what is trusted)
     * @param connectTimeoutMillis how long a TCP or TLS connect may take
     */
    public static TransportHooks register(String stackName, SSLContext tls, int connectTimeoutMillis) {
        return register(stackName, tls, connectTimeoutMillis, 0);
    }

    /**
     * Hooks for the stack of this name, whose persistent TLS connections (see {@link #holdPersistentTls})
     * leave from local port {@code persistentTlsPort}.
     *
     * @param persistentTlsPort 1..65535, or 0 for none
     * @throws IllegalArgumentException if the port is out of range
     * @since 1.1
     */
    public static TransportHooks register(
            String stackName, SSLContext tls, int connectTimeoutMillis, int persistentTlsPort) {
        if (persistentTlsPort < 0 || persistentTlsPort > 65535) {
            throw new IllegalArgumentException("persistent TLS port out of range: " + persistentTlsPort);
        }
        TransportHooks hooks =
                new TransportHooks(Objects.requireNonNull(tls, "tls"), connectTimeoutMillis, persistentTlsPort);
        if (BY_STACK.putIfAbsent(stackName, hooks) != null) {
            throw new IllegalStateException("a stack named " + stackName + " is already hooked");
        }
        return hooks;
    }

    public static void unregister(String stackName) {
        BY_STACK.remove(stackName);
    }

    /** The hooks of a stack, or {@code null} for a stack that has none. */
    static TransportHooks find(String stackName) {
        return BY_STACK.get(stackName);
    }

    static TransportHooks forStack(String stackName) {
        TransportHooks h = BY_STACK.get(stackName);
        if (h == null) {
            throw new IllegalStateException("no TransportHooks registered for the SIP stack " + stackName);
        }
        return h;
    }

    public void setListener(Listener l) {
        this.listener = l == null ? NONE : l;
    }

    Listener listener() {
        return listener;
    }

    SSLContext tls() {
        return tls;
    }

    int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    /**
     * How many reads on connections to {@code remote} have returned data so far. Any data after a CRLF
     * ping, the pong or a SIP message, proves the flow alive (RFC 5626 §4.4.1).
     */
    public long receivedCount(InetSocketAddress remote) {
        AtomicLong n = received.get(remote);
        return n == null ? 0 : n.get();
    }

    void countReceived(InetSocketAddress remote) {
        received.computeIfAbsent(remote, r -> new AtomicLong()).incrementAndGet();
        listener.onReceived(remote);
    }

    /** The host name a TLS server at {@code remote} must prove (the SRV target or configured host). */
    public void expectTlsHost(InetSocketAddress remote, String hostName) {
        tlsHosts.put(remote, hostName);
    }

    String tlsHost(InetSocketAddress remote) {
        return tlsHosts.getOrDefault(remote, remote.getAddress().getHostAddress());
    }

    void connectionOpened(InetSocketAddress remote, java.net.Socket socket) {
        connections.put(remote, socket);
    }

    /** Whether the stack has a connection of its own making (a flow's) to {@code remote}. */
    boolean isConnection(InetSocketAddress remote) {
        return connections.containsKey(remote);
    }

    /** Whether {@code socket} is the connection to {@code remote} that the stack uses now. */
    boolean isCurrentConnection(InetSocketAddress remote, java.net.Socket socket) {
        return connections.get(remote) == socket;
    }

    /** The local port persistent TLS connections leave from; 0 when there is none. @since 1.1 */
    public int persistentTlsPort() {
        return persistentTlsPort;
    }

    /**
     * A flow wants its TLS connection to {@code remote} to leave from {@link #persistentTlsPort()} (Aastra
     * "Persistent TLS"). The stack keeps one connection per remote, which every flow to that remote shares:
     * the wish applies when that connection is next opened, so it should be made before the flow's first
     * request. Counted: each call needs one {@link #releasePersistentTls}.
     *
     * @throws IllegalStateException if the hooks were registered without a persistent TLS port
     * @since 1.1
     */
    public void holdPersistentTls(InetSocketAddress remote) {
        if (persistentTlsPort == 0) {
            throw new IllegalStateException("no persistent TLS port configured");
        }
        persistentTls.merge(remote, 1, Integer::sum);
    }

    /** Takes back one {@link #holdPersistentTls} for {@code remote}. @since 1.1 */
    public void releasePersistentTls(InetSocketAddress remote) {
        persistentTls.computeIfPresent(remote, (r, n) -> n > 1 ? n - 1 : null);
    }

    /** The local port to connect to {@code remote} from over TLS; 0 = any. */
    int tlsLocalPort(InetSocketAddress remote) {
        return persistentTls.containsKey(remote) ? persistentTlsPort : 0;
    }

    /**
     * Closes the stack's connection to {@code remote}, TCP or TLS, so that the next request opens a fresh
     * one; a connection that failed is never used again (usnistgov/jsip#65). No loss is reported for it.
     */
    public void closeConnection(InetSocketAddress remote) {
        java.net.Socket s = connections.remove(remote);
        if (s != null) {
            try {
                if (persistentTlsPort != 0 && s.getLocalPort() == persistentTlsPort) {
                    // a reset rather than a close: a connection we close gracefully stays in TIME_WAIT on our
                    // fixed port, and the next connection to the same remote (the same four-tuple) would wait
                    s.setSoLinger(true, 0);
                }
                s.close();
            } catch (IOException e) {
                // already broken: that is the point
            }
        }
    }

    /**
     * Resets every connection from the persistent TLS port, before the stack stops: closed gracefully they
     * would hold the port in TIME_WAIT, and a stack started right after (a restart, a new configuration)
     * could not connect from it to the same servers.
     *
     * @since 1.1
     */
    public void resetPersistentConnections() {
        if (persistentTlsPort == 0) {
            return;
        }
        for (Map.Entry<InetSocketAddress, java.net.Socket> e : connections.entrySet()) {
            if (e.getValue().getLocalPort() == persistentTlsPort) {
                closeConnection(e.getKey());
            }
        }
    }

    void udpSocketOpened(int localPort, DatagramSocket socket) {
        udpSockets.put(localPort, socket);
    }

    /**
     * Sends a datagram from the SIP UDP socket bound to {@code localPort}, so that it takes the same path
     * (and NAT binding) as the SIP messages of the flow.
     */
    public void sendFromSipSocket(int localPort, byte[] data, InetSocketAddress to) throws IOException {
        DatagramSocket s = udpSockets.get(localPort);
        if (s == null) {
            throw new IOException("no SIP UDP socket on local port " + localPort);
        }
        s.send(new DatagramPacket(data, data.length, to));
    }
}
