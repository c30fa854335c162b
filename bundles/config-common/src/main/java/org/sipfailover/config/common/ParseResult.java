// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.sipfailover.api.config.LineConfig;

/**
 * What reading a vendor's files gave, whatever the vendor: the lines built, by their number in the files, the
 * lines present but not built, and every problem met. Each adapter adds what its files say beyond that. Its
 * {@link #toString()} shows no secret.
 */
public abstract class ParseResult {

    private final SortedMap<Integer, LineConfig> lines;
    private final SortedSet<Integer> failed;
    private final List<Problem> problems;

    protected ParseResult(Map<Integer, LineConfig> lines, Set<Integer> failed, List<Problem> problems) {
        this.lines = Collections.unmodifiableSortedMap(new TreeMap<>(lines));
        this.failed = Collections.unmodifiableSortedSet(new TreeSet<>(failed));
        this.problems = List.copyOf(problems);
    }

    /** The lines that were built, by their number (or index) in the files. */
    public SortedMap<Integer, LineConfig> lines() {
        return lines;
    }

    /**
     * Numbers of lines the files configure but that could not be built; {@link #problems()} says why. A running
     * line of that number keeps its last good configuration.
     */
    public SortedSet<Integer> failedLines() {
        return failed;
    }

    /** Every problem, in the order the adapter documents. */
    public List<Problem> problems() {
        return problems;
    }
}
