// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.sipfailover.api.config.LineProperties;

/**
 * Finds a line's factory configuration among those of {@code org.sipfailover.line} by the line's id, as the
 * lines bundle names its lines: the {@code id} property, else the configuration's name (the part of the PID
 * after {@code ~}). Plain logic over PIDs and properties; the command reads them from ConfigAdmin.
 */
final class LineConfigurations {

    /** A configuration as far as this class needs it. */
    record Entry(String pid, Map<String, ?> properties) {
        Entry {
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(properties, "properties");
        }

        String lineId() {
            return LineConfigurations.lineId(pid, properties);
        }
    }

    private LineConfigurations() {}

    /** The id of the line a configuration makes, as the lines bundle reads it. */
    static String lineId(String pid, Map<String, ?> properties) {
        Object id = properties.get(LineProperties.ID);
        if (id != null && !id.toString().isBlank()) {
            return id.toString().trim();
        }
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }

    /**
     * @return the one configuration of that line, or empty when there is none
     * @throws IllegalArgumentException when several configurations claim the id
     */
    static Optional<Entry> find(Collection<Entry> configurations, String lineId) {
        List<Entry> matches =
                configurations.stream().filter(e -> e.lineId().equals(lineId)).toList();
        if (matches.size() > 1) {
            throw new IllegalArgumentException("line '" + lineId + "' is made by several configurations "
                    + matches.stream().map(Entry::pid).sorted().toList() + "; change one of them with config:edit");
        }
        return matches.stream().findFirst();
    }

    /** The line ids of the configurations, sorted, for messages. */
    static List<String> ids(Collection<Entry> configurations) {
        List<String> ids =
                new ArrayList<>(configurations.stream().map(Entry::lineId).toList());
        ids.sort(null);
        return ids;
    }
}
