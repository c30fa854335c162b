// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.net;

import java.util.Objects;

/**
 * One configured server of a line: its role and rank, e.g. the backup registrar. Policies reason about
 * these; the line maps them to addresses through its configuration.
 */
public record ServerRef(ServerRole role, Rank rank) {

    public ServerRef {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(rank, "rank");
    }

    public static ServerRef of(ServerRole role, Rank rank) {
        return new ServerRef(role, rank);
    }

    @Override
    public String toString() {
        return rank.name().toLowerCase() + " " + role.name().toLowerCase().replace('_', ' ');
    }
}
