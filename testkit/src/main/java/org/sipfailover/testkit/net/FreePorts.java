// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds ports for servers that a test starts, such as DNS servers which listen on UDP and TCP at once.
 *
 * <p>The ports come from below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}), as a real
 * server's 5060 or 53 does: a server that is killed and restarted on the same port must find it free, and a port
 * of the ephemeral range can meanwhile be taken by any client socket (in a soak, one of the thousands the lines
 * open), or by a TCP connection to that very port that the kernel joined to itself.
 */
public final class FreePorts {

    private static final int ATTEMPTS = 200;
    /** The lowest port handed out: above the well-known and most registered services' ports. */
    static final int LOWEST = 20000;

    private static final int EPHEMERAL_LOW = ephemeralLow();

    private FreePorts() {}

    /**
     * A port that was free for both UDP and TCP on {@code address} a moment ago. Another process may take
     * it before the caller binds it, so a caller that can should retry with a new port on a bind failure.
     *
     * @throws UncheckedIOException if no such port turned up after many attempts
     */
    public static int udpAndTcp(InetAddress address) {
        IOException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = LOWEST + java.util.concurrent.ThreadLocalRandom.current().nextInt(EPHEMERAL_LOW - LOWEST);
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port))) {
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

    /** The first port of the kernel's ephemeral range, 32768 where it cannot be read or leaves too little below. */
    static int ephemeralLow() {
        try {
            String range =
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            int low = Integer.parseInt(range.trim().split("\\s+")[0]);
            return low >= LOWEST + 1000 ? low : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
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
