// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.flow.SubscribeRequest;
import org.sipfailover.api.flow.Subscription;
import org.sipfailover.api.flow.SubscriptionListener;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.time.Cancellable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription kept over a flow (RFC 6665): SUBSCRIBE with the flow's Contact ({@code ;ob}), refreshed in
 * its dialog before it ends, its NOTIFYs answered and handed to the listener, and established again, in a new
 * dialog, after the flow recovers.
 *
 * <p>The dialog is made by the 2xx to the SUBSCRIBE or by the first NOTIFY, whichever comes first (RFC 6665
 * §4.1.2.4): its route set is that message's Record-Route (reversed from a 2xx, as is from a NOTIFY, RFC 3261
 * §12.1) and refreshes follow it. A NOTIFY's {@code Subscription-State: active;expires=N} that ends the
 * subscription sooner than granted brings the refresh forward. Digest challenges (401, 407) are answered with
 * the request's credentials. When the notifier ends the subscription the reason decides ({@link Resubscribe}):
 * subscribe again at once, later, or never, the last reported to the listener's {@code onTerminated}.
 *
 * <p>This class owns the subscription's life; {@link SubscribeDialog} is its dialog, {@link SubscriptionExpiry}
 * when it ends unless refreshed, {@link FinalNotifyWait} how long an unsubscribed dialog is still answered.
 */
final class SubscriptionImpl implements Subscription, InboundRequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionImpl.class);
    /** A dialog the notifier ends sooner than this after it began counts towards a loop of quick retries. */
    private static final Duration QUICK = Duration.ofSeconds(30);

    private final FlowImpl flow;
    private final SubscribeRequest request;
    private final SubscriptionListener listener;
    private final AtomicLong cseq = new AtomicLong();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final DigestChallenge challenge = new DigestChallenge(this);
    private final FinalNotifyWait finalNotify;

    // guarded by this
    private SubscribeDialog dialog = SubscribeDialog.fresh();
    private final SubscriptionExpiry expiry = new SubscriptionExpiry();
    private boolean active;
    private boolean ending;
    private boolean stopped;
    private Cancellable refresh;
    /** No SUBSCRIBE before this (the notifier's retry-after), even after a recovery of the flow. */
    private Instant notBefore;

    private int quickRetries;

    SubscriptionImpl(FlowImpl flow, SubscribeRequest request, SubscriptionListener listener) {
        this.flow = flow;
        this.request = request;
        this.listener = listener;
        this.finalNotify = new FinalNotifyWait(
                this,
                flow.resources().scheduler(),
                () -> flow.resources().endpoint().inbound().unregister(Request.NOTIFY, this));
        flow.resources().endpoint().inbound().register(Request.NOTIFY, this);
    }

    @Override
    public SubscribeRequest request() {
        return request;
    }

    @Override
    public synchronized boolean isActive() {
        return active;
    }

    @Override
    public CompletionStage<Void> unsubscribe() {
        long gen;
        boolean waiting;
        synchronized (this) {
            if (ending || stopped) {
                return ended;
            }
            ending = true;
            cancelRefresh();
            gen = flow.generation();
            // the notifier ended the last dialog and the next SUBSCRIBE has not left: nothing to end there
            waiting = !dialog.made() && notBefore != null;
        }
        if (flow.targetOf(gen) == null || waiting) {
            finish();
        } else {
            send(gen);
        }
        return ended;
    }

    synchronized void stop() {
        stopped = true;
        cancelRefresh();
        flow.resources().endpoint().inbound().unregister(Request.NOTIFY, this);
        ended.complete(null);
    }

    /** The flow failed: the dialog went with it; a new one is made when the flow is up again. */
    void flowLost() {
        newDialog();
    }

    /** Forgets the dialog: the next SUBSCRIBE is an initial one, with a new Call-ID and From tag. */
    private synchronized void newDialog() {
        active = false;
        cancelRefresh();
        dialog = SubscribeDialog.fresh();
        expiry.clear();
    }

    void send(long gen) {
        ResolvedTarget target = flow.targetOf(gen);
        if (target == null) {
            return;
        }
        SubscribeDialog d;
        Duration expires;
        synchronized (this) {
            if (stopped) {
                return;
            }
            Instant now = flow.resources().scheduler().now();
            if (!ending && notBefore != null && now.isBefore(notBefore)) {
                // the notifier's retry-after is not over (a recovered flow subscribes everything at once)
                cancelRefresh();
                refresh = flow.resources()
                        .scheduler()
                        .schedule(() -> send(flow.generation()), Duration.between(now, notBefore));
                return;
            }
            notBefore = null;
            d = dialog;
            expires = ending ? Duration.ZERO : request.expires();
        }
        boolean refreshing = d.made();
        try {
            Request r = Requests.subscribe(
                    flow,
                    target,
                    request,
                    d.requestUri(request.target()),
                    d.callId(),
                    d.fromTag(),
                    d.toTag(),
                    d.routes(),
                    expires,
                    cseq.incrementAndGet());
            flow.send(
                    target,
                    r,
                    new Handler(
                            gen,
                            refreshing,
                            d.callId(),
                            flow.resources().scheduler().now()));
        } catch (Exception e) {
            flow.failed(gen, FailureCause.CONNECTION_REFUSED, null, "SUBSCRIBE to " + target + ": " + LogText.of(e));
        }
    }

    private final class Handler implements SipEndpoint.TransactionHandler {
        private final long gen;
        /** Whether this SUBSCRIBE refreshes an established dialog (rather than making one). */
        private final boolean refreshing;
        /** The Call-ID of the dialog it was sent in. */
        private final String callId;

        private final Instant sentAt;

        Handler(long gen, boolean refreshing, String callId, Instant sentAt) {
            this.gen = gen;
            this.refreshing = refreshing;
            this.callId = callId;
            this.sentAt = sentAt;
        }

        @Override
        public void onResponse(Response response, ClientTransaction ct) {
            int status = response.getStatusCode();
            if (status < 200) {
                return;
            }
            synchronized (SubscriptionImpl.this) {
                if (!callId.equals(dialog.callId())) {
                    return; // for a dialog given up since (the notifier ended it, the flow failed)
                }
            }
            if (status == 401 || status == 407) {
                challenged(this, response, ct);
                return;
            }
            if (isEnding()) {
                finish();
                return;
            }
            if (status >= 300) {
                FailureCause flowCause = ResponseCause.ofFlow(status);
                if (flowCause != null) {
                    flow.failed(gen, flowCause, null, "SUBSCRIBE " + request.target() + ": " + status);
                } else if (refreshing) {
                    // RFC 6665 §4.1.2.2: a refused refresh (481 from a notifier that restarted, most often)
                    // ends the dialog's subscription; one that is kept is made again in a new dialog, as after
                    // a recovery. Only a refused initial SUBSCRIBE ends it for good, so this cannot loop.
                    LOG.info(
                            "refresh of SUBSCRIBE {} ({}) refused: {} {}; subscribing again in a new dialog",
                            request.target(),
                            request.eventPackage(),
                            status,
                            response.getReasonPhrase());
                    newDialog();
                    send(gen);
                } else {
                    endForGood(status + " " + response.getReasonPhrase());
                }
                return;
            }
            ExpiresHeader e = (ExpiresHeader) response.getHeader(ExpiresHeader.NAME);
            Duration granted = e != null && e.getExpires() > 0 ? Duration.ofSeconds(e.getExpires()) : request.expires();
            synchronized (SubscriptionImpl.this) {
                Instant now = flow.resources().scheduler().now();
                challenge.reset();
                active = true;
                if (!dialog.made()) {
                    dialog = dialog.madeBy(response, now); // no NOTIFY came first
                }
                dialog = dialog.refreshedBy(response);
                if (refreshing) {
                    quickRetries = 0; // the dialog lived to be refreshed: no loop
                }
                scheduleRefresh(now, expiry.granted(now, granted, sentAt));
            }
        }

        @Override
        public void onTimeout() {
            if (isEnding()) {
                finish();
                return;
            }
            flow.failed(gen, FailureCause.TRANSACTION_TIMEOUT, null, "SUBSCRIBE " + request.target() + " timed out");
        }
    }

    /** 401 or 407: the same SUBSCRIBE again with the credentials' answer (RFC 3261 §22.2). */
    private void challenged(Handler handler, Response response, ClientTransaction ct) {
        Credentials creds = request.credentials();
        String detail = response.getStatusCode() + " " + response.getReasonPhrase();
        if (!challenge.admit(creds)) {
            if (isEnding()) {
                finish();
            } else {
                endForGood(detail + (creds == null ? ": no credentials configured" : ": credentials refused"));
            }
            return;
        }
        try {
            // not sent when the flow has moved on: it subscribes afresh when it is up again
            challenge.answer(
                    flow,
                    handler.gen,
                    creds,
                    response,
                    ct,
                    cseq,
                    () -> new Handler(
                            handler.gen,
                            handler.refreshing,
                            handler.callId,
                            flow.resources().scheduler().now()));
        } catch (Exception e) {
            if (isEnding()) {
                finish();
            } else {
                endForGood(detail + ": cannot answer the challenge: " + LogText.of(e));
            }
        }
    }

    /** A NOTIFY of this subscription's dialog: answered 200 and handed to the listener. */
    @Override
    public boolean onRequest(RequestEvent event) {
        Request r = event.getRequest();
        if (!Request.NOTIFY.equals(r.getMethod())) {
            return false;
        }
        String cid = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
        String toTagOfNotify = ((ToHeader) r.getHeader(ToHeader.NAME)).getTag();
        SubscriptionStateHeader state = (SubscriptionStateHeader) r.getHeader(SubscriptionStateHeader.NAME);
        boolean terminated = state != null && SubscriptionStateHeader.TERMINATED.equalsIgnoreCase(state.getState());
        boolean over;
        boolean finished;
        synchronized (this) {
            if (!dialog.owns(cid, toTagOfNotify)) {
                return false;
            }
            Instant now = flow.resources().scheduler().now();
            if (!dialog.made()) {
                dialog = dialog.madeBy(r, now);
            }
            // after unsubscribe(), whether or not its 200 has come yet (the final NOTIFY may overtake it)
            over = ending || stopped;
            finalNotify.notifyCame(over && terminated);
            finished = stopped;
            if (!over) {
                dialog = dialog.refreshedBy(r); // NOTIFY is a target refresh request
                if (state != null && SubscriptionStateHeader.ACTIVE.equalsIgnoreCase(state.getState())) {
                    active = true;
                }
                if (!terminated && state != null && state.getExpires() >= 0) {
                    shorten(now, state.getExpires());
                }
            }
        }
        try {
            ServerTransaction st = event.getServerTransaction() != null
                    ? event.getServerTransaction()
                    : ((javax.sip.SipProvider) event.getSource()).getNewServerTransaction(r);
            st.sendResponse(flow.resources().endpoint().messages().createResponse(Response.OK, r));
        } catch (Exception e) {
            LOG.debug("could not answer a NOTIFY for {}: {}", request.target(), LogText.of(e));
        }
        if (over) {
            // the final NOTIFY after unsubscribe(): answered, not passed on; the dialog is done with it
            if (terminated && finished) {
                finalNotify.stop();
            }
            return true;
        }
        ContentTypeHeader ct = (ContentTypeHeader) r.getHeader(ContentTypeHeader.NAME);
        byte[] body = r.getRawContent() == null ? new byte[0] : r.getRawContent();
        listener.onNotify(
                this, stateValue(state), ct == null ? null : ct.getContentType() + "/" + ct.getContentSubType(), body);
        if (terminated) {
            endedByNotifier(state);
        }
        return true;
    }

    /** The Subscription-State header's value with its parameters, without the header's name; null without one. */
    static String stateValue(SubscriptionStateHeader state) {
        if (state == null) {
            return null;
        }
        String whole = state.toString();
        int colon = whole.indexOf(':');
        return (colon < 0 ? whole : whole.substring(colon + 1)).strip();
    }

    /**
     * The notifier says the subscription ends in {@code seconds} (Subscription-State {@code expires}): when that
     * is sooner than granted, the refresh comes sooner.
     */
    private void shorten(Instant now, int seconds) {
        Instant end = expiry.notified(now, seconds);
        if (end != null && dialog.made() && !ending && !stopped) {
            LOG.debug(
                    "NOTIFY for {} ({}) ends the subscription in {} s; refreshing sooner",
                    request.target(),
                    request.eventPackage(),
                    seconds);
            scheduleRefresh(now, end);
        }
    }

    /** The notifier ended the subscription: subscribe again in a new dialog, now, later or never. */
    private void endedByNotifier(SubscriptionStateHeader state) {
        String reason = state.getReasonCode();
        Optional<Duration> wait;
        synchronized (this) {
            if (stopped || ending) {
                return;
            }
            Instant now = flow.resources().scheduler().now();
            boolean quick = dialog.youngerThan(now, QUICK);
            if (!quick) {
                quickRetries = 0;
            }
            wait = Resubscribe.after(reason, state.getRetryAfter(), quickRetries);
            if (wait.isPresent()) {
                if (wait.get().isZero()) {
                    quickRetries++;
                }
                newDialog();
                notBefore = now.plus(wait.get());
                refresh = flow.resources().scheduler().schedule(() -> send(flow.generation()), wait.get());
            }
        }
        if (wait.isEmpty()) {
            endForGood("terminated by the notifier: " + reason);
        } else {
            LOG.info(
                    "SUBSCRIBE {} ({}) terminated by the notifier ({}); subscribing again in {} s",
                    request.target(),
                    request.eventPackage(),
                    reason == null ? "no reason" : reason,
                    wait.get().toMillis() / 1000.0);
        }
    }

    /**
     * The subscription is over and is not made again (refused, rejected by the notifier, or the credentials
     * failed): the listener hears why, and the flow forgets it.
     */
    private void endForGood(String why) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            active = false;
            stopped = true;
            cancelRefresh();
        }
        LOG.info("SUBSCRIBE {} ({}) ended: {}", request.target(), request.eventPackage(), why);
        flow.forget(this);
        finalNotify.stop();
        ended.complete(null);
        listener.onTerminated(this, why);
    }

    /** Refreshes before {@code end}, the subscription's end as now known. Under the lock. */
    private void scheduleRefresh(Instant now, Instant end) {
        cancelRefresh();
        refresh = flow.resources().scheduler().schedule(() -> send(flow.generation()), expiry.refreshDelay(now, end));
    }

    private synchronized boolean isEnding() {
        return ending;
    }

    private void finish() {
        boolean awaitFinalNotify;
        synchronized (this) {
            active = false;
            stopped = true;
            cancelRefresh();
            awaitFinalNotify = finalNotify.await(dialog.made());
        }
        if (!awaitFinalNotify) {
            finalNotify.stop();
        }
        flow.forget(this);
        ended.complete(null);
    }

    private void cancelRefresh() {
        if (refresh != null) {
            refresh.cancel();
            refresh = null;
        }
    }
}
