package org.sipfailover.config.audiocodes.internal;

import java.util.Objects;

/**
 * Something wrong in one AudioCodes file: a configuration line that is ignored (a bad value, a line that is
 * not {@code key=value}), or a phone line that cannot be built. Never fatal to the rest of the file. The
 * message never contains a password or any other secret value.
 *
 * @param file the file's name
 * @param line the 1-based line number in the file, or 0 when the problem belongs to no single line
 * @param key the key concerned, or null when the line has none
 * @param message what is wrong and, for a bad value, what is accepted
 */
public record Problem(String file, int line, String key, String message) {

    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line: key: message}, as compilers print errors. */
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + (key == null ? "" : key + ": ") + message;
    }
}
