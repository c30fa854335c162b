package org.sipfailover.config.audiocodes.internal;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.sipfailover.api.config.LineConfig;

/**
 * What one AudioCodes file gave: its phone lines by index, the lines that are present but could not be
 * built, the disabled ones, and every problem met on the way. {@link #toString()} shows no secret.
 */
public final class ParseResult {

    private final String file;
    private final SortedMap<Integer, LineConfig> lines;
    private final Set<Integer> failed;
    private final Set<Integer> disabled;
    private final List<Problem> problems;
    private final List<String> unknownKeys;
    private final boolean hasVoipKeys;

    ParseResult(String file, Map<Integer, LineConfig> lines, Set<Integer> failed, Set<Integer> disabled,
            List<Problem> problems, List<String> unknownKeys, boolean hasVoipKeys) {
        this.file = file;
        this.lines = Collections.unmodifiableSortedMap(new TreeMap<>(lines));
        this.failed = Collections.unmodifiableSet(new TreeSet<>(failed));
        this.disabled = Collections.unmodifiableSet(new TreeSet<>(disabled));
        this.problems = List.copyOf(problems);
        this.unknownKeys = List.copyOf(unknownKeys);
        this.hasVoipKeys = hasVoipKeys;
    }

    /** The file's name, as every problem names it. */
    public String file() {
        return file;
    }

    /** The enabled phone lines that were built, by their 0-based index ({@code voip/line/<index>/...}). */
    public SortedMap<Integer, LineConfig> lines() {
        return lines;
    }

    /**
     * Indexes of phone lines that the file has and enables (or whose {@code enabled} value is malformed) but
     * that could not be built; {@link #problems()} says why. A running line of that index keeps its last
     * good configuration.
     */
    public Set<Integer> failedLines() {
        return failed;
    }

    /** Indexes of phone lines the file has but disables ({@code voip/line/<index>/enabled=0}). */
    public Set<Integer> disabledLines() {
        return disabled;
    }

    /** Every problem, in file order; phone-line problems last. */
    public List<Problem> problems() {
        return problems;
    }

    /** The keys this adapter does not know, as {@code key (line n)}: kept as {@link LineConfig#extra()}. */
    public List<String> unknownKeys() {
        return unknownKeys;
    }

    /**
     * Whether the file has any {@code voip/...} key at all. A file without one is no AudioCodes file (or one
     * caught half-written), and a publisher should change nothing because of it.
     */
    public boolean hasVoipKeys() {
        return hasVoipKeys;
    }

    @Override
    public String toString() {
        return "ParseResult[file=" + file + ", lines=" + lines.keySet() + ", failed=" + failed + ", disabled="
                + disabled + ", problems=" + problems.size() + "]";
    }
}
