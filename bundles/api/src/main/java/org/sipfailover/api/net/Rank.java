// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.net;

/**
 * Which of a configured pair of servers: the primary or the backup (AudioCodes: "redundant"). Symmetric
 * policies treat the two as equals, but the configuration still names one of them first.
 */
public enum Rank {
    PRIMARY,
    BACKUP;

    /** The other member of the pair. */
    public Rank other() {
        return this == PRIMARY ? BACKUP : PRIMARY;
    }
}
