// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * File rules: which files are AudioCodes files, how they are read and decoded, and the stable names of the
 * lines they hold.
 *
 * <p>An AudioCodes file, for this adapter, is a regular file named {@code *.cfg} (any case), other than
 * Aastra's global file names {@code aastra.cfg} and {@code startup.cfg}, of which one line within the first
 * {@value #SNIFF_BYTES} bytes is a {@code voip/...=value} assignment. Aastra files ({@code aastra.cfg},
 * {@code startup.cfg}, {@code <model>.cfg}, {@code <MAC>.cfg}) are written {@code key: value} and their keys
 * never start with {@code voip/}, so the rule never claims one, whatever its name.
 */
final class AudioCodesFiles {

    /** Larger files are refused as unreadable: real 400HD files are a few kilobytes. */
    static final int MAX_BYTES = 1 << 20;
    /** How much of a file {@link #looksLikeAudioCodes} reads. */
    static final int SNIFF_BYTES = 64 * 1024;

    static final String LINE_ID_PREFIX = "audiocodes-";

    private AudioCodesFiles() {}

    /** The line id (and factory configuration name) of line {@code index} of a file: {@code audiocodes-<stem>-line<index>}. */
    static String lineId(String stem, int index) {
        return LINE_ID_PREFIX + stem + "-line" + index;
    }

    /**
     * The file name without {@code .cfg}, every character other than letters, digits, {@code .}, {@code _}
     * and {@code -} replaced by {@code _}, so that line ids are safe as configuration names and in filters.
     */
    static String stem(String fileName) {
        String name = fileName;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        if (name.toLowerCase(Locale.ROOT).endsWith(".cfg")) {
            name = name.substring(0, name.length() - 4);
        }
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            sb.append(ok ? c : '_');
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    /**
     * The text of a file: UTF-8 when the bytes are valid UTF-8 (a leading byte-order mark dropped), else
     * ISO-8859-1, in which every byte is a character. Never fails.
     */
    static String decode(byte[] bytes) {
        int start =
                bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf
                        ? 3
                        : 0;
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in)
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Reads a whole file.
     *
     * @throws IOException when it cannot be read, is no regular file, or is larger than {@value #MAX_BYTES}
     *     bytes
     */
    static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** Whether the file's name may be an AudioCodes file's: {@code *.cfg}, but not Aastra's global files. */
    static boolean hasAudioCodesName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.endsWith(".cfg") && n.length() > 4 && !n.equals("aastra.cfg") && !n.equals("startup.cfg");
    }

    /** The file rule of this class; false when the file cannot be read. */
    static boolean looksLikeAudioCodes(Path file) {
        Path name = file.getFileName();
        if (name == null || !hasAudioCodesName(name.toString()) || !Files.isRegularFile(file)) {
            return false;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return hasVoipAssignment(new String(head, StandardCharsets.ISO_8859_1));
    }

    /** Whether some line of the text is {@code voip/<path>=...} with no blank or colon in the path. */
    static boolean hasVoipAssignment(String text) {
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            int end = pos;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            int s = pos;
            while (s < end
                    && (text.charAt(s) == ' '
                            || text.charAt(s) == '\t'
                            || text.charAt(s) == '\ufeff'
                            || text.charAt(s) == '\u00ef'
                            || text.charAt(s) == '\u00bb'
                            || text.charAt(s) == '\u00bf')) {
                s++;
            }
            if (text.startsWith("voip/", s)) {
                int eq = text.indexOf('=', s);
                if (eq > s + 5
                        && eq < end
                        && text.substring(s, eq).trim().chars().noneMatch(c -> c == ' ' || c == '\t' || c == ':')) {
                    return true;
                }
            }
            pos = end + 1;
        }
        return false;
    }
}
