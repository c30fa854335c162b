// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.clientauthutils.AccountManager;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Response;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.dns.ResolvedTarget;

/**
 * The digest-challenge retry of one request kept over a flow (401 or 407, RFC 3261 §22.2), for REGISTER and
 * SUBSCRIBE alike: how many challenges came in a row, and the answer: the challenged request again, its CSeq
 * one up, with Authorization or Proxy-Authorization computed by JAIN-SIP's {@link AuthenticationHelper}, in a
 * new transaction from the flow's own local port.
 */
final class DigestChallenge {

    /** How many challenges in a row before the credentials are called wrong. */
    static final int MAX_CHALLENGES = 2;

    private final Object lock;
    // guarded by lock
    private int challenges;

    /** @param lock the lock of the request's owner (registration, subscription), which guards the count */
    DigestChallenge(Object lock) {
        this.lock = lock;
    }

    /**
     * A challenge came.
     *
     * @return whether to answer it; if not (no credentials, or too many challenges in a row) the count starts
     *     again
     */
    boolean admit(Credentials creds) {
        synchronized (lock) {
            boolean giveUp = creds == null || ++challenges > MAX_CHALLENGES;
            if (giveUp) {
                challenges = 0;
            }
            return !giveUp;
        }
    }

    /** A success: the next challenge is a first one again. */
    void reset() {
        synchronized (lock) {
            challenges = 0;
        }
    }

    /** @return whether a challenge was answered since the last success; the count starts again */
    boolean answeredAndReset() {
        synchronized (lock) {
            boolean answered = challenges > 0;
            challenges = 0;
            return answered;
        }
    }

    /**
     * Answers {@code challenge} over the flow's connection of generation {@code gen}: the new transaction's
     * CSeq is raised into {@code cseq}, then it is sent with the handler {@code handler} makes.
     *
     * @return whether it was sent; not when that generation is over (the flow's next request starts afresh)
     * @throws Exception if the challenge cannot be answered (no usable challenge header, say) or sent
     */
    boolean answer(
            FlowImpl flow,
            long gen,
            Credentials creds,
            Response challenge,
            ClientTransaction challenged,
            AtomicLong cseq,
            Supplier<SipEndpoint.TransactionHandler> handler)
            throws Exception {
        ResolvedTarget target = flow.targetOf(gen);
        if (target == null) {
            return false;
        }
        ClientTransaction retry = retry(flow, target, creds, challenge, challenged);
        CSeqHeader c = (CSeqHeader) retry.getRequest().getHeader(CSeqHeader.NAME);
        cseq.accumulateAndGet(c.getSeqNumber(), Math::max);
        flow.start(retry, handler.get());
        return true;
    }

    /**
     * @return the new client transaction, not sent yet: the caller sets its handler, then sends it
     * @throws SipException if the challenge cannot be answered (no usable challenge header, say)
     */
    private static ClientTransaction retry(
            FlowImpl flow, ResolvedTarget target, Credentials creds, Response challenge, ClientTransaction challenged)
            throws SipException {
        AuthenticationHelper helper = ((SipStackExt) flow.resources().endpoint().stack())
                .getAuthenticationHelper(
                        accountFor(creds), flow.resources().endpoint().headers());
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
