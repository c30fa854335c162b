// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Which Aastra/Mitel files a name is (A-R322 p1-43; M-6800 R4.2 p1-25). */
final class FileNames {

    enum Kind {
        /** {@code aastra.cfg}, or {@code startup.cfg} (Mitel 6800/6900 R4.2+): every phone. */
        GLOBAL,
        /** {@code <model>.cfg}: every phone of a model. */
        MODEL,
        /** {@code <MAC>.cfg}: one phone. */
        MAC
    }

    static final String AASTRA = "aastra.cfg";
    static final String STARTUP = "startup.cfg";

    /** The models whose {@code <model>.cfg} is recognised unless configured otherwise. */
    static final String[] DEFAULT_MODELS = {
        "480i", "480ict", "51i", "53i", "55i", "57i", "57ict", "6730i", "6731i", "6735i", "6737i", "6739i", "6753i",
        "6755i", "6757i", "6757ict", "6863i", "6865i", "6867i", "6869i", "6873i", "6905", "6910", "6920", "6930",
        "6940", "6970", "9143i", "9480i", "9480ict"
    };

    /** 12 hex digits, no separators; either case (WAZO writes upper case). */
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{12}\\.cfg");

    private FileNames() {}

    /** The kind of a file name, or null when it is no Aastra file this adapter reads. */
    static Kind kind(String fileName, Set<String> models) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.equals(AASTRA) || lower.equals(STARTUP)) {
            return Kind.GLOBAL;
        }
        if (MAC.matcher(lower).matches()) {
            return Kind.MAC;
        }
        if (lower.endsWith(".cfg") && models.contains(stem(lower))) {
            return Kind.MODEL;
        }
        return null;
    }

    /** The name without {@code .cfg}, in lower case. */
    static String stem(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".cfg") ? lower.substring(0, lower.length() - 4) : lower;
    }
}
