// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.sipfailover.config.common.Problem;

/**
 * One Aastra/Mitel configuration file, split into its {@code name: value} lines (VENDOR.md 1.1):
 * <ul>
 * <li>{@code #} starts a comment, on a line of its own or after a value, unless it stands between a pair of
 * double quotes ({@code sip dial plan: "x+#|xx+*"}); a quote without a partner is an ordinary character;</li>
 * <li>the name ends at the first colon; the space after it is optional; names are not case-sensitive and are
 * kept in lower case with single spaces;</li>
 * <li>one pair of double quotes around the value is removed;</li>
 * <li>a leading {@code !} (locked) or {@code ^} (forced) before the name is understood and kept.</li>
 * </ul>
 * A line that is not {@code name: value} is reported as a {@link Problem} and skipped; nothing in the text makes
 * parsing fail. Immutable.
 */
public final class AastraFile {

    /** Larger files are refused: a phone's configuration is a few kilobytes; this is no phone file. */
    static final long MAX_BYTES = 8L * 1024 * 1024;

    private final String name;
    private final List<Entry> entries;
    private final List<Problem> problems;

    private AastraFile(String name, List<Entry> entries, List<Problem> problems) {
        this.name = name;
        this.entries = List.copyOf(entries);
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads a file. UTF-8, or ISO-8859-1 when the bytes are not UTF-8 (older provisioning tools).
     *
     * @throws IOException when the file cannot be read at all, or is larger than any phone file
     */
    public static AastraFile read(Path path) throws IOException {
        long size = Files.size(path);
        if (size > MAX_BYTES) {
            throw new IOException(path.getFileName() + " has " + size + " bytes, more than the " + MAX_BYTES
                    + " accepted for a phone configuration file");
        }
        byte[] bytes = Files.readAllBytes(path);
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return parse(path.getFileName().toString(), text);
    }

    /** Parses the text of a file called {@code name}; never throws for any content. */
    public static AastraFile parse(String name, String text) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        List<Entry> entries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        int lineNo = 0;
        int start = 0;
        int n = text.length();
        if (n > 0 && text.charAt(0) == '\uFEFF') {
            start = 1;
        }
        while (start <= n) {
            int end = start;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            lineNo++;
            parseLine(name, lineNo, text.substring(start, end), entries, problems);
            if (end >= n) {
                break;
            }
            // \r\n is one line end
            start = end + (text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n' ? 2 : 1);
            if (start == n) {
                break;
            }
        }
        return new AastraFile(name, entries, problems);
    }

    private static void parseLine(String file, int lineNo, String raw, List<Entry> entries, List<Problem> problems) {
        String line = withoutComment(raw).strip();
        if (line.isEmpty()) {
            return;
        }
        int colon = line.indexOf(':');
        if (colon < 0) {
            // the text itself is never echoed: it may be a password line with its colon missing
            problems.add(new Problem(file, lineNo, null, "not a 'name: value' line (no colon); ignored"));
            return;
        }
        String name = line.substring(0, colon).strip();
        boolean locked = false;
        boolean forced = false;
        while (!name.isEmpty() && (name.charAt(0) == '!' || name.charAt(0) == '^')) {
            if (name.charAt(0) == '!') {
                locked = true;
            } else {
                forced = true;
            }
            name = name.substring(1).strip();
        }
        String key = normaliseKey(name);
        if (key.isEmpty()) {
            problems.add(new Problem(file, lineNo, null, "no parameter name before the colon; ignored"));
            return;
        }
        entries.add(new Entry(key, unquote(line.substring(colon + 1).strip()), file, lineNo, locked, forced));
    }

    /** Lower case, every run of white space one space: {@code SIP  Line1 Proxy IP} is {@code sip line1 proxy ip}. */
    static String normaliseKey(String name) {
        StringBuilder b = new StringBuilder(name.length());
        boolean space = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = b.length() > 0;
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** The line up to its comment: a {@code #} outside a pair of double quotes. One pass, no backtracking. */
    static String withoutComment(String raw) {
        int lastQuote = raw.lastIndexOf('"');
        boolean quoted = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '"') {
                if (quoted) {
                    quoted = false;
                } else if (i < lastQuote) {
                    quoted = true; // it has a partner further on
                }
            } else if (c == '#' && !quoted) {
                return raw.substring(0, i);
            }
        }
        return raw;
    }

    /** Removes one pair of double quotes around the whole value. */
    static String unquote(String v) {
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /**
     * Whether the text is an Aastra file at all: it has a {@code name: value} line whose name is made of the
     * letters, digits and spaces Aastra names are made of, or it has nothing but blanks and comments. An
     * AudioCodes file ({@code voip/line/0/id=2101}), also called {@code <MAC>.cfg}, is not.
     */
    public boolean isAastra() {
        return entries.stream().anyMatch(e -> AASTRA_NAME.matcher(e.key()).matches())
                || (entries.isEmpty() && problems.isEmpty());
    }

    private static final java.util.regex.Pattern AASTRA_NAME = java.util.regex.Pattern.compile("[a-z0-9 _.-]+");

    /** The file's name, as problems name it. */
    public String name() {
        return name;
    }

    /** The entries in file order, duplicates included. */
    public List<Entry> entries() {
        return entries;
    }

    /** The lines that were skipped, and why. */
    public List<Problem> problems() {
        return problems;
    }

    @Override
    public String toString() {
        return "AastraFile[" + name + ", " + entries.size() + " entries, " + problems.size() + " problems]";
    }
}
