// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.jainsip;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The network layer JAIN-SIP creates its sockets through (stack property
 * {@link TransportHooks#NETWORK_LAYER_PROPERTY}). Its TCP and TLS client sockets tell the stack's
 * {@link TransportHooks} the moment a connection ends, and count what arrives; its SIP UDP socket hands STUN
 * datagrams to the hooks instead of the SIP parser; its TLS client sockets verify the server's certificate
 * and host name.
 */
public final class FlowNetworkLayer implements NetworkLayer {

    private volatile TransportHooks hooks;

    public FlowNetworkLayer() {}

    @Override
    public void setSipStack(SipStackImpl stack) {
        this.hooks = TransportHooks.forStack(stack.getStackName());
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return ServerSocketFactory.getDefault().createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        // flows are opened by this side: the TLS listening point exists for the stack, not for peers
        SSLServerSocket s =
                (SSLServerSocket) hooks.tls().getServerSocketFactory().createServerSocket();
        if (port != 0 && port == hooks.persistentTlsPort()) {
            // listening on the port that persistent TLS connections leave from, as a phone does: Linux lets a
            // connecting socket share a listener's port only when both set SO_REUSEPORT
            s.setReuseAddress(true);
            reusePort(s);
        }
        s.bind(new InetSocketAddress(bindAddress, port), backlog);
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return createSocket(address, port, null, 0);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress) throws IOException {
        return createSocket(address, port, localAddress, 0);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return connect(address, port, myAddress, myPort, true);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress localAddress) throws IOException {
        InetSocketAddress remote = new InetSocketAddress(address, port);
        WatchedSocket plain = connect(address, port, localAddress, hooks.tlsLocalPort(remote), false);
        String host = hooks.tlsHost(remote);
        SSLSocket ssl = (SSLSocket) hooks.tls().getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        // the certificate must name the server we meant to reach, not just chain to a trusted CA
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.setUseClientMode(true);
        // the stack's connection once it is one: a handshake that fails is a refused connection, which the
        // send reports, not a lost one
        ssl.addHandshakeCompletedListener(e -> hooks.connectionOpened(remote, plain));
        return ssl;
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return new DatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress laddr) throws SocketException {
        StunFilteringSocket s = new StunFilteringSocket(port, laddr, hooks);
        hooks.udpSocketOpened(s.getLocalPort(), s);
        return s;
    }

    private WatchedSocket connect(InetAddress address, int port, InetAddress local, int localPort, boolean opened)
            throws IOException {
        WatchedSocket s = new WatchedSocket(new InetSocketAddress(address, port), hooks);
        if (local != null || localPort != 0) {
            if (localPort != 0) {
                // a fixed local port: a reconnect must not wait for the last connection's TIME_WAIT, and the
                // port may be shared with our listener or with connections to other remotes
                s.setReuseAddress(true);
                reusePort(s);
            }
            s.bind(new InetSocketAddress(local, localPort));
        }
        try {
            s.connect(new InetSocketAddress(address, port), hooks.connectTimeoutMillis());
        } catch (IOException e) {
            s.close();
            throw e;
        }
        if (opened) {
            hooks.connectionOpened(new InetSocketAddress(address, port), s);
        }
        return s;
    }

    private static void reusePort(java.io.Closeable socket) throws IOException {
        try {
            if (socket instanceof ServerSocket ss) {
                ss.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
            } else {
                ((Socket) socket).setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
            }
        } catch (UnsupportedOperationException e) {
            // not on this platform: SO_REUSEADDR alone still lets connections to different remotes share the port
        }
    }

    /** A client socket that reports its end and counts what it reads. */
    private static final class WatchedSocket extends Socket {
        private final InetSocketAddress remote;
        private final TransportHooks hooks;
        private InputStream in;
        private volatile boolean reported;

        WatchedSocket(InetSocketAddress remote, TransportHooks hooks) {
            this.remote = remote;
            this.hooks = hooks;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b;
                        try {
                            b = super.read();
                        } catch (IOException e) {
                            lost(e);
                            throw e;
                        }
                        seen(b < 0 ? -1 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n;
                        try {
                            n = super.read(buf, off, len);
                        } catch (IOException e) {
                            lost(e);
                            throw e;
                        }
                        seen(n);
                        return n;
                    }
                };
            }
            return in;
        }

        @Override
        public synchronized void close() throws IOException {
            // a close of the stack's own making (it drops a connection that failed a write, or a peer that sent
            // what it cannot frame) ends the flow as surely as the peer's: report it, unless it is ours
            // (TransportHooks.closeConnection forgets the connection before closing it)
            boolean stacks = !isClosed() && hooks.isCurrentConnection(remote, this);
            super.close();
            if (stacks && !reported) {
                reported = true;
                hooks.listener().onConnectionLost(remote, new IOException("closed by the SIP stack"));
            }
        }

        private void seen(int n) {
            if (n < 0) {
                lost(null);
            } else if (n > 0) {
                hooks.countReceived(remote);
            }
        }

        private void lost(IOException cause) {
            // a close of our own making is not news; the peer's close or a reset is, once
            if (!reported && !isClosed()) {
                reported = true;
                hooks.listener().onConnectionLost(remote, cause);
            }
        }
    }

    /** The SIP UDP socket: STUN datagrams go to the hooks, everything else to JAIN-SIP. */
    private static final class StunFilteringSocket extends DatagramSocket {
        private final TransportHooks hooks;

        StunFilteringSocket(int port, InetAddress laddr, TransportHooks hooks) throws SocketException {
            super(port, laddr);
            this.hooks = hooks;
        }

        @Override
        public synchronized void receive(DatagramPacket p) throws IOException {
            while (true) {
                super.receive(p);
                if (!isStun(p.getData(), p.getOffset(), p.getLength())) {
                    return;
                }
                byte[] copy = java.util.Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
                try {
                    hooks.listener()
                            .onStun(new DatagramPacket(copy, copy.length, p.getSocketAddress()), getLocalPort());
                } catch (RuntimeException e) {
                    // this is the stack's receiving thread: what a hostile datagram breaks must not stop it
                    hooks.listener()
                            .onMalformedMessage(
                                    "UDP", p.getAddress().getHostAddress(), copy.length, "STUN handling failed: " + e);
                }
                p.setLength(p.getData().length - p.getOffset());
            }
        }

        /** RFC 5389 §6 / RFC 7983: first two bits zero and the magic cookie; SIP starts with a letter. */
        private static boolean isStun(byte[] b, int off, int len) {
            return len >= 20
                    && (b[off] & 0xC0) == 0
                    && (b[off + 4] & 0xff) == 0x21
                    && (b[off + 5] & 0xff) == 0x12
                    && (b[off + 6] & 0xff) == 0xA4
                    && (b[off + 7] & 0xff) == 0x42;
        }
    }
}
