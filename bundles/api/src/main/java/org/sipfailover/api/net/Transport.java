// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.net;

import java.util.Locale;

/**
 * A SIP transport. The order of the constants is the order of preference used when a server names no
 * transport and DNS offers several (RFC 3263 §4.1): TLS, then TCP, then UDP.
 */
public enum Transport {
    /** SIP over TLS over TCP; {@code sips:} URIs, default port 5061. */
    TLS("_sips._tcp", "SIPS+D2T", 5061, true, true),
    /** SIP over TCP, default port 5060. */
    TCP("_sip._tcp", "SIP+D2T", 5060, true, false),
    /** SIP over UDP, default port 5060. */
    UDP("_sip._udp", "SIP+D2U", 5060, false, false);

    private final String srvPrefix;
    private final String naptrService;
    private final int defaultPort;
    private final boolean reliable;
    private final boolean secure;

    Transport(String srvPrefix, String naptrService, int defaultPort, boolean reliable, boolean secure) {
        this.srvPrefix = srvPrefix;
        this.naptrService = naptrService;
        this.defaultPort = defaultPort;
        this.reliable = reliable;
        this.secure = secure;
    }

    /** The SRV owner-name prefix for this transport, e.g. {@code _sip._udp} (RFC 3263 §4.1). */
    public String srvPrefix() {
        return srvPrefix;
    }

    /** The NAPTR service field that selects this transport, e.g. {@code SIP+D2U} (RFC 3263 §4.1). */
    public String naptrService() {
        return naptrService;
    }

    /** The port used when none is configured and no SRV lookup applies: 5061 for TLS, 5060 otherwise. */
    public int defaultPort() {
        return defaultPort;
    }

    /** Whether this is a connection-oriented (stream) transport: CRLF keep-alive rather than STUN. */
    public boolean isReliable() {
        return reliable;
    }

    /** Whether this transport is secured by TLS. */
    public boolean isSecure() {
        return secure;
    }

    /**
     * Parses a transport name, case-insensitively ({@code udp}, {@code TCP}, {@code tls}).
     *
     * @throws IllegalArgumentException naming the value when it is not a known transport
     */
    public static Transport parse(String name) {
        if (name != null) {
            switch (name.trim().toUpperCase(Locale.ROOT)) {
                case "UDP":
                    return UDP;
                case "TCP":
                    return TCP;
                case "TLS":
                    return TLS;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "': accepted are udp, tcp, tls");
    }
}
