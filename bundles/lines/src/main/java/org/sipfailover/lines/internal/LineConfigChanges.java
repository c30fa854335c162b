package org.sipfailover.lines.internal;

import org.sipfailover.api.config.LineConfig;

/** Which configuration changes a running line takes in place, which need new flows, and which a new line. */
final class LineConfigChanges {

    private LineConfigChanges() {
    }

    /** Whether a new configuration can be applied in place (the same servers, user, credentials, transport). */
    static boolean appliesInPlace(LineConfig a, LineConfig b) {
        return a.id().equals(b.id()) && a.user().equals(b.user()) && a.servers().equals(b.servers())
                && a.transport().equals(b.transport()) && a.credentials().equals(b.credentials())
                && a.sipOutbound() == b.sipOutbound() && a.subscriptions().equals(b.subscriptions())
                && a.persistentTls() == b.persistentTls() && a.symmetricUdp() == b.symmetricUdp();
    }

    /**
     * Whether two configurations give the same flows and registrations: the settings a flow or a registration
     * takes when it is opened (keep-alive, pong deadline, transaction time-out, recovery back-off, registration period and renewal,
     * display name), which a running one does not change.
     */
    static boolean sameFlowSettings(LineConfig a, LineConfig b) {
        return a.keepAliveInterval().equals(b.keepAliveInterval()) && a.pongTimeout().equals(b.pongTimeout())
                && a.transactionTimeout().equals(b.transactionTimeout())
                && a.recoveryBaseAllFailed().equals(b.recoveryBaseAllFailed())
                && a.recoveryBaseSomeOk().equals(b.recoveryBaseSomeOk()) && a.recoveryMax().equals(b.recoveryMax())
                && a.registrationPeriod().equals(b.registrationPeriod())
                && a.registrationRenewal().equals(b.registrationRenewal())
                && a.displayName().equals(b.displayName());
    }
}
