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

/**
 * {@code sipfailover:lines} lists the running lines; {@code sipfailover:line <id>} shows one: its placement,
 * which bindings are registered, what it knows of each server, its recent transitions. Reads the
 * {@link LineStatus} services only; never shows credentials.
 */
@Component(service = LinesCommand.class, property = {
    "osgi.command.scope=sipfailover",
    "osgi.command.function=lines",
    "osgi.command.function=line"})
public final class LinesCommand {

    /* Multiple, dynamic: lines come and go with their configurations; the command never holds them up. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    final List<LineStatus> lines = new CopyOnWriteArrayList<>();

    @Descriptor("list the lines: id, policy, registered or not, placement")
    public String lines() {
        return LineFormatter.table(sorted());
    }

    @Descriptor("show one line: placement, bindings, server health, recent transitions")
    public String line(@Descriptor("the line id") String id) {
        LineStatus line = sorted().stream().filter(l -> l.lineId().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no line '" + id + "'; lines: "
                        + sorted().stream().map(LineStatus::lineId).toList()));
        return LineFormatter.details(line, Instant.now());
    }

    private List<LineStatus> sorted() {
        List<LineStatus> out = new ArrayList<>(lines);
        out.sort(Comparator.comparing(LineStatus::lineId));
        return out;
    }
}
