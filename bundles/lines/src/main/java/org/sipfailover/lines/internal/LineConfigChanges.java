// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import org.sipfailover.api.config.LineConfig;

/** Which configuration changes a running line takes in place, which need new flows, and which a new line. */
public final class LineConfigChanges {

    /** What a new configuration asks of a running line. */
    public enum Change {
        /** The same servers, identity and flow settings: the running line takes it. */
        IN_PLACE,
        /**
         * Other keep-alive, recovery or registration timers, which flows and registrations take when opened: new
         * flows take the bindings over (same instance-id and reg-id), with no unregistration in between.
         */
        NEW_FLOWS,
        /** Other servers, user, credentials or transport: the old bindings go, and the line starts from nothing. */
        NEW_LINE
    }

    private LineConfigChanges() {}

    /** What going from {@code before} to {@code next} asks of the running line. */
    public static Change of(LineConfig before, LineConfig next) {
        if (!appliesInPlace(before, next)) {
            return Change.NEW_LINE;
        }
        return sameFlowSettings(before, next) ? Change.IN_PLACE : Change.NEW_FLOWS;
    }

    /** Whether a new configuration can be applied in place (the same servers, user, credentials, transport). */
    static boolean appliesInPlace(LineConfig a, LineConfig b) {
        return a.id().equals(b.id())
                && a.user().equals(b.user())
                && a.servers().equals(b.servers())
                && a.transport().equals(b.transport())
                && a.credentials().equals(b.credentials())
                && a.sipOutbound() == b.sipOutbound()
                && a.subscriptions().equals(b.subscriptions())
                && a.persistentTls() == b.persistentTls()
                && a.symmetricUdp() == b.symmetricUdp();
    }

    /**
     * Whether two configurations give the same flows and registrations: the settings a flow or a registration
     * takes when it is opened (keep-alive, pong deadline, transaction time-out, recovery back-off, registration
     * period and renewal, display name), which a running one does not change.
     */
    static boolean sameFlowSettings(LineConfig a, LineConfig b) {
        return a.keepAliveInterval().equals(b.keepAliveInterval())
                && a.pongTimeout().equals(b.pongTimeout())
                && a.transactionTimeout().equals(b.transactionTimeout())
                && a.recoveryBaseAllFailed().equals(b.recoveryBaseAllFailed())
                && a.recoveryBaseSomeOk().equals(b.recoveryBaseSomeOk())
                && a.recoveryMax().equals(b.recoveryMax())
                && a.registrationPeriod().equals(b.registrationPeriod())
                && a.registrationRenewal().equals(b.registrationRenewal())
                && a.displayName().equals(b.displayName());
    }
}
