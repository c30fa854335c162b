// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.config.common.ParseResult;
import org.sipfailover.config.common.Problem;

/**
 * What one AudioCodes file gave: its enabled phone lines that were built, by their 0-based index
 * ({@code voip/line/<index>/...}); the lines that the file has and enables (or whose {@code enabled} value is
 * malformed) but that could not be built; the disabled ones; and every problem, in file order, phone-line problems
 * last. {@link #toString()} shows no secret.
 */
public final class AudioCodesParseResult extends ParseResult {

    private final String file;
    private final Set<Integer> disabled;
    private final List<String> unknownKeys;
    private final boolean hasVoipKeys;

    AudioCodesParseResult(
            String file,
            Map<Integer, LineConfig> lines,
            Set<Integer> failed,
            Set<Integer> disabled,
            List<Problem> problems,
            List<String> unknownKeys,
            boolean hasVoipKeys) {
        super(lines, failed, problems);
        this.file = file;
        this.disabled = Collections.unmodifiableSet(new TreeSet<>(disabled));
        this.unknownKeys = List.copyOf(unknownKeys);
        this.hasVoipKeys = hasVoipKeys;
    }

    /** The file's name, as every problem names it. */
    public String file() {
        return file;
    }

    /** Indexes of phone lines the file has but disables ({@code voip/line/<index>/enabled=0}). */
    public Set<Integer> disabledLines() {
        return disabled;
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
        return "ParseResult[file=" + file + ", lines=" + lines().keySet() + ", failed=" + failedLines() + ", disabled="
                + disabled + ", problems=" + problems().size() + "]";
    }
}
