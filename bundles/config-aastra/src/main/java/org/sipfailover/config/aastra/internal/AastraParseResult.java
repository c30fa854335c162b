// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.config.common.ParseResult;
import org.sipfailover.config.common.Problem;

/**
 * What one phone's file set gave: its lines by number, the lines present but not built (and why, in
 * {@link #problems()}: the files' syntax problems first, then bad values and failed lines), the lines the phone
 * would not register, the keys kept as extra, and the keys marked locked ({@code !}) or forced ({@code ^}).
 * {@link #toString()} shows no secret.
 */
public final class AastraParseResult extends ParseResult {

    private final String phone;
    private final List<String> files;
    private final SortedSet<Integer> unregistered;
    private final SortedSet<String> extraKeys;
    private final Map<Integer, SortedSet<String>> locked;
    private final Map<Integer, SortedSet<String>> forced;

    AastraParseResult(
            String phone,
            List<String> files,
            Map<Integer, LineConfig> lines,
            Set<Integer> failed,
            Set<Integer> unregistered,
            List<Problem> problems,
            Set<String> extraKeys,
            Map<Integer, SortedSet<String>> locked,
            Map<Integer, SortedSet<String>> forced) {
        super(lines, failed, problems);
        this.phone = phone;
        this.files = List.copyOf(files);
        this.unregistered = Collections.unmodifiableSortedSet(new TreeSet<>(unregistered));
        this.extraKeys = Collections.unmodifiableSortedSet(new TreeSet<>(extraKeys));
        this.locked = Map.copyOf(locked);
        this.forced = Map.copyOf(forced);
    }

    /** The phone: its MAC address in lower case, or the stem of the file the lines came from. */
    public String phone() {
        return phone;
    }

    /** The files read, lowest precedence first. */
    public List<String> files() {
        return files;
    }

    /**
     * Line numbers the files configure but that the phone would not register, because their registrar is
     * {@code 0.0.0.0} or not set (A-R331 A-67). The line model has no "do not register" setting, so these are
     * not published; a running line of that number is removed, as the phone would stop registering it.
     */
    public SortedSet<Integer> unregisteredLines() {
        return unregistered;
    }

    /** The keys kept as {@link LineConfig#extra()} of one line or more: names only, never values. */
    public SortedSet<String> extraKeys() {
        return extraKeys;
    }

    /** The keys that apply to a line and were marked {@code !} (locked) where they were last set. */
    public SortedSet<String> lockedKeys(int line) {
        return locked.getOrDefault(line, Collections.emptySortedSet());
    }

    /** The keys that apply to a line and were marked {@code ^} (forced) where they were last set. */
    public SortedSet<String> forcedKeys(int line) {
        return forced.getOrDefault(line, Collections.emptySortedSet());
    }

    @Override
    public String toString() {
        return "ParseResult[phone=" + phone + ", files=" + files + ", lines=" + lines().keySet() + ", failed="
                + failedLines() + ", unregistered=" + unregistered + ", problems="
                + problems().size() + "]";
    }
}
