// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A SIP message as text, split into start line, header fields and body just far enough for tests to assert on
 * what a peer sent or received: no validation, no grammar beyond RFC 3261 §7.3's line structure. Header names
 * match case-insensitively and in their compact forms ({@code m} = {@code Contact}, ...).
 */
public final class SipMessage {

    // RFC 3261 §7.3.3 and the extensions' compact forms
    private static final Map<String, String> COMPACT = Map.ofEntries(
            Map.entry("i", "call-id"),
            Map.entry("m", "contact"),
            Map.entry("e", "content-encoding"),
            Map.entry("l", "content-length"),
            Map.entry("c", "content-type"),
            Map.entry("f", "from"),
            Map.entry("s", "subject"),
            Map.entry("k", "supported"),
            Map.entry("t", "to"),
            Map.entry("v", "via"),
            Map.entry("o", "event"),
            Map.entry("u", "allow-events"),
            Map.entry("r", "refer-to"),
            Map.entry("x", "session-expires"));

    private final String text;
    private final String startLine;
    private final List<Map.Entry<String, String>> headers;
    private final String body;

    private SipMessage(String text, String startLine, List<Map.Entry<String, String>> headers, String body) {
        this.text = text;
        this.startLine = startLine;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Splits {@code text} (CRLF or LF line ends) into start line, header fields (folded lines joined) and body
     * (everything after the first empty line).
     *
     * @throws IllegalArgumentException if {@code text} is blank
     */
    public static SipMessage parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.stripLeading();
        if (t.isBlank()) {
            throw new IllegalArgumentException("no SIP message in blank text");
        }
        int end = t.indexOf("\r\n\r\n");
        int bodyStart = end + 4;
        int lfEnd = t.indexOf("\n\n");
        if (end < 0 || (lfEnd >= 0 && lfEnd < end)) {
            end = lfEnd;
            bodyStart = end + 2;
        }
        String head = end < 0 ? t : t.substring(0, end);
        String body = end < 0 ? "" : t.substring(bodyStart);
        List<String> lines = head.lines().toList();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(' ').append(line.strip());
                continue;
            }
            if (name != null) {
                headers.add(Map.entry(name, value.toString()));
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                name = null;
                continue;
            }
            name = line.substring(0, colon).strip();
            value = new StringBuilder(line.substring(colon + 1).strip());
        }
        if (name != null) {
            headers.add(Map.entry(name, value.toString()));
        }
        return new SipMessage(text, lines.get(0).strip(), List.copyOf(headers), body);
    }

    /** The message as given to {@link #parse}. */
    public String text() {
        return text;
    }

    /** {@code "REGISTER sip:example.test SIP/2.0"} or {@code "SIP/2.0 200 OK"}. */
    public String startLine() {
        return startLine;
    }

    /** Whether this is a request (its start line does not begin with {@code SIP/}). */
    public boolean isRequest() {
        return !startLine.startsWith("SIP/");
    }

    /** The request's method, or the CSeq method of a response. */
    public String method() {
        if (isRequest()) {
            return startLine.split(" ", 2)[0];
        }
        String cseq = header("CSeq").orElse("");
        String[] parts = cseq.split("\\s+");
        return parts.length == 2 ? parts[1] : "";
    }

    /** The request's Request-URI; empty for a response. */
    public String requestUri() {
        String[] parts = startLine.split(" ");
        return isRequest() && parts.length >= 2 ? parts[1] : "";
    }

    /** The response's status code; -1 for a request. */
    public int statusCode() {
        if (isRequest()) {
            return -1;
        }
        String[] parts = startLine.split(" ");
        try {
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The value of the first header field called {@code name} (or its compact form), trimmed. */
    public Optional<String> header(String name) {
        List<String> all = headers(name);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** The values of all header fields called {@code name} (or its compact form), in order, trimmed. */
    public List<String> headers(String name) {
        String wanted = canonical(name);
        return headers.stream()
                .filter(h -> canonical(h.getKey()).equals(wanted))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** Whether a header field called {@code name} is present. */
    public boolean hasHeader(String name) {
        return !headers(name).isEmpty();
    }

    /** All header fields as name/value pairs, in order. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The body; empty if there is none. */
    public String body() {
        return body;
    }

    @Override
    public String toString() {
        return text;
    }

    private static String canonical(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return COMPACT.getOrDefault(n, n);
    }
}
