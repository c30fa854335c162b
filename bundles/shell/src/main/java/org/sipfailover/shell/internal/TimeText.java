// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Times and durations as the shell commands print them: short, relative to now, in whole units. */
final class TimeText {

    private TimeText() {}

    /** The time from {@code from} to {@code to}, e.g. "42 s", "3 min", "5 h"; never negative. */
    static String span(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        long s = d.isNegative() ? 0 : d.getSeconds();
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }

    /** "3 s ago", or "-" when there is no such time. */
    static String ago(Optional<Instant> then, Instant now) {
        return then.map(t -> span(t, now) + " ago").orElse("-");
    }

    /** A configured duration, exact: "25 s", "0.5 s". */
    static String duration(Duration d) {
        if (d.getNano() == 0) {
            return d.getSeconds() + " s";
        }
        return new BigDecimal(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString() + " s";
    }

    /** An instant in UTC to the second, e.g. "2026-01-01T12:00:00Z". */
    static String instant(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
