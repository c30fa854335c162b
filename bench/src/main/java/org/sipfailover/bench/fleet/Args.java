// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code --name value} options. */
final class Args {

    private Args() {}

    /**
     * Refuses an argument that is not one of {@code known} (with its value, unless it is one of {@code flags}):
     * a mistyped option would otherwise run a long benchmark with the default it meant to change.
     *
     * @throws IllegalArgumentException naming the first unknown argument and the known options
     */
    static void only(String[] args, Set<String> known, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            if (flags.contains(args[i])) {
                continue;
            }
            if (!known.contains(args[i]) || i + 1 == args.length) {
                throw new IllegalArgumentException((known.contains(args[i]) ? "no value for " : "unknown option ")
                        + args[i] + "; options: " + new java.util.TreeSet<>(known) + ", flags: " + flags);
            }
            i++;
        }
    }

    static String str(String[] args, String name, String otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }

    static int integer(String[] args, String name, int otherwise) {
        return Integer.parseInt(str(args, name, Integer.toString(otherwise)));
    }

    static long longValue(String[] args, String name, long otherwise) {
        return Long.parseLong(str(args, name, Long.toString(otherwise)));
    }

    static List<String> list(String[] args, String name, String otherwise) {
        String v = str(args, name, otherwise);
        return v.isBlank()
                ? List.of()
                : Arrays.stream(v.split("[, ]+")).filter(x -> !x.isBlank()).toList();
    }

    static Path path(String[] args, String name) {
        String v = str(args, name, null);
        return v == null ? null : Path.of(v);
    }

    static boolean flag(String[] args, String name) {
        return Arrays.asList(args).contains(name);
    }
}
