// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.sipfailover.api.line.LineStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sipfailover:lines} lists the running lines; {@code sipfailover:line <id>} shows one: its placement,
 * which bindings are registered, what it knows of each server, its recent transitions;
 * {@code sipfailover:transitions <id>} lists those transitions in full. {@code sipfailover:failover <id>} and
 * {@code sipfailover:failback <id>} are drills: they ask the line's policy to move. Works on the
 * {@link LineStatus} services only; never shows credentials.
 */
@Component(
        service = LinesCommand.class,
        property = {
            "osgi.command.scope=sipfailover",
            "osgi.command.function=lines",
            "osgi.command.function=line",
            "osgi.command.function=transitions",
            "osgi.command.function=failover",
            "osgi.command.function=failback"
        })
public final class LinesCommand {

    private static final Logger LOG = LoggerFactory.getLogger(LinesCommand.class);

    /* Multiple, dynamic: lines come and go with their configurations; the command never holds them up. */
    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    final List<LineStatus> lines = new CopyOnWriteArrayList<>();

    @Descriptor("list the lines: id, policy, registered or not, placement")
    public String lines() {
        return LineFormatter.table(sorted());
    }

    @Descriptor("show one line: placement, bindings, server health, recent transitions")
    public String line(@Descriptor("the line id") String id) {
        return LineFormatter.details(find(id), Instant.now());
    }

    @Descriptor("list one line's recent transitions, newest last: time, from, to, policy, cause")
    public String transitions(@Descriptor("the line id") String id) {
        return LineFormatter.transitions(find(id), Instant.now());
    }

    @Descriptor("drill: ask the line's policy to fail over now, as if the server in use had failed")
    public String failover(@Descriptor("the line id") String id) {
        LineStatus line = find(id);
        LOG.info(
                "line {}: failover drill asked from the shell (placement {}, policy {})",
                id,
                line.placement(),
                line.policyName());
        line.forceFailover();
        return "line " + id + ": asked policy " + line.policyName() + " to fail over from " + line.placement()
                + "; the move, if the policy makes one, shows in sipfailover:transitions " + id;
    }

    @Descriptor("drill: ask the line's policy to go back to its preferred servers now, without waiting for failback")
    public String failback(@Descriptor("the line id") String id) {
        LineStatus line = find(id);
        LOG.info(
                "line {}: failback drill asked from the shell (placement {}, policy {})",
                id,
                line.placement(),
                line.policyName());
        line.forceFailback();
        return "line " + id + ": asked policy " + line.policyName() + " to fail back from " + line.placement()
                + "; the move, if the policy makes one, shows in sipfailover:transitions " + id;
    }

    /** @throws IllegalArgumentException naming the known lines when there is no line {@code id} */
    private LineStatus find(String id) {
        List<LineStatus> all = sorted();
        return all.stream()
                .filter(l -> l.lineId().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no line '" + id + "'; lines: "
                        + all.stream().map(LineStatus::lineId).toList()));
    }

    private List<LineStatus> sorted() {
        List<LineStatus> out = new ArrayList<>(lines);
        out.sort(Comparator.comparing(LineStatus::lineId));
        return out;
    }
}
