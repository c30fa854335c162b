// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.sipfailover.config.aastra.internal.AastraKeys.*;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sipfailover.config.common.Secrets;

/** The keys of one reading that the line model has no field for: each line's extras, and every key kept so. */
final class AastraExtras {

    private final Map<String, Entry> merged;
    private final AastraBlfKeys blf;
    private final Set<String> extraKeys = new TreeSet<>();

    /**
     * @param merged the reading's keys, the last value of each winning; read anew by every {@link #collect}
     * @param blf the reading's BLF keys: the attributes they turn into subscriptions are no extra
     */
    AastraExtras(Map<String, Entry> merged, AastraBlfKeys blf) {
        this.merged = merged;
        this.blf = blf;
    }

    /**
     * Keys the line model has no field for, as read: this line's own, and the phone-wide ones. Members of the
     * authentication set without a field (the screen names) are kept under the line's key even when the global
     * set is in force.
     */
    void collect(int n, boolean authLocal, Map<String, String> extra) {
        for (Entry e : merged.values()) {
            String k = e.key();
            if (Secrets.isSecret(k)) {
                continue; // a phone's admin or user password has no place in a line configuration
            }
            int m = lineOf(k);
            String member = m > 0
                    ? k.substring(k.indexOf(' ', "sip line".length()) + 1)
                    : k.startsWith("sip ") ? k.substring(4) : null;
            if (m > 0) {
                if (m != n
                        || NETWORK_SET.contains(member)
                        || (AUTH_SET.contains(member) && (AUTH_MODELLED.contains(member) || !authLocal))) {
                    continue;
                }
            } else if (member != null && NETWORK_SET.contains(member)) {
                continue;
            } else if (member != null && AUTH_SET.contains(member)) {
                if (!authLocal && !AUTH_MODELLED.contains(member)) {
                    // a global member of the authentication set in force for the line: kept under the
                    // line's key, so that a line reads the same whichever set it came from
                    extra.putIfAbsent(perLine(n, member), e.value());
                    extraKeys.add(k);
                }
                continue;
            } else if (GLOBAL_ONLY.contains(k)
                    || STATIC_SRV.matcher(k).matches()
                    || ANY_LINE.matcher(k).matches()) {
                continue;
            } else if (blf.claims(k)) {
                continue;
            }
            extra.putIfAbsent(k, e.value());
            extraKeys.add(k);
        }
    }

    /** Every key kept as an extra of one line or more so far, as read (a global one under its global name). */
    Set<String> keys() {
        return extraKeys;
    }
}
