// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.KeepAliveState;

/** Text for {@code sipfailover:flows}: one row per flow, its target, state and keep-alive. Plain logic. */
final class FlowFormatter {

    private static final Comparator<Flow> ORDER = Comparator.<Flow, String>comparing(
                    f -> f.spec().lineId())
            .thenComparing(f -> f.spec().server().toString())
            .thenComparingInt(f -> f.spec().regId());

    private FlowFormatter() {}

    /**
     * @param flows the flows of the flow manager, in any order
     * @param now the moment the ages of the last ping and pong are measured from
     */
    static String table(List<Flow> flows, Instant now) {
        if (flows.isEmpty()) {
            return "no flows (lines open them when they register)";
        }
        TextTable table = new TextTable(
                "TARGET", "STATE", "KEEP-ALIVE", "INTERVAL", "LAST PING", "LAST PONG", "LINE", "SERVER", "REG-ID");
        flows.stream().sorted(ORDER).forEach(f -> {
            FlowSpec spec = f.spec();
            KeepAliveState ka = f.keepAlive();
            table.row(
                    target(f),
                    f.state().name(),
                    ka.method().name(),
                    TimeText.duration(ka.interval()),
                    TimeText.ago(ka.lastPing(), now),
                    TimeText.ago(ka.lastPong(), now),
                    spec.lineId(),
                    spec.server().toString(),
                    spec.regId() == 0 ? "-" : Integer.toString(spec.regId()));
        });
        return table.toString();
    }

    /** "127.0.0.1:5060 tcp" once resolved; before that, the configured address and the transport it will use. */
    static String target(Flow f) {
        return f.target()
                .map(t -> {
                    String ip = t.address().getHostAddress();
                    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + t.port() + " "
                            + lower(t.transport().name());
                })
                .orElseGet(() -> {
                    FlowSpec spec = f.spec();
                    String host = spec.address().host();
                    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                            + (spec.address().port() == 0
                                    ? ""
                                    : ":" + spec.address().port()) + " "
                            + lower(spec.transportOrDefault().name());
                });
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
