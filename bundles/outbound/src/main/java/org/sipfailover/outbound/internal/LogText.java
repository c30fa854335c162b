// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import org.sipfailover.jainsip.Redaction;

/**
 * Text from the network or from the SIP stack made fit for a log line or a flow event's detail: credentials
 * blanked out ({@link Redaction}: Authorization values, digest responses, passwords in URIs), line breaks
 * escaped and everything else outside printable ASCII replaced (no forged log lines, no terminal escapes), and
 * cut to a length. JAIN-SIP puts whole messages into some of its exception messages, a request that failed to
 * go out among them, Authorization and all.
 */
final class LogText {

    /** How much of an exception's message goes into a flow event's detail. */
    static final int MAX_DETAIL = 500;

    private LogText() {}

    /** {@code text} sanitized and cut to {@code max} characters (then followed by "..."); "" for null. */
    static String sanitize(String text, int max) {
        if (text == null) {
            return "";
        }
        String s = Redaction.redact(text);
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 8);
        int i = 0;
        for (; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                out.append("\\r");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20 || c > 0x7e) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        if (i < s.length()) {
            out.append("...");
        }
        return out.toString();
    }

    /** An exception's message, sanitized, for a flow event's detail. */
    static String of(Throwable e) {
        return sanitize(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(), MAX_DETAIL);
    }
}
