package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
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
 */
final class SubscriptionImpl implements Subscription, SipEndpoint.RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionImpl.class);
    /** How long NOTIFYs of an ended dialog are still answered 200: 64 * T1, the life of a transaction. */
    private static final Duration FINAL_NOTIFY_WAIT = Duration.ofSeconds(32);

    private final FlowImpl flow;
    private final SubscribeRequest request;
    private final SubscriptionListener listener;
    private final AtomicLong cseq = new AtomicLong();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    // guarded by this
    private String callId = UUID.randomUUID().toString();
    private String fromTag = Long.toHexString(System.nanoTime());
    private String toTag;
    private String remoteTarget;
    private boolean active;
    private boolean ending;
    private boolean stopped;
    private Cancellable refresh;
    private Cancellable stopListening;
    private boolean finalNotifyCame;

    SubscriptionImpl(FlowImpl flow, SubscribeRequest request, SubscriptionListener listener) {
        this.flow = flow;
        this.request = request;
        this.listener = listener;
        flow.ctx().endpoint().addRequestHandler(this);
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
        synchronized (this) {
            if (ending || stopped) {
                return ended;
            }
            ending = true;
            cancelRefresh();
            gen = flow.generation();
        }
        if (flow.targetOf(gen) == null) {
            finish();
        } else {
            send(gen);
        }
        return ended;
    }

    synchronized void stop() {
        stopped = true;
        cancelRefresh();
        flow.ctx().endpoint().removeRequestHandler(this);
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
        callId = UUID.randomUUID().toString();
        fromTag = Long.toHexString(System.nanoTime());
        toTag = null;
        remoteTarget = null;
    }

    void send(long gen) {
        ResolvedTarget target = flow.targetOf(gen);
        if (target == null) {
            return;
        }
        String cid;
        String ftag;
        String ttag;
        String ruri;
        Duration expires;
        synchronized (this) {
            if (stopped) {
                return;
            }
            cid = callId;
            ftag = fromTag;
            ttag = toTag;
            ruri = remoteTarget != null ? remoteTarget : request.target();
            expires = ending ? Duration.ZERO : request.expires();
        }
        boolean refreshing = ttag != null;
        try {
            Request r = Requests.create(flow, target, Request.SUBSCRIBE, ruri, request.subscriber(), ftag, null,
                    request.target(), cid, cseq.incrementAndGet());
            if (ttag != null) {
                ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(ttag);
            }
            r.addHeader(Requests.contact(flow, target, Requests.user(request.subscriber()), false));
            r.addHeader(flow.ctx().endpoint().headers().createEventHeader(request.eventPackage()));
            r.addHeader(flow.ctx().endpoint().headers().createExpiresHeader((int) expires.toSeconds()));
            flow.ctx().endpoint().send(flow.local(target), r, new Handler(gen, refreshing));
        } catch (Exception e) {
            flow.failed(gen, FailureCause.CONNECTION_REFUSED, null, "SUBSCRIBE to " + target + ": " + LogText.of(e));
        }
    }

    private final class Handler implements SipEndpoint.TransactionHandler {
        private final long gen;
        /** Whether this SUBSCRIBE refreshes an established dialog (rather than making one). */
        private final boolean refreshing;

        Handler(long gen, boolean refreshing) {
            this.gen = gen;
            this.refreshing = refreshing;
        }

        @Override
        public void onResponse(Response response, ClientTransaction ct) {
            int status = response.getStatusCode();
            if (status < 200) {
                return;
            }
            if (isEnding()) {
                finish();
                return;
            }
            if (status >= 300) {
                if (status == 430 || status == 503 || status == 408) {
                    flow.failed(gen, status == 430 ? FailureCause.FLOW_FAILED : status == 503
                            ? FailureCause.SERVICE_UNAVAILABLE : FailureCause.TRANSACTION_TIMEOUT, null,
                            "SUBSCRIBE " + request.target() + ": " + status);
                } else if (refreshing) {
                    // RFC 6665 §4.1.2.2: a refused refresh (481 from a notifier that restarted, most often)
                    // ends the dialog's subscription; one that is kept is made again in a new dialog, as after
                    // a recovery. Only a refused initial SUBSCRIBE ends it for good, so this cannot loop.
                    LOG.info("refresh of SUBSCRIBE {} ({}) refused: {} {}; subscribing again in a new dialog",
                            request.target(), request.eventPackage(), status, response.getReasonPhrase());
                    newDialog();
                    send(gen);
                } else {
                    LOG.info("SUBSCRIBE {} ({}) refused: {} {}", request.target(), request.eventPackage(), status,
                            response.getReasonPhrase());
                    synchronized (SubscriptionImpl.this) {
                        active = false;
                    }
                    listener.onTerminated(SubscriptionImpl.this, status + " " + response.getReasonPhrase());
                }
                return;
            }
            ExpiresHeader e = (ExpiresHeader) response.getHeader(ExpiresHeader.NAME);
            Duration granted = e != null && e.getExpires() > 0 ? Duration.ofSeconds(e.getExpires()) : request.expires();
            synchronized (SubscriptionImpl.this) {
                active = true;
                toTag = ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
                ContactHeader c = (ContactHeader) response.getHeader(ContactHeader.NAME);
                if (c != null) {
                    remoteTarget = c.getAddress().getURI().toString();
                }
                cancelRefresh();
                refresh = flow.ctx().scheduler().schedule(() -> send(flow.generation()),
                        RefreshTiming.delay(granted, Duration.ofSeconds(Math.min(30, granted.toSeconds() / 2))));
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
            if (!cid.equals(callId) || !fromTag.equals(toTagOfNotify)) {
                return false;
            }
            if (toTag == null) {
                toTag = ((FromHeader) r.getHeader(FromHeader.NAME)).getTag();
            }
            // after unsubscribe(), whether or not its 200 has come yet (the final NOTIFY may overtake it)
            over = ending || stopped;
            finalNotifyCame |= over && terminated;
            finished = stopped;
        }
        try {
            ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
                    : ((javax.sip.SipProvider) event.getSource()).getNewServerTransaction(r);
            st.sendResponse(flow.ctx().endpoint().messages().createResponse(Response.OK, r));
        } catch (Exception e) {
            LOG.debug("could not answer a NOTIFY for {}: {}", request.target(), LogText.of(e));
        }
        if (over) {
            // the final NOTIFY after unsubscribe(): answered, not passed on; the dialog is done with it
            if (terminated && finished) {
                stopListening();
            }
            return true;
        }
        ContentTypeHeader ct = (ContentTypeHeader) r.getHeader(ContentTypeHeader.NAME);
        byte[] body = r.getRawContent() == null ? new byte[0] : r.getRawContent();
        listener.onNotify(this, ct == null ? null : ct.getContentType() + "/" + ct.getContentSubType(), body);
        if (terminated) {
            synchronized (this) {
                active = false;
                // the notifier ended it: a refresh would only be refused, and be taken for a lost dialog
                cancelRefresh();
            }
            listener.onTerminated(this, "terminated by the notifier" + (state.getReasonCode() == null ? ""
                    : ": " + state.getReasonCode()));
        }
        return true;
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
            // RFC 6665 §4.1.2.3, §4.4.1: the notifier ends the dialog with a NOTIFY (terminated) after the
            // unsubscribe; until it comes, or for a transaction's life at most, it is answered 200, not 481
            awaitFinalNotify = toTag != null && !finalNotifyCame;
            if (awaitFinalNotify) {
                stopListening = flow.ctx().scheduler().schedule(this::stopListening, FINAL_NOTIFY_WAIT);
            }
        }
        if (!awaitFinalNotify) {
            stopListening();
        }
        flow.forget(this);
        ended.complete(null);
    }

    private void stopListening() {
        synchronized (this) {
            if (stopListening != null) {
                stopListening.cancel();
                stopListening = null;
            }
        }
        flow.ctx().endpoint().removeRequestHandler(this);
    }

    private void cancelRefresh() {
        if (refresh != null) {
            refresh.cancel();
            refresh = null;
        }
    }
}
