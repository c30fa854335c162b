// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.dns;

/** Where the targets of a {@link Resolution} came from. */
public enum ResolutionSource {
    /** The configuration gave an IP literal: no DNS involved. */
    LITERAL,
    /** Fresh from a DNS server, for this call. */
    DNS,
    /** From the resolver's cache, within every record's TTL. */
    CACHE,
    /**
     * From the cache after the TTL ended, because no DNS server answered (RFC 8767 serve-stale). The
     * targets may be outdated; the resolver keeps trying DNS in the background.
     */
    STALE,
    /** From static records the configuration supplies (e.g. Aastra {@code sip dns srvN ...}). */
    STATIC
}
