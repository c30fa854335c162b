// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.dns;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.net.ServerAddress;

/**
 * Resolves a configured server into the ordered list of targets to try, following RFC 3263 (NAPTR, SRV,
 * A/AAAA), RFC 2782 (priority groups, weighted random order within each group) and the desk phones' port
 * rule described on {@link ServerAddress}.
 *
 * <p><b>Failures are results, not exceptions.</b> A DNS failure (timeout, SERVFAIL, NXDOMAIN, no service)
 * gives a {@link Resolution} with no targets and a {@linkplain Resolution#failure() cause}; the methods
 * throw only for a programming error (a {@code null} address). A malformed host, port or transport is
 * already rejected by {@link ServerAddress}'s constructor.
 *
 * <p><b>Caching.</b> Implementations cache answers for no longer than each record's TTL, may refresh a
 * hot entry ahead of its expiry, and may serve a stale answer ({@link ResolutionSource#STALE}) for a
 * bounded time when no DNS server answers (RFC 8767). Callers walk the targets in order when one fails
 * and resolve again once {@link Resolution#expiry()} has passed.
 *
 * <p><b>Threads.</b> Implementations are thread-safe. {@link #resolve} blocks the calling thread for at
 * most the configured query time-outs; {@link #resolveAsync} never blocks and completes on an internal
 * thread or, for answers already known, on the calling thread.
 *
 * <p>Configured through ConfigAdmin under {@link #PID}.
 */
@ProviderType
public interface ServerResolver {

    /** The configuration PID of the DNS resolver component. */
    String PID = "org.sipfailover.dns";

    /**
     * Resolves a server, waiting for DNS if the answer is not cached.
     *
     * @param address the configured server; not {@code null}
     * @return the ordered targets with their expiry and source; never {@code null}
     */
    Resolution resolve(ServerAddress address);

    /**
     * Resolves a server without blocking the caller.
     *
     * @param address the configured server; not {@code null}
     * @return a stage completed with the resolution; it never completes exceptionally because of DNS
     */
    CompletionStage<Resolution> resolveAsync(ServerAddress address);

    /**
     * Drops what the cache holds for this server's names, so that the next resolution asks DNS. Useful
     * after a network change. Does nothing for IP literals.
     *
     * @param address the configured server; not {@code null}
     */
    default void invalidate(ServerAddress address) {
        // implementations without a cache have nothing to drop
    }
}
