// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.sipfailover.config.aastra.internal.AastraKeys.*;
import static org.sipfailover.config.common.ValueParser.value;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.config.common.Problem;
import org.sipfailover.config.common.ValueParser;

/** The programmable keys of one reading that become BLF subscriptions: which keys, and each line's list. */
final class AastraBlfKeys {

    private final ValueParser values;
    private final List<Problem> problems;
    /** Programmable keys turned into BLF subscriptions: "family index" -> line. */
    private final Map<String, Integer> blfKeys = new HashMap<>();

    private final Map<Integer, List<SubscriptionConfig>> blfByLine = new HashMap<>();

    /**
     * @param values the reading's value parser: a bad line number is reported once with the reading's others
     * @param problems where the reading's problems go, in the order they are found
     */
    AastraBlfKeys(ValueParser values, List<Problem> problems) {
        this.values = values;
        this.problems = problems;
    }

    /** BLF programmable keys ({@code type: blf} or {@code blfxfer}); {@code line} defaults to 1 [G]. */
    void read(Map<String, Entry> merged, SortedSet<Integer> lineNumbers, Duration period) {
        Map<String, Map<String, Entry>> groups = new TreeMap<>((a, b) -> compareKeyGroups(a, b));
        for (Entry e : merged.values()) {
            Matcher m = KEY_ATTRIBUTE.matcher(e.key());
            if (m.matches()) {
                groups.computeIfAbsent(m.group(1) + " " + m.group(2), x -> new HashMap<>())
                        .put(m.group(3), e);
            }
        }
        for (Map.Entry<String, Map<String, Entry>> g : groups.entrySet()) {
            Map<String, Entry> f = g.getValue();
            String type = value(f.get("type")).toLowerCase(Locale.ROOT);
            if (!type.equals("blf") && !type.equals("blfxfer")) {
                continue;
            }
            Entry typeEntry = f.get("type");
            String target = value(f.get("value"));
            if (target.isEmpty()) {
                problems.add(new Problem(
                        typeEntry.file(),
                        typeEntry.line(),
                        typeEntry.key(),
                        "a BLF key needs a value (the monitored extension); kept as extra"));
                continue;
            }
            int line = 1;
            Entry lineEntry = f.get("line");
            if (lineEntry != null && !lineEntry.value().isEmpty()) {
                Long l = values.number(lineEntry, 1, MAX_LINE, "a line number 1..9");
                if (l == null) {
                    continue;
                }
                line = l.intValue();
            }
            if (!lineNumbers.contains(line)) {
                Entry where = lineEntry != null ? lineEntry : typeEntry;
                problems.add(new Problem(
                        where.file(),
                        where.line(),
                        where.key(),
                        "line " + line + " is not configured on this phone; the BLF key is kept as extra"));
                continue;
            }
            blfKeys.put(g.getKey(), line);
            blfByLine
                    .computeIfAbsent(line, x -> new ArrayList<>())
                    .add(new SubscriptionConfig(SubscriptionKind.BLF, target, period));
        }
    }

    /** A line's BLF subscriptions, in the order of {@link AastraKeys#KEY_FAMILIES} and then the key's index. */
    List<SubscriptionConfig> forLine(int n) {
        return blfByLine.getOrDefault(n, List.of());
    }

    /** Whether a key is the type, value or line of a key turned into a subscription: it is no extra then. */
    boolean claims(String key) {
        Matcher km = KEY_ATTRIBUTE.matcher(key);
        return km.matches()
                && blfKeys.containsKey(km.group(1) + " " + km.group(2))
                && List.of("type", "value", "line").contains(km.group(3));
    }

    /** Orders "family index" by the family's place in {@link AastraKeys#KEY_FAMILIES}, then the index. */
    private static int compareKeyGroups(String a, String b) {
        int sa = a.lastIndexOf(' ');
        int sb = b.lastIndexOf(' ');
        int fa = KEY_FAMILIES.indexOf(a.substring(0, sa));
        int fb = KEY_FAMILIES.indexOf(b.substring(0, sb));
        if (fa != fb) {
            return Integer.compare(fa, fb);
        }
        return Integer.compare(Integer.parseInt(a.substring(sa + 1)), Integer.parseInt(b.substring(sb + 1)));
    }
}
