// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipfailover.api.line.MessageSummary;

/** Reads an {@code application/simple-message-summary} body (RFC 3842 §5.2) into a {@link MessageSummary}. */
final class MessageSummaryParser {

    /** {@code newmsgs "/" oldmsgs [ "(" new-urgentmsgs "/" old-urgentmsgs ")" ]}; nine digits at most each. */
    private static final Pattern COUNTS =
            Pattern.compile("(\\d{1,9})\\s*/\\s*(\\d{1,9})(?:\\s*\\(\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*\\))?\\s*");

    /** The message-context classes of RFC 3458 §4.2, as summary-line names. */
    private static final Pattern CLASS =
            Pattern.compile("(voice|fax|pager|multimedia|text|none)-message", Pattern.CASE_INSENSITIVE);

    private MessageSummaryParser() {}

    /**
     * Parses a body.
     *
     * @throws IllegalArgumentException naming what is wrong: no or a bad {@code Messages-Waiting} line, or a
     *     summary line whose counts are not numbers
     */
    static MessageSummary parse(String body) {
        Boolean waiting = null;
        String account = null;
        Map<String, MessageSummary.Counts> counts = new LinkedHashMap<>();
        for (String line : body.split("\r\n|\n|\r", -1)) {
            if (line.isBlank()) {
                if (waiting != null) {
                    break; // the optional message headers follow (RFC 3842 §5.2): not a summary's business
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("not a header line: " + shorten(line));
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals("messages-waiting")) {
                if (value.equalsIgnoreCase("yes")) {
                    waiting = true;
                } else if (value.equalsIgnoreCase("no")) {
                    waiting = false;
                } else {
                    throw new IllegalArgumentException("Messages-Waiting is neither yes nor no: " + shorten(value));
                }
            } else if (waiting == null) {
                throw new IllegalArgumentException("the body does not start with Messages-Waiting");
            } else if (name.equals("message-account")) {
                account = value;
            } else if (CLASS.matcher(name).matches()) {
                Matcher m = COUNTS.matcher(value);
                if (!m.matches()) {
                    throw new IllegalArgumentException("bad counts for " + name + ": " + shorten(value));
                }
                counts.put(
                        name,
                        new MessageSummary.Counts(
                                Integer.parseInt(m.group(1)),
                                Integer.parseInt(m.group(2)),
                                m.group(3) == null ? -1 : Integer.parseInt(m.group(3)),
                                m.group(4) == null ? -1 : Integer.parseInt(m.group(4))));
            }
            // other lines: extensions a summary may carry, ignored
        }
        if (waiting == null) {
            throw new IllegalArgumentException("no Messages-Waiting line");
        }
        return new MessageSummary(waiting, account, counts);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
