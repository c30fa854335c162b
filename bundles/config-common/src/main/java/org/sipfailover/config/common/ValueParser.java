// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Turns the values of one file reading into numbers and durations, reporting each bad value once as a
 * {@link Problem} that names the file, the line, the key and what is accepted, and shows the value only as
 * {@link Secrets#shown} allows. Not thread-safe: one per reading.
 */
public final class ValueParser {

    /** A value as read, and where: what a {@link Problem} about it names. */
    public interface Value {
        String file();

        int line();

        String key();

        String value();
    }

    private final Consumer<Problem> problems;
    private final BiFunction<String, String, String> wording;
    /** Bad values already reported: a shared value may be checked once per line that uses it. */
    private final Set<Value> reported = new HashSet<>();

    /**
     * @param problems where the problems go
     * @param wording the message of a bad value, from the value as shown and what is accepted: each vendor's
     *     messages say in their own words what happens to the ignored line
     */
    public ValueParser(Consumer<Problem> problems, BiFunction<String, String, String> wording) {
        this.problems = Objects.requireNonNull(problems, "problems");
        this.wording = Objects.requireNonNull(wording, "wording");
    }

    /** The value, or "" when there is none. */
    public static String value(Value e) {
        return e == null ? "" : e.value();
    }

    /** A whole number written with digits only, in a range; null when absent, empty or bad (then reported). */
    public Long number(Value e, long min, long max, String accepted) {
        if (e == null || e.value().isEmpty()) {
            return null;
        }
        String v = e.value();
        if (v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            bad(e, accepted);
            return null;
        }
        long x = Long.parseLong(v);
        if (x < min || x > max) {
            bad(e, accepted);
            return null;
        }
        return x;
    }

    /** Whole seconds in a range; {@code otherwise} when absent, empty or bad (then reported). */
    public Duration seconds(Value e, long min, long max, Duration otherwise, String accepted) {
        Long v = number(e, min, max, accepted);
        return v == null ? otherwise : Duration.ofSeconds(v);
    }

    /** Whole milliseconds in a range; {@code otherwise} when absent, empty or bad (then reported). */
    public Duration millis(Value e, long min, long max, Duration otherwise, String accepted) {
        Long v = number(e, min, max, accepted);
        return v == null ? otherwise : Duration.ofMillis(v);
    }

    /** Reports a bad value, once; the value itself only as {@link Secrets#shown} allows. */
    public void bad(Value e, String accepted) {
        if (reported.add(e)) {
            problems.accept(new Problem(
                    e.file(), e.line(), e.key(), wording.apply(Secrets.shown(e.key(), e.value()), accepted)));
        }
    }
}
