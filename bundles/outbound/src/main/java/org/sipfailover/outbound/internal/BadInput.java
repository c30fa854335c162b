// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What peers sent that no flow could use: messages the stack dropped as malformed, and well-formed ones that
 * belong to nothing (a response to no transaction, a request in no dialog). Each is counted; it is logged with
 * anything that could be a credential blanked out and all but printable ASCII escaped, and at most once per kind
 * every {@link #LOG_INTERVAL} (with the number left unlogged since), so that a flood of junk cannot flood the
 * log. Thread-safe.
 */
final class BadInput {

    private static final Logger LOG = LoggerFactory.getLogger(BadInput.class);
    /** The shortest time between two log lines of one kind. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    /** How much of a reason goes into the log. */
    static final int MAX_DETAIL = 200;

    enum Kind {
        MALFORMED("malformed message dropped"),
        STRAY("message for no transaction or dialog");

        private final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    private final Supplier<Instant> clock;
    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
    // guarded by this
    private final Map<Kind, Instant> lastLogged = new EnumMap<>(Kind.class);
    private final Map<Kind, Long> unlogged = new EnumMap<>(Kind.class);

    /** @param clock the time, to space the log lines (the scheduler's, so virtual in virtual-time tests) */
    BadInput(Supplier<Instant> clock) {
        this.clock = clock;
        for (Kind k : Kind.values()) {
            counts.put(k, new AtomicLong());
            unlogged.put(k, 0L);
        }
    }

    /**
     * Counts one and logs it unless the last line of its kind is too recent.
     *
     * @param transport e.g. {@code UDP}
     * @param peer where it came from
     * @param what what is wrong; text from the peer, logged only {@link #sanitize sanitized}
     * @return whether it was logged
     */
    boolean report(Kind kind, String transport, String peer, String what) {
        counts.get(kind).incrementAndGet();
        long skipped;
        synchronized (this) {
            Instant now = clock.get();
            Instant last = lastLogged.get(kind);
            if (last != null && now.isBefore(last.plus(LOG_INTERVAL))) {
                unlogged.merge(kind, 1L, Long::sum);
                return false;
            }
            lastLogged.put(kind, now);
            skipped = unlogged.put(kind, 0L);
        }
        LOG.warn(
                "{} from {} over {}: {}{}",
                kind.text,
                sanitize(peer),
                transport,
                sanitize(what),
                skipped == 0 ? "" : " (and " + skipped + " more of this kind not logged since the last line)");
        return true;
    }

    long count(Kind kind) {
        return counts.get(kind).get();
    }

    /** Peer text made fit for a log line ({@link LogText}), cut to {@link #MAX_DETAIL} characters. */
    static String sanitize(String text) {
        return LogText.sanitize(text, MAX_DETAIL);
    }
}
