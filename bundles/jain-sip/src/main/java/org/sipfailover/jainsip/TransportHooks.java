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
    }

    private static final Listener NONE = new Listener() {
        @Override
        public void onStun(DatagramPacket packet, int localPort) {
        }

        @Override
        public void onConnectionLost(InetSocketAddress remote, IOException cause) {
        }
    };

    private final SSLContext tls;
    private final int connectTimeoutMillis;
    private volatile Listener listener = NONE;
    private final Map<InetSocketAddress, AtomicLong> received = new ConcurrentHashMap<>();
    private final Map<Integer, DatagramSocket> udpSockets = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, String> tlsHosts = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, java.net.Socket> connections = new ConcurrentHashMap<>();

    private TransportHooks(SSLContext tls, int connectTimeoutMillis) {
        this.tls = tls;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /**
     * Hooks for the stack of this name.
     *
     * @param tls the TLS context for client connections (its trust managers decide what is trusted)
     * @param connectTimeoutMillis how long a TCP or TLS connect may take
     */
    public static TransportHooks register(String stackName, SSLContext tls, int connectTimeoutMillis) {
        TransportHooks hooks = new TransportHooks(Objects.requireNonNull(tls, "tls"), connectTimeoutMillis);
        if (BY_STACK.putIfAbsent(stackName, hooks) != null) {
            throw new IllegalStateException("a stack named " + stackName + " is already hooked");
        }
        return hooks;
    }

    public static void unregister(String stackName) {
        BY_STACK.remove(stackName);
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

    /**
     * Closes the stack's connection to {@code remote}, TCP or TLS, so that the next request opens a fresh
     * one; a connection that failed is never used again (usnistgov/jsip#65). No loss is reported for it.
     */
    public void closeConnection(InetSocketAddress remote) {
        java.net.Socket s = connections.remove(remote);
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // already broken: that is the point
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
