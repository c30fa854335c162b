// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolvedTarget;

/**
 * Turns a {@link Resolution} into the text the {@code resolve} command prints: the query, one aligned row
 * per target in the order to try them, then the source and the TTL left. Plain logic, no OSGi.
 */
final class ResolutionFormatter {

    private static final String[] HEADER = {"#", "target", "transport", "priority", "weight", "from"};

    private ResolutionFormatter() {}

    /**
     * @param resolution what the resolver answered
     * @param now the moment the TTL left is measured from
     * @return lines separated by {@code \n}, without a trailing line break
     */
    static String format(Resolution resolution, Instant now) {
        StringBuilder out = new StringBuilder();
        out.append("resolve ").append(resolution.query()).append('\n');
        if (resolution.isEmpty()) {
            out.append("no targets: ")
                    .append(resolution.failure().orElse("(no cause given)"))
                    .append('\n');
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADER);
            int position = 1;
            for (ResolvedTarget t : resolution.targets()) {
                rows.add(new String[] {
                    Integer.toString(position++),
                    hostPort(t),
                    t.transport().name().toLowerCase(Locale.ROOT),
                    Integer.toString(t.priority()),
                    Integer.toString(t.weight()),
                    t.host()
                });
            }
            appendTable(out, rows);
        }
        out.append("source ").append(resolution.source()).append(", ttl ").append(ttl(resolution, now));
        return out.toString();
    }

    private static String hostPort(ResolvedTarget t) {
        String ip = t.address().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + t.port();
    }

    private static String ttl(Resolution resolution, Instant now) {
        if (resolution.expiry().equals(Instant.MAX)) {
            return "unlimited";
        }
        Duration left = resolution.ttl(now);
        return left.toSeconds() + " s";
    }

    /** Columns padded to their widest cell; numbers right-aligned, text left-aligned; no trailing blanks. */
    private static void appendTable(StringBuilder out, List<String[]> rows) {
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                boolean numeric = c == 0 || c == 3 || c == 4;
                String pad = " ".repeat(width[c] - row[c].length());
                line.append(numeric ? pad + row[c] : row[c] + pad);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
