// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.line;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message-waiting body ({@code application/simple-message-summary}, RFC 3842 §5.2).
 *
 * @param waiting {@code Messages-Waiting: yes}
 * @param account the {@code Message-Account} URI, or {@code null} without one
 * @param counts the summary lines by message-context class in lower case ({@code voice-message},
 *     {@code fax-message}, ...), in the body's order
 * @since 1.2
 */
public record MessageSummary(boolean waiting, String account, Map<String, Counts> counts) {

    /** The message-context class of voice messages. */
    public static final String VOICE = "voice-message";

    /**
     * One summary line, such as {@code Voice-Message: 2/8 (0/2)}.
     *
     * @param newMessages new messages
     * @param oldMessages old messages
     * @param urgentNew new urgent messages, or -1 when the line gives none
     * @param urgentOld old urgent messages, or -1 when the line gives none
     */
    public record Counts(int newMessages, int oldMessages, int urgentNew, int urgentOld) {

        /** Whether the line gave the urgent counts. */
        public boolean hasUrgent() {
            return urgentNew >= 0;
        }
    }

    public MessageSummary {
        // a copy that keeps the body's order, which Map.copyOf would not
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(counts, "counts")));
    }

    /** The voice-message counts, if the body has them. */
    public Optional<Counts> voice() {
        return Optional.ofNullable(counts.get(VOICE));
    }
}
