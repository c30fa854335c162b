// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.policy;

import java.util.Objects;
import java.util.Optional;
import org.sipfailover.api.net.Rank;

/**
 * One registration binding of a line: which proxy's address of record is registered, at which registrar,
 * through which outbound proxy (if any), on which RFC 5626 flow.
 *
 * @param regId the RFC 5626 reg-id of the flow carrying the binding (1, 2, ...), or 0 when SIP outbound
 *     is off
 * @param proxy whose address of record is registered; INVITE and SUBSCRIBE go to this proxy
 * @param registrar where the binding is registered
 * @param outboundProxy the outbound proxy used as first hop, or {@code null} for none
 */
public record Binding(int regId, Rank proxy, Rank registrar, Rank outboundProxy) {

    public Binding {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(registrar, "registrar");
        if (regId < 0) {
            throw new IllegalArgumentException("reg-id must not be negative: " + regId);
        }
    }

    /** The outbound proxy used as first hop, if any. */
    public Optional<Rank> outboundProxyIfUsed() {
        return Optional.ofNullable(outboundProxy);
    }

    @Override
    public String toString() {
        return "proxy=" + proxy.name().toLowerCase() + " registrar="
                + registrar.name().toLowerCase()
                + (outboundProxy == null
                        ? ""
                        : " outbound=" + outboundProxy.name().toLowerCase())
                + (regId == 0 ? "" : " reg-id=" + regId);
    }
}
