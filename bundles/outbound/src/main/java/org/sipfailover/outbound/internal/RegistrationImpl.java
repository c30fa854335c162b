// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.Header;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.time.Cancellable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registration kept over a flow (RFC 3261 §10, RFC 5626 §4.2): one Call-ID for its whole life, CSeq
 * counting up, refreshed before it ends, answered challenges (401/407), Min-Expires (423) and the
 * outbound-specific answers (430, 439) handled, and sent again whenever its flow recovers.
 */
final class RegistrationImpl implements Registration {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationImpl.class);

    private final FlowImpl flow;
    private final RegisterRequest request;
    private final String callId = UUID.randomUUID().toString();
    private final String fromTag = Long.toHexString(Double.doubleToLongBits(Math.random()));
    private final AtomicLong cseq = new AtomicLong();
    private final CompletableFuture<Void> removed = new CompletableFuture<>();
    private final DigestChallenge challenge = new DigestChallenge(this);

    // guarded by this
    private Duration expires;
    private boolean registered;
    private Instant expiresAt;
    private Duration flowTimer;
    private boolean outboundAccepted;
    private boolean removing;
    private boolean stopped;
    private int intervalTooBrief;
    private Cancellable refresh;

    RegistrationImpl(FlowImpl flow, RegisterRequest request) {
        this.flow = flow;
        this.request = request;
        this.expires = request.expires();
    }

    @Override
    public RegisterRequest request() {
        return request;
    }

    @Override
    public synchronized boolean isRegistered() {
        return registered;
    }

    @Override
    public synchronized Optional<Instant> expiresAt() {
        return registered ? Optional.of(expiresAt) : Optional.empty();
    }

    @Override
    public synchronized Optional<Duration> flowTimer() {
        return Optional.ofNullable(flowTimer);
    }

    @Override
    public synchronized boolean outboundAccepted() {
        return outboundAccepted;
    }

    @Override
    public CompletionStage<Void> unregister() {
        long gen;
        synchronized (this) {
            if (removing || stopped) {
                return removed;
            }
            removing = true;
            cancelRefresh();
            gen = flow.generation();
        }
        if (flow.targetOf(gen) == null) {
            finishRemoval();
        } else {
            send(gen);
        }
        return removed;
    }

    @Override
    public void refresh() {
        synchronized (this) {
            if (!registered || removing || stopped) {
                return;
            }
            cancelRefresh();
        }
        send(flow.generation());
    }

    /** The flow is closed: stop refreshing, leave the binding as it is. */
    synchronized void stop() {
        stopped = true;
        cancelRefresh();
        removed.complete(null);
    }

    /**
     * The flow failed: the binding is gone with it until the flow recovers and sends it again. A removal under
     * way ends here: nothing can be removed over a lost flow, and waiting for the flow's recovery (tens of
     * seconds of back-off) would keep the flow, and whoever waits for the removal, for nothing; the registrar
     * lets the binding expire.
     */
    void flowLost() {
        boolean wasRemoving;
        synchronized (this) {
            registered = false;
            cancelRefresh();
            wasRemoving = removing && !stopped;
        }
        if (wasRemoving) {
            finishRemoval();
        }
    }

    /** Sends the REGISTER (or the removal) over the flow's connection of generation {@code gen}. */
    void send(long gen) {
        ResolvedTarget target = flow.targetOf(gen);
        if (target == null) {
            return;
        }
        Duration ask;
        synchronized (this) {
            if (stopped) {
                return;
            }
            ask = removing ? Duration.ZERO : expires;
        }
        try {
            Request r = Requests.create(
                    flow,
                    target,
                    Request.REGISTER,
                    registrarUri(),
                    request.aor(),
                    fromTag,
                    request.displayName(),
                    request.aor(),
                    callId,
                    cseq.incrementAndGet());
            ContactHeader contact = Requests.contact(flow, target, Requests.user(request.aor()), true);
            if (!ask.isZero() || removing) {
                contact.setExpires((int) ask.toSeconds());
            }
            r.addHeader(contact);
            if (flow.outbound()) {
                r.addHeader(flow.resources().endpoint().headers().createSupportedHeader("outbound"));
            }
            r.addHeader(flow.resources().endpoint().headers().createSupportedHeader("path"));
            if (!ask.isZero() || removing) {
                r.addHeader(flow.resources().endpoint().headers().createExpiresHeader((int) ask.toSeconds()));
            }
            flow.send(target, r, new Handler(gen));
        } catch (Exception e) {
            // a send failure is the connection failing: a refused or reset TCP connect, most often
            flow.failed(gen, FailureCause.CONNECTION_REFUSED, null, "REGISTER to " + target + ": " + LogText.of(e));
        }
    }

    private String registrarUri() {
        String host = request.registrar().host();
        host = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (request.aor().startsWith("sips:") ? "sips:" : "sip:")
                + host
                + (request.registrar().port() != 0 ? ":" + request.registrar().port() : "");
    }

    private final class Handler implements SipEndpoint.TransactionHandler {
        private final long gen;

        Handler(long gen) {
            this.gen = gen;
        }

        @Override
        public void onResponse(Response response, ClientTransaction ct) {
            int status = response.getStatusCode();
            if (status < 200) {
                return;
            }
            String detail = status + " " + response.getReasonPhrase() + " from " + flow.targetOf(gen);
            FailureCause flowCause = ResponseCause.ofFlow(status);
            if (status < 300) {
                success(gen, response);
            } else if ((status == 401 || status == 407)) {
                challenged(gen, response, ct, detail);
            } else if (status == 423) {
                tooBrief(gen, response, detail);
            } else if (status == 439) {
                flow.firstHopLacksOutbound(gen, detail);
            } else if (flowCause != null) {
                flow.failed(gen, flowCause, ResponseCause.retryAfter(response), detail);
            } else if (removing) {
                finishRemoval();
            } else if (status == 403 && challenge.answeredAndReset()) {
                // refused right after our answer to a challenge: the credentials are wrong
                flow.registrationFailed(RegistrationImpl.this, FailureCause.AUTHENTICATION_FAILED, detail);
                flow.failed(gen, FailureCause.AUTHENTICATION_FAILED, null, detail + ": credentials refused");
            } else {
                flow.failed(gen, FailureCause.REJECTED, null, detail);
            }
        }

        @Override
        public void onTimeout() {
            if (removing) {
                finishRemoval();
            }
            flow.failed(
                    gen, FailureCause.TRANSACTION_TIMEOUT, null, "REGISTER to " + flow.targetOf(gen) + " timed out");
        }
    }

    private void success(long gen, Response response) {
        Duration granted = grantedExpiry(response);
        Duration ft = null;
        Header ftHeader = response.getHeader("Flow-Timer");
        if (ftHeader != null) {
            try {
                ft = Duration.ofSeconds(Long.parseLong(ftHeader.toString()
                        .replaceAll("(?is)^flow-timer\\s*:\\s*", "")
                        .trim()));
            } catch (NumberFormatException e) {
                LOG.debug("ignoring a malformed Flow-Timer from {}", flow.targetOf(gen));
            }
        }
        boolean requireOutbound = false;
        for (Iterator<?> it = response.getHeaders(RequireHeader.NAME); it.hasNext(); ) {
            requireOutbound |= "outbound".equalsIgnoreCase(((RequireHeader) it.next()).getOptionTag());
        }
        boolean wasRemoving;
        synchronized (this) {
            wasRemoving = removing;
            challenge.reset();
            intervalTooBrief = 0;
            if (!removing && !stopped) {
                registered = true;
                expiresAt = flow.resources().scheduler().now().plus(granted);
                flowTimer = ft;
                outboundAccepted = requireOutbound;
                cancelRefresh();
                refresh = flow.resources()
                        .scheduler()
                        .schedule(() -> send(flow.generation()), RefreshTiming.delay(granted, request.renewBefore()));
            }
        }
        if (wasRemoving) {
            finishRemoval();
        } else {
            flow.registered(gen, this, ft);
        }
    }

    /** The expiry the registrar granted our Contact: its expires parameter, else the Expires header. */
    private Duration grantedExpiry(Response response) {
        String ours = Requests.user(request.aor());
        for (Iterator<?> it = response.getHeaders(ContactHeader.NAME); it.hasNext(); ) {
            ContactHeader c = (ContactHeader) it.next();
            String instance = c.getParameter("+sip.instance");
            String regId = c.getParameter("reg-id");
            boolean mine = instance != null
                    ? instance.contains(flow.resources().instanceId())
                            && (regId == null
                                    || regId.equals(Integer.toString(flow.spec().regId())))
                    : c.getAddress()
                            .getURI()
                            .toString()
                            .contains(flow.resources().endpoint().localAddress());
            if (mine && c.getExpires() > 0) {
                return Duration.ofSeconds(c.getExpires());
            }
        }
        ExpiresHeader e = (ExpiresHeader) response.getHeader(ExpiresHeader.NAME);
        if (e != null && e.getExpires() > 0) {
            return Duration.ofSeconds(e.getExpires());
        }
        LOG.debug("registrar for {} gave no expiry for our contact {}; assuming what we asked", ours, callId);
        synchronized (this) {
            return expires.isZero() ? Duration.ofSeconds(3600) : expires;
        }
    }

    private void challenged(long gen, Response response, ClientTransaction ct, String detail) {
        Credentials creds = request.credentials();
        if (!challenge.admit(creds)) {
            if (removing) {
                finishRemoval();
                return;
            }
            String why = detail + (creds == null ? ": no credentials configured" : ": credentials refused");
            flow.registrationFailed(this, FailureCause.AUTHENTICATION_FAILED, why);
            flow.failed(gen, FailureCause.AUTHENTICATION_FAILED, null, why);
            return;
        }
        try {
            // not sent when the flow has moved on: its next REGISTER starts afresh
            challenge.answer(flow, gen, creds, response, ct, cseq, () -> new Handler(gen));
        } catch (Exception e) {
            flow.failed(gen, FailureCause.AUTHENTICATION_FAILED, null, detail + ": " + LogText.of(e));
        }
    }

    private void tooBrief(long gen, Response response, String detail) {
        MinExpiresHeader min = (MinExpiresHeader) response.getHeader(MinExpiresHeader.NAME);
        synchronized (this) {
            if (min == null || ++intervalTooBrief > 2) {
                intervalTooBrief = 0;
                min = null;
            } else {
                expires = Duration.ofSeconds(min.getExpires());
            }
        }
        if (min == null) {
            flow.failed(gen, FailureCause.REJECTED, null, detail + " without a usable Min-Expires");
        } else {
            LOG.info("{}: {}; registering for {} s", request.aor(), detail, min.getExpires());
            send(gen);
        }
    }

    private void finishRemoval() {
        synchronized (this) {
            registered = false;
            stopped = true;
            cancelRefresh();
        }
        flow.forget(this);
        flow.unregistered(this);
        removed.complete(null);
    }

    private void cancelRefresh() {
        if (refresh != null) {
            refresh.cancel();
            refresh = null;
        }
    }

    @Override
    public String toString() {
        return "Registration[" + request.aor() + " via " + flow + "]";
    }
}
