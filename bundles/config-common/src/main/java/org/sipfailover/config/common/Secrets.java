// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import java.util.Locale;

/**
 * The one rule that keeps secrets out of messages and logs: a value is quoted only when it cannot be or hide a
 * secret; otherwise a message says "the value" and names the key, the file and the line instead. A secret is
 * never shown, not even cut short.
 */
public final class Secrets {

    /** Longer values are never quoted: a long value is more likely two lines run together. */
    static final int MAX_SHOWN = 40;

    private Secrets() {}

    /**
     * Whether a key names a secret (a password, a PIN, a passphrase): its value is never logged, shown or kept as
     * an extra setting. Also true of a value that mentions such a key: that is two lines run together, whose tail
     * may be a password.
     */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("passwd")
                || k.contains("secret")
                || k.endsWith(" pin")
                || k.contains(" pin ")
                || k.contains("passphrase");
    }

    /**
     * The value as a message may show it: quoted when it is not under a secret key, mentions no secret key, is
     * short, and has no blank, colon, equals sign or control character (two {@code key: value} or
     * {@code key=value} lines run together, {@code 5060sip line1 password: x}, would otherwise print the second
     * line's password); else "the value".
     */
    public static String shown(String key, String value) {
        boolean safe = (key == null || !isSecret(key))
                && !isSecret(value)
                && value.length() <= MAX_SHOWN
                && value.chars()
                        .noneMatch(c -> c == ':'
                                || c == '='
                                || Character.isWhitespace(c)
                                || Character.isSpaceChar(c)
                                || Character.isISOControl(c));
        return safe ? "'" + value + "'" : "the value";
    }
}
