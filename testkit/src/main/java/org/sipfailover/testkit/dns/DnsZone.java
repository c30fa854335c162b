// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.dns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The records a {@link Dnsmasq} serves, immutable and built fluently:
 *
 * <pre>{@code
 * DnsZone zone = DnsZone.builder().ttl(30)
 *         .srv("_sip._udp.example.test", "sip1.example.test", 5060, 10, 50)
 *         .host("sip1.example.test", "192.0.2.10", "2001:db8::10")
 *         .build();
 * }</pre>
 *
 * Every record gets the zone's TTL. Names are absolute; a trailing dot is optional.
 */
public final class DnsZone {

    /** The TTL of a zone whose builder was not given one, in seconds. */
    public static final int DEFAULT_TTL = 60;

    private final int ttl;
    private final List<String> directives;

    private DnsZone(int ttl, List<String> directives) {
        this.ttl = ttl;
        this.directives = List.copyOf(directives);
    }

    /** A builder with TTL {@value #DEFAULT_TTL} and no records. */
    public static Builder builder() {
        return new Builder();
    }

    /** The TTL of every record, in seconds. */
    public int ttl() {
        return ttl;
    }

    /** The records as dnsmasq configuration lines ({@code host-record=...}, {@code srv-host=...}, ...). */
    public List<String> directives() {
        return directives;
    }

    @Override
    public String toString() {
        return "DnsZone[ttl=" + ttl + ", " + directives + "]";
    }

    /** Builds a {@link DnsZone}; not thread-safe. */
    public static final class Builder {

        // commas separate dnsmasq's fields and a line break would start a new option: neither may slip in
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_*-]+(\\.[A-Za-z0-9_*-]+)*\\.?");
        private static final Pattern FIELD = Pattern.compile("[^,\\s]*");
        private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
        private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

        private int ttl = DEFAULT_TTL;
        private final List<String> directives = new ArrayList<>();

        private Builder() {}

        /** The TTL of every record in seconds; 0 tells clients not to cache. */
        public Builder ttl(int seconds) {
            if (seconds < 0) {
                throw new IllegalArgumentException("negative TTL: " + seconds);
            }
            this.ttl = seconds;
            return this;
        }

        /** A or AAAA records (by the literal's address family) of {@code name}, one per address. */
        public Builder host(String name, String... ips) {
            String n = name(name);
            if (ips.length == 0) {
                throw new IllegalArgumentException("no address for " + name);
            }
            for (String ip : ips) {
                // dnsmasq would silently take a malformed address for one more name
                if (!isAddressLiteral(Objects.requireNonNull(ip, "ip"))) {
                    throw new IllegalArgumentException("not an IPv4 or IPv6 literal: " + ip);
                }
                directives.add("host-record=" + n + "," + ip);
            }
            return this;
        }

        /** An SRV record {@code owner -> target:port} with {@code priority} and {@code weight}. */
        public Builder srv(String owner, String target, int port, int priority, int weight) {
            checkUnsigned16("port", port);
            checkUnsigned16("priority", priority);
            checkUnsigned16("weight", weight);
            // dnsmasq's field order is port, priority, weight, unlike zone files
            directives.add("srv-host=" + name(owner) + "," + name(target) + "," + port + "," + priority + "," + weight);
            return this;
        }

        /**
         * The RFC 2782 "service decidedly not available" SRV record: target "." (dnsmasq sends it as
         * priority 0, weight 0, port 1, target ".").
         */
        public Builder noService(String owner) {
            // srv-host without a target is how dnsmasq expresses target "."
            directives.add("srv-host=" + name(owner));
            return this;
        }

        /**
         * A NAPTR record (RFC 3403).
         *
         * @param flags e.g. "S", "A", "U" or ""
         * @param service e.g. "SIP+D2U"
         * @param regexp usually ""; no commas or blanks
         * @param replacement e.g. "_sip._udp.example.test", or "" / "." / null for none
         */
        public Builder naptr(
                String owner,
                int order,
                int preference,
                String flags,
                String service,
                String regexp,
                String replacement) {
            checkUnsigned16("order", order);
            checkUnsigned16("preference", preference);
            StringBuilder d = new StringBuilder("naptr-record=")
                    .append(name(owner))
                    .append(',')
                    .append(order)
                    .append(',')
                    .append(preference)
                    .append(',')
                    .append(field("flags", flags))
                    .append(',')
                    .append(field("service", service))
                    .append(',')
                    .append(field("regexp", regexp));
            if (replacement != null && !replacement.isEmpty() && !replacement.equals(".")) {
                d.append(',').append(name(replacement));
            }
            directives.add(d.toString());
            return this;
        }

        /**
         * A CNAME {@code alias -> target}. dnsmasq answers queries for the alias with the CNAME and the
         * target's records of the asked type. Its manual says the target must be a name it knows; 2.90 also
         * serves a CNAME to a name it does not know (the answer is then the CNAME alone), and refuses to
         * start on a CNAME loop.
         */
        public Builder cname(String alias, String target) {
            directives.add("cname=" + name(alias) + "," + name(target));
            return this;
        }

        /** The zone. */
        public DnsZone build() {
            return new DnsZone(ttl, directives);
        }

        private static String name(String name) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a domain name: '" + name + "'");
            }
            return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        }

        private static boolean isAddressLiteral(String ip) {
            if (IPV4.matcher(ip).matches()) {
                return true;
            }
            if (!ip.contains(":") || ip.contains("%") || ip.startsWith("[")) {
                return false;
            }
            try {
                // with a colon in it, getByName parses an IPv6 literal and never asks DNS
                return InetAddress.getByName(ip) instanceof Inet6Address;
            } catch (UnknownHostException e) {
                return false;
            }
        }

        private static String field(String what, String value) {
            String v = value == null ? "" : value;
            if (!FIELD.matcher(v).matches()) {
                throw new IllegalArgumentException(what + " must not contain commas or blanks: '" + v + "'");
            }
            return v;
        }

        private static void checkUnsigned16(String what, int value) {
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException(what + " out of range 0..65535: " + value);
            }
        }
    }
}
