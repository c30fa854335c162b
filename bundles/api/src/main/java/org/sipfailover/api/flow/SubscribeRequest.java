// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import java.time.Duration;
import java.util.Objects;
import org.sipfailover.api.config.Credentials;

/**
 * A subscription to keep over a flow, refreshed before it expires and re-established after recovery.
 *
 * @param eventPackage the Event header, {@code dialog} (BLF, BLA) or {@code message-summary} (MWI)
 * @param target the resource, e.g. {@code sip:2100@pbx-a.example.com}
 * @param subscriber the line's address of record
 * @param credentials digest credentials, or {@code null}
 * @param expires the requested duration
 */
public record SubscribeRequest(
        String eventPackage, String target, String subscriber, Credentials credentials, Duration expires) {

    public SubscribeRequest {
        Objects.requireNonNull(eventPackage, "eventPackage");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(expires, "expires");
    }
}
