// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.policy.ServerHealth;

/** Text for the line commands: plain columns, times relative to now. */
final class LineFormatter {

    private LineFormatter() {}

    static String table(List<LineStatus> lines) {
        if (lines.isEmpty()) {
            return "no lines (write a factory configuration of org.sipfailover.line, or drop a vendor file)";
        }
        StringBuilder sb = new StringBuilder(
                String.format(Locale.ROOT, "%-20s %-22s %-12s %s%n", "LINE", "POLICY", "REGISTERED", "PLACEMENT"));
        for (LineStatus l : lines) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-20s %-22s %-12s %s%n",
                    l.lineId(),
                    l.policyName(),
                    l.isRegistered() ? "yes" : "no",
                    l.placement()));
        }
        return sb.toString().stripTrailing();
    }

    static String details(LineStatus l, Instant now) {
        StringBuilder sb = new StringBuilder();
        sb.append("line ")
                .append(l.lineId())
                .append(" (user ")
                .append(l.config().user())
                .append(")\n");
        sb.append("policy     ").append(l.policyName()).append('\n');
        sb.append("placement  ").append(l.placement()).append('\n');
        sb.append("registered ")
                .append(l.liveBindings().isEmpty() ? "nothing" : l.liveBindings())
                .append('\n');
        sb.append("servers\n");
        l.config().servers().forEach((ref, address) -> {
            ServerHealth h = l.health().get(ref);
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-22s %-32s %s%n",
                    ref,
                    address,
                    h == null
                            ? "UNKNOWN"
                            : h.state() + " for " + ago(h.since(), now)
                                    + (h.until() != null ? ", until " + ago(now, h.until()) + " from now" : "")
                                    + (h.lastCause() != null ? ", last failure " + h.lastCause() : "")));
        });
        List<LineTransition> ts = l.transitions();
        sb.append("transitions").append(ts.isEmpty() ? " none" : "").append('\n');
        for (LineTransition t : ts) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  %s ago  %s -> %s  (%s: %s)%n",
                    ago(t.at(), now),
                    t.from(),
                    t.to(),
                    t.policy(),
                    t.cause()));
        }
        return sb.toString().stripTrailing();
    }

    /**
     * One line's recent transitions, oldest first and newest last: when (UTC, and how long ago), from which
     * placement to which, the policy that decided and why.
     */
    static String transitions(LineStatus l, Instant now) {
        List<LineTransition> ts = l.transitions();
        if (ts.isEmpty()) {
            return "line " + l.lineId() + ": no transitions yet (placement " + l.placement() + ", policy "
                    + l.policyName() + ")";
        }
        TextTable table = new TextTable("TIME", "AGO", "FROM", "TO", "POLICY", "CAUSE");
        for (LineTransition t : ts) {
            table.row(
                    TimeText.instant(t.at()),
                    ago(t.at(), now),
                    t.from().toString(),
                    t.to().toString(),
                    t.policy(),
                    t.cause());
        }
        return "line " + l.lineId() + ": " + ts.size() + (ts.size() == 1 ? " transition" : " transitions")
                + ", newest last\n" + table;
    }

    private static String ago(Instant then, Instant now) {
        return TimeText.span(then, now);
    }
}
