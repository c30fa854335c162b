// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;

/**
 * What one decision gathers on its way: the causes of a change, the causes of staying, the servers to
 * probe and the earliest time to be asked again. Lives for one {@code decide} call only.
 */
final class Steps {

    private final List<String> moves = new ArrayList<>();
    private final List<String> stays = new ArrayList<>();
    private final List<ServerRef> probes = new ArrayList<>();
    private Instant reconsiderAt;

    void moved(String why) {
        moves.add(why);
    }

    void stayed(String why) {
        stays.add(why);
    }

    void probe(ServerRef s) {
        probes.add(s);
    }

    void probe(Collection<ServerRef> s) {
        probes.addAll(s);
    }

    /** A duration for the transition log: "2.0 s", "3 min 5 s". */
    static String text(Duration d) {
        long millis = d.toMillis();
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long s = d.toSeconds();
        return s < 3600 ? s / 60 + " min " + s % 60 + " s" : s / 3600 + " h " + s % 3600 / 60 + " min";
    }

    void askAt(Instant at) {
        if (at != null && (reconsiderAt == null || at.isBefore(reconsiderAt))) {
            reconsiderAt = at;
        }
    }

    /**
     * The decision: the current placement itself when the desired one equals it (the line then does
     * nothing), else the desired one with the causes of the change.
     */
    Decision decide(PolicyInput in, Placement desired, String adjusted) {
        Set<ServerRef> p = Servers.probes(in.config(), new LinkedHashSet<>(probes));
        if (desired.equals(in.current())) {
            String why = stays.isEmpty()
                    ? "stay: " + in.current()
                    : "stay: " + String.join("; ", new LinkedHashSet<>(stays));
            return new Decision(in.current(), p, reconsiderAt, why);
        }
        String why = !moves.isEmpty()
                ? String.join("; ", new LinkedHashSet<>(moves))
                : in.current().isNone() ? "start: " + desired : adjusted + ": " + desired;
        return new Decision(desired, p, reconsiderAt, why);
    }
}
