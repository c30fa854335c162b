// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.dns;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.sipfailover.api.net.ServerAddress;

/**
 * The outcome of resolving one configured server: the targets in the order to try them, until when they
 * are valid, and where they came from. Immutable and thread-safe.
 *
 * <p>An empty result carries a {@link #failure()} that says why (the DNS server did not answer, the name
 * does not exist, the domain says "no service" with a "." SRV target, ...). Even an empty result has an
 * expiry: a negative answer is cached for the SOA minimum (RFC 2308).
 */
public final class Resolution {

    private final ServerAddress query;
    private final List<ResolvedTarget> targets;
    private final Instant expiry;
    private final ResolutionSource source;
    private final String failure;

    /**
     * @param query the server that was resolved
     * @param targets the targets in order; copied
     * @param expiry when the answer stops being valid (the smallest TTL involved); for a literal,
     *     {@link Instant#MAX}
     * @param source where the answer came from
     * @param failure why there are no targets, or {@code null} when there are
     */
    public Resolution(
            ServerAddress query,
            List<ResolvedTarget> targets,
            Instant expiry,
            ResolutionSource source,
            String failure) {
        this.query = Objects.requireNonNull(query, "query");
        this.targets = List.copyOf(targets);
        this.expiry = Objects.requireNonNull(expiry, "expiry");
        this.source = Objects.requireNonNull(source, "source");
        this.failure = failure;
    }

    /** A result with targets. */
    public static Resolution of(
            ServerAddress query, List<ResolvedTarget> targets, Instant expiry, ResolutionSource source) {
        return new Resolution(query, targets, expiry, source, null);
    }

    /** A result with no targets, and why. */
    public static Resolution failed(ServerAddress query, Instant expiry, ResolutionSource source, String cause) {
        return new Resolution(query, List.of(), expiry, source, Objects.requireNonNull(cause, "cause"));
    }

    public ServerAddress query() {
        return query;
    }

    /** The targets in the order to try them; empty when resolution failed. */
    public List<ResolvedTarget> targets() {
        return targets;
    }

    /** When this answer stops being valid; re-resolve after it. */
    public Instant expiry() {
        return expiry;
    }

    public ResolutionSource source() {
        return source;
    }

    /** Why there are no targets; empty when there are. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    public boolean isEmpty() {
        return targets.isEmpty();
    }

    /** The time left until {@link #expiry()} seen from {@code now}, never negative. */
    public Duration ttl(Instant now) {
        if (expiry.equals(Instant.MAX)) {
            return Duration.ofSeconds(Long.MAX_VALUE);
        }
        Duration d = Duration.between(now, expiry);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** The same answer, marked as coming from another source (e.g. the cache). */
    public Resolution withSource(ResolutionSource newSource) {
        return new Resolution(query, targets, expiry, newSource, failure);
    }

    @Override
    public String toString() {
        return query + " -> " + (failure != null ? "no targets (" + failure + ")" : targets) + " [" + source
                + ", expires " + expiry + "]";
    }
}
