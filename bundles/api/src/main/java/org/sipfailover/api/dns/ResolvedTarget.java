// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.sipfailover.api.net.Transport;

/**
 * One place to send requests: an IP address, port and transport, with where it came from.
 *
 * @param host the domain name the address belongs to (the SRV target, or the configured host); for an IP
 *     literal, the literal
 * @param address the IP address
 * @param port 1..65535
 * @param transport the transport to use
 * @param priority the SRV priority (lower first); 0 when no SRV record was involved
 * @param weight the SRV weight; 0 when no SRV record was involved
 */
public record ResolvedTarget(
        String host, InetAddress address, int port, Transport transport, int priority, int weight) {

    public ResolvedTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(transport, "transport");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("target port out of range: " + port);
        }
    }

    /** The address and port as a socket address. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    @Override
    public String toString() {
        String ip = address.getHostAddress();
        if (ip.indexOf(':') >= 0) {
            ip = "[" + ip + "]";
        }
        return ip + ":" + port + ";transport=" + transport.name().toLowerCase() + " (" + host
                + (priority != 0 || weight != 0 ? " prio " + priority + " weight " + weight : "") + ")";
    }
}
