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
    synchronized void flowLost() {
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
        try {
            Request r = Requests.create(flow, target, Request.SUBSCRIBE, ruri, request.subscriber(), ftag, null,
                    request.target(), cid, cseq.incrementAndGet());
            if (ttag != null) {
                ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(ttag);
            }
            r.addHeader(Requests.contact(flow, target, Requests.user(request.subscriber()), false));
            r.addHeader(flow.ctx().endpoint().headers().createEventHeader(request.eventPackage()));
            r.addHeader(flow.ctx().endpoint().headers().createExpiresHeader((int) expires.toSeconds()));
            flow.ctx().endpoint().send(r, new Handler(gen));
        } catch (Exception e) {
            flow.failed(gen, FailureCause.CONNECTION_REFUSED, null, "SUBSCRIBE to " + target + ": " + e.getMessage());
        }
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
            if (ending) {
                finish();
                return;
            }
            if (status >= 300) {
                if (status == 430 || status == 503 || status == 408) {
                    flow.failed(gen, status == 430 ? FailureCause.FLOW_FAILED : status == 503
                            ? FailureCause.SERVICE_UNAVAILABLE : FailureCause.TRANSACTION_TIMEOUT, null,
                            "SUBSCRIBE " + request.target() + ": " + status);
                } else {
                    LOG.info("SUBSCRIBE {} ({}) refused: {} {}", request.target(), request.eventPackage(), status,
                            response.getReasonPhrase());
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
            if (ending) {
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
        synchronized (this) {
            if (!cid.equals(callId) || !fromTag.equals(toTagOfNotify)) {
                return false;
            }
            if (toTag == null) {
                toTag = ((FromHeader) r.getHeader(FromHeader.NAME)).getTag();
            }
        }
        try {
            ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
                    : flow.ctx().endpoint().provider().getNewServerTransaction(r);
            st.sendResponse(flow.ctx().endpoint().messages().createResponse(Response.OK, r));
        } catch (Exception e) {
            LOG.debug("could not answer a NOTIFY for {}: {}", request.target(), e.toString());
        }
        ContentTypeHeader ct = (ContentTypeHeader) r.getHeader(ContentTypeHeader.NAME);
        byte[] body = r.getRawContent() == null ? new byte[0] : r.getRawContent();
        listener.onNotify(this, ct == null ? null : ct.getContentType() + "/" + ct.getContentSubType(), body);
        SubscriptionStateHeader state = (SubscriptionStateHeader) r.getHeader(SubscriptionStateHeader.NAME);
        if (state != null && SubscriptionStateHeader.TERMINATED.equalsIgnoreCase(state.getState()) && !ending) {
            synchronized (this) {
                active = false;
            }
            listener.onTerminated(this, "terminated by the notifier" + (state.getReasonCode() == null ? ""
                    : ": " + state.getReasonCode()));
        }
        return true;
    }

    private void finish() {
        synchronized (this) {
            active = false;
            stopped = true;
            cancelRefresh();
        }
        flow.ctx().endpoint().removeRequestHandler(this);
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
