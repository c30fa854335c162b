// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import java.util.Objects;
import org.sipfailover.config.common.ValueParser;

/**
 * One {@code name: value} line of an Aastra file, as read: the key normalised (lower case, single spaces), the
 * value without its comment and without one pair of surrounding double quotes.
 *
 * @param key the normalised key, e.g. {@code sip line1 proxy ip}
 * @param value the value, possibly empty
 * @param file the file's name
 * @param line the 1-based line number
 * @param locked the line started with {@code !}: the user cannot change the value on the phone (A-R331 p2-15)
 * @param forced the line started with {@code ^}: a locally changed value is reset to this one (A-R331 p2-16)
 */
public record Entry(String key, String value, String file, int line, boolean locked, boolean forced)
        implements ValueParser.Value {

    public Entry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(file, "file");
    }

    /** Where the entry was read, {@code file:line}. */
    public String where() {
        return file + ":" + line;
    }

    /** The key and where it was read, never the value: any value may hide a secret (two lines run together). */
    @Override
    public String toString() {
        return "Entry[" + (locked ? "!" : "") + (forced ? "^" : "") + key + " at " + where() + "]";
    }
}
