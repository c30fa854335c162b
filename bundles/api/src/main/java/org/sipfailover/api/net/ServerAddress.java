// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.net;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A server as a configuration names it, before resolution: a host (a fully qualified domain name or an
 * IP literal), a port, and optionally a transport.
 *
 * <p>The port follows the desk phones' rule (Aastra "SIP Server (SRV) Lookup"): {@code 0} means "not
 * set". A domain name with port 0 is looked up with DNS SRV (after NAPTR when no transport is given, RFC
 * 3263 §4.1); a domain name with a port is looked up with A/AAAA only; an IP literal with port 0 uses the
 * transport's default port (5060, or 5061 for TLS); an IP literal with a port is used as it is.
 *
 * <p>Instances are immutable and validated on construction; the host is kept in lower case, and an IPv6
 * literal without its brackets.
 *
 * @param host a domain name or an IPv4/IPv6 literal (an IPv6 literal may be given in brackets)
 * @param port 0 (not set) or 1..65535
 * @param transport the transport, or {@code null} when the configuration leaves it open
 */
public record ServerAddress(String host, int port, Transport transport) {

    /** Domain names: labels of letters, digits, hyphens (and underscores, seen in real zones). */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+(%[0-9a-z_.-]+)?");

    /**
     * @throws IllegalArgumentException naming the host or the port when either is malformed
     */
    public ServerAddress {
        if (host == null) {
            throw new IllegalArgumentException("host is missing");
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".") && h.length() > 1 && !isIpLiteral(h)) {
            h = h.substring(0, h.length() - 1);
        }
        if (!isIpLiteral(h) && !isDomainName(h)) {
            throw new IllegalArgumentException(
                    "malformed host '" + host + "': expected a domain name or an IPv4/IPv6 literal");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "malformed port " + port + " for host '" + host + "': expected 0 (not set) or 1..65535");
        }
        host = h;
    }

    /** A server with no transport given. */
    public static ServerAddress of(String host, int port) {
        return new ServerAddress(host, port, null);
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]:port}, each optionally followed by
     * {@code ;transport=udp|tcp|tls} (as in a SIP URI). A bare IPv6 literal is accepted without a port.
     *
     * @throws IllegalArgumentException naming the text when it is malformed
     */
    public static ServerAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("server address is empty");
        }
        String s = text.trim();
        Transport transport = null;
        int semi = s.indexOf(';');
        if (semi >= 0) {
            String param = s.substring(semi + 1).trim();
            s = s.substring(0, semi).trim();
            String lower = param.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("transport=")) {
                throw new IllegalArgumentException("malformed server address '" + text
                        + "': the only parameter accepted is ;transport=udp|tcp|tls");
            }
            transport = Transport.parse(param.substring("transport=".length()));
        }
        String host = s;
        int port = 0;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("malformed server address '" + text + "': unclosed '['");
            }
            host = s.substring(0, close + 1);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("malformed server address '" + text + "'");
                }
                port = parsePort(rest.substring(1), text);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            int colon = s.indexOf(':');
            host = s.substring(0, colon);
            port = parsePort(s.substring(colon + 1), text);
        }
        return new ServerAddress(host, port, transport);
    }

    private static int parsePort(String p, String text) {
        try {
            return Integer.parseInt(p.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed port '" + p + "' in server address '" + text + "'");
        }
    }

    /** The transport, if the configuration gives one. */
    public Optional<Transport> transportIfSet() {
        return Optional.ofNullable(transport);
    }

    /** This address with the given transport. */
    public ServerAddress withTransport(Transport t) {
        return t == transport ? this : new ServerAddress(host, port, t);
    }

    /** Whether the host is an IPv4 or IPv6 literal (no DNS lookup at all). */
    public boolean isIpLiteral() {
        return isIpLiteral(host);
    }

    /** Whether resolution starts with SRV (or NAPTR): a domain name with port 0. */
    public boolean usesSrv() {
        return port == 0 && !isIpLiteral();
    }

    /** {@code host:port;transport=x} with IPv6 literals in brackets; parseable by {@link #parse}. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String p = port == 0 ? "" : ":" + port;
        String t = transport == null ? "" : ";transport=" + transport.name().toLowerCase(Locale.ROOT);
        return h + p + t;
    }

    private static boolean isIpLiteral(String h) {
        return IPV4.matcher(h).matches()
                || (h.indexOf(':') >= 0 && IPV6.matcher(h).matches());
    }

    private static boolean isDomainName(String h) {
        if (h.isEmpty() || h.length() > 253) {
            return false;
        }
        String[] labels = h.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // a name made of digits and dots only is a malformed IPv4 literal, not a domain name
        return !h.matches("[0-9.]+");
    }
}
