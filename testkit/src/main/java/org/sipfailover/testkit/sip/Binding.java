// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.sip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One contact of an AOR in a {@link Kamailio} registrar's location table, as its usrloc module reports it
 * ({@code kamcmd ul.lookup location <aor>}). Text fields are empty where Kamailio says "[not set]".
 *
 * @param contact the contact URI, e.g. {@code sip:alice@127.0.0.1:5070;ob}
 * @param expires seconds left; 0 if expired, -1 if permanent
 * @param instance the {@code +sip.instance} value, e.g. {@code <urn:uuid:...>}
 * @param regId the {@code reg-id}; 0 without one
 * @param received where the REGISTER came from: {@code sip:<ip>:<port>;transport=<udp|tcp|tls>}, the flow
 * @param socket the registrar's socket it came in on, e.g. {@code udp:127.0.0.1:5060}
 * @param path the Path header saved with the binding
 * @param tcpConnectionId Kamailio's id of the TCP/TLS connection of the flow; -1 for UDP
 * @param callId the REGISTER's Call-ID
 * @param cseq the REGISTER's CSeq number
 * @param userAgent the REGISTER's User-Agent
 */
public record Binding(
        String contact,
        long expires,
        String instance,
        int regId,
        String received,
        String socket,
        String path,
        int tcpConnectionId,
        String callId,
        long cseq,
        String userAgent) {

    private static final String NOT_SET = "[not set]";

    /**
     * Parses the output of {@code kamcmd ul.lookup}: one binding per {@code Contact: { ... }} block.
     */
    static List<Binding> parseKamcmd(String output) {
        List<Binding> bindings = new ArrayList<>();
        Map<String, String> fields = null;
        for (String raw : output.lines().toList()) {
            String line = raw.strip();
            if (line.equals("Contact: {")) {
                fields = new HashMap<>();
            } else if (line.equals("}") && fields != null) {
                bindings.add(of(fields));
                fields = null;
            } else if (fields != null) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    String value = line.substring(colon + 2).strip();
                    fields.put(line.substring(0, colon), value.equals(NOT_SET) ? "" : value);
                }
            }
        }
        return List.copyOf(bindings);
    }

    private static Binding of(Map<String, String> f) {
        return new Binding(
                f.getOrDefault("Address", ""),
                expires(f.getOrDefault("Expires", "")),
                f.getOrDefault("Instance", ""),
                (int) number(f.get("Reg-Id"), 0),
                f.getOrDefault("Received", ""),
                f.getOrDefault("Socket", ""),
                f.getOrDefault("Path", ""),
                (int) number(f.get("Tcpconn-Id"), -1),
                f.getOrDefault("Call-ID", ""),
                number(f.get("CSeq"), 0),
                f.getOrDefault("User-Agent", ""));
    }

    private static long expires(String value) {
        // usrloc prints the seconds left, or a word for the special cases
        return switch (value) {
            case "permanent" -> -1;
            case "expired", "deleted", "" -> 0;
            default -> number(value, 0);
        };
    }

    private static long number(String value, long otherwise) {
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
