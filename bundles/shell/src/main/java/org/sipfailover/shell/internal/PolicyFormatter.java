// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.sipfailover.api.line.LineStatus;

/**
 * Text for {@code sipfailover:policies}: the failover policy services and how many lines each decides for.
 * Plain logic: the command turns the service references into {@link PolicyService}s.
 */
final class PolicyFormatter {

    /**
     * One {@code FailoverPolicy} service.
     *
     * @param name its {@code policy.name}
     * @param ranking its {@code service.ranking}, 0 when it has none
     * @param serviceId its {@code service.id}
     * @param bundle the bundle that registered it, e.g. "org.sipfailover.policy 0.1.0 [12]"
     */
    record PolicyService(String name, int ranking, long serviceId, String bundle) {}

    /** As a line picks among services of its policy's name: the highest ranking, then the lowest service id. */
    static final Comparator<PolicyService> PREFERRED = Comparator.comparing(PolicyService::name)
            .thenComparing(Comparator.comparingInt(PolicyService::ranking).reversed())
            .thenComparingLong(PolicyService::serviceId);

    private PolicyFormatter() {}

    /**
     * @param policies the registered policies
     * @param lines the running lines; each counts for the preferred service of the policy it uses now
     */
    static String table(List<PolicyService> policies, List<LineStatus> lines) {
        Map<String, Integer> inUse = new TreeMap<>();
        List<String> waiting = new ArrayList<>();
        for (LineStatus l : lines) {
            String used = l.policyName();
            if (used.equals(l.config().policy())) {
                inUse.merge(used, 1, Integer::sum);
            } else {
                waiting.add(l.lineId() + " (" + l.config().policy() + ")");
            }
        }
        StringBuilder out = new StringBuilder();
        if (policies.isEmpty()) {
            out.append("no failover policies (is the policy bundle active?)");
        } else {
            TextTable table = new TextTable("POLICY", "RANKING", "SERVICE", "BUNDLE", "LINES");
            Set<String> seen = new HashSet<>();
            policies.stream().sorted(PREFERRED).forEach(p -> {
                boolean preferred = seen.add(p.name());
                table.row(
                        p.name(),
                        Integer.toString(p.ranking()),
                        Long.toString(p.serviceId()),
                        p.bundle(),
                        preferred ? Integer.toString(inUse.getOrDefault(p.name(), 0)) : "0 (outranked)");
            });
            out.append(table);
        }
        if (!waiting.isEmpty()) {
            waiting.sort(null);
            out.append("\nlines waiting for their policy: ").append(String.join(", ", waiting));
        }
        return out.toString();
    }
}
