// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import java.time.Duration;
import java.util.Objects;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.net.ServerAddress;

/**
 * A registration to keep over a flow: the flow refreshes it before it expires, re-registers it after the
 * flow recovers (with the same reg-id), and removes it on {@link Registration#unregister()}.
 *
 * @param aor the address of record, e.g. {@code sip:2101@pbx-a.example.com}
 * @param registrar the registrar (the Request-URI's host); the flow's server is the first hop
 * @param credentials digest credentials, or {@code null}
 * @param expires the requested expiry; zero lets the registrar decide
 * @param renewBefore refresh at least this long before the granted expiry
 * @param displayName the display name for From/To, or {@code null}
 */
public record RegisterRequest(
        String aor,
        ServerAddress registrar,
        Credentials credentials,
        Duration expires,
        Duration renewBefore,
        String displayName) {

    public RegisterRequest {
        Objects.requireNonNull(aor, "aor");
        Objects.requireNonNull(registrar, "registrar");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(renewBefore, "renewBefore");
        if (!aor.startsWith("sip:") && !aor.startsWith("sips:")) {
            throw new IllegalArgumentException("address of record '" + aor + "' is not a sip: or sips: URI");
        }
    }
}
