// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.config;

/** The subscriptions a line keeps, moved between proxies with the line (Aastra: BLF, BLA, explicit MWI). */
public enum SubscriptionKind {
    /** Busy lamp field: the {@code dialog} event package (RFC 4235) for another user. */
    BLF("dialog"),
    /** Bridged line appearance: the {@code dialog} event package for a shared line. */
    BLA("dialog"),
    /** Explicit message-waiting subscription: the {@code message-summary} package (RFC 3842). */
    MWI("message-summary");

    private final String eventPackage;

    SubscriptionKind(String eventPackage) {
        this.eventPackage = eventPackage;
    }

    /** The SIP Event header value used for this kind. */
    public String eventPackage() {
        return eventPackage;
    }
}
