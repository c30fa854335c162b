package org.sipfailover.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds ports for servers that a test starts, such as DNS servers which listen on UDP and TCP at once. */
public final class FreePorts {

    private static final int ATTEMPTS = 100;

    private FreePorts() {
    }

    /**
     * A port that was free for both UDP and TCP on {@code address} a moment ago. Another process may take
     * it before the caller binds it, so a caller that can should retry with a new port on a bind failure.
     *
     * @throws UncheckedIOException if no such port turned up after many attempts
     */
    public static int udpAndTcp(InetAddress address) {
        IOException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            // the kernel picks a free UDP port; whether TCP is free at the same number is luck, hence the retry
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, 0))) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket()) {
                    tcp.setReuseAddress(false);
                    tcp.bind(new InetSocketAddress(address, port));
                    return port;
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException("no port free for both UDP and TCP on " + address, last);
    }

    /** Whether {@code port} can be bound on {@code address} right now for both UDP and TCP. */
    public static boolean isFreeForUdpAndTcp(InetAddress address, int port) {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port));
             ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(address, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
