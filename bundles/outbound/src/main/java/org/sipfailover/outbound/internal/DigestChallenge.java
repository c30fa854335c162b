package org.sipfailover.outbound.internal;

import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.clientauthutils.AccountManager;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import javax.sip.ClientTransaction;
import javax.sip.SipException;
import javax.sip.message.Response;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.dns.ResolvedTarget;

/**
 * The answer to a digest challenge (401 or 407, RFC 3261 §22.2), for REGISTER and SUBSCRIBE alike: the
 * challenged request again, its CSeq one up, with Authorization or Proxy-Authorization computed by JAIN-SIP's
 * {@link AuthenticationHelper}, in a new transaction from the flow's own local port.
 */
final class DigestChallenge {

    private DigestChallenge() {
    }

    /**
     * @return the new client transaction, not sent yet: the caller sets its handler, then sends it
     * @throws SipException if the challenge cannot be answered (no usable challenge header, say)
     */
    static ClientTransaction retry(FlowImpl flow, ResolvedTarget target, Credentials creds, Response challenge,
            ClientTransaction challenged) throws SipException {
        AuthenticationHelper helper = ((SipStackExt) flow.resources().endpoint().stack())
                .getAuthenticationHelper(accountFor(creds), flow.resources().endpoint().headers());
        return helper.handleChallenge(challenge, challenged, flow.local(target).provider(), 0);
    }

    /** The digest user and password, never logged (Credentials hides the password in toString). */
    private static AccountManager accountFor(Credentials creds) {
        return (transaction, realm) -> new UserCredentials() {
            @Override
            public String getUserName() {
                return creds.authName();
            }

            @Override
            public String getPassword() {
                return creds.password();
            }

            @Override
            public String getSipDomain() {
                return realm;
            }
        };
    }
}
