// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import java.util.Objects;

/**
 * Something wrong in a vendor file: a configuration line that is ignored (a bad value, a line of the wrong
 * shape), or a phone line that cannot be built. Never fatal to the other lines. The message never contains a
 * password or any other secret value, nor the raw text of a line that could hold one ({@link Secrets}).
 *
 * @param file the file's name, e.g. {@code 00085D1A2B3C.cfg}
 * @param line the 1-based line number in the file, or 0 when the problem belongs to no single line of a file
 * @param key the configuration key concerned, or null when there is none
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
