// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import gov.nist.javax.sip.IOExceptionEventExt;
import gov.nist.javax.sip.ListeningPointExt;
import gov.nist.javax.sip.SipListenerExt;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.time.Cancellable;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one SIP stack of a flow manager: listening points per transport, the JAIN-SIP factories, and the
 * dispatch of what the stack reports to whoever sent the request or owns the connection; inbound requests go
 * to {@link InboundRequests}, by method. A malformed or hostile message never reaches this code as an
 * exception: the stack drops it; whatever a handler throws is caught, logged and counted ({@link HandlerGuard}),
 * so one flow can never stop another.
 */
final class SipEndpoint implements SipListenerExt {

    private static final Logger LOG = LoggerFactory.getLogger(SipEndpoint.class);

    /** The largest message a TCP or TLS connection may carry; its headers at most half of it. */
    static final int MAX_MESSAGE_BYTES = 1 << 20;

    /** What sent a request and wants its outcome. */
    interface TransactionHandler {
        void onResponse(Response response, ClientTransaction transaction);

        void onTimeout();
    }

    /** Who owns connections to a peer and wants to hear when they fail. */
    interface PeerHandler {
        /**
         * @param keepAliveTimeout whether the stack reports a missing CRLF pong rather than a broken
         *     connection
         */
        void onTransportFailure(boolean keepAliveTimeout, String detail);
    }

    /**
     * Where a flow's requests leave from and its peers' requests arrive: a listening point and the provider
     * that sends through it. Over UDP JAIN-SIP sends from the listening point's own socket, so the port is
     * the source port the server sees, and the one for Via and Contact.
     */
    record Local(ListeningPoint listeningPoint, SipProvider provider) {
        int port() {
            return listeningPoint.getPort();
        }
    }

    private final SipStack stack;
    private final SipProvider provider;
    private final Map<Transport, ListeningPoint> listeningPoints = new EnumMap<>(Transport.class);
    private final Map<Transport, Local> locals = new EnumMap<>(Transport.class);
    private final int symmetricUdpPort;
    // guarded by this: the symmetric UDP listening point, opened when the first flow needs it
    private Local symmetricUdp;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final String localAddress;
    private final Map<String, PeerHandler> peers = new ConcurrentHashMap<>();
    private final HandlerGuard guard = new HandlerGuard();
    private final InboundRequests inbound;
    private final BadInput badInput;
    /** Where the stack's callbacks are handed: sending a request may connect or shake hands, which must not
     * stall the stack's own threads. */
    private final java.util.concurrent.Executor dispatch;

    /**
     * @param stackName the stack's name, under which its {@code TransportHooks} are registered
     * @param ports the listening port per transport (0 = random); transports absent are not offered
     * @param symmetricUdpPort the UDP port of flows with symmetric signalling, opened on first need
     * @param extra further JAIN-SIP stack properties (network layer, time-outs)
     * @throws IllegalArgumentException naming the setting when the stack cannot start with it
     */
    SipEndpoint(
            String stackName,
            String localAddress,
            Map<Transport, Integer> ports,
            int symmetricUdpPort,
            Properties extra,
            java.util.concurrent.Executor dispatch,
            BadInput badInput) {
        this.localAddress = localAddress;
        this.badInput = badInput;
        this.dispatch = dispatch;
        this.symmetricUdpPort = symmetricUdpPort;
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        // the blocking (OIO) message processors: with them a CRLF pong is recognised as such (NIO times
        // out even when pongs come), and the network layer's sockets carry the connection watch and STUN
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "ERROR");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        // the stack logs whole messages in places (a request whose connection failed, a dropped message):
        // its logger blanks out credentials first
        p.setProperty(
                org.sipfailover.jainsip.RedactingLogWriter.STACK_LOGGER_PROPERTY,
                org.sipfailover.jainsip.RedactingLogWriter.class.getName());
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        // without a bound, a TLS server that accepts TCP but never answers holds a send for ever
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", "5000");
        // NOTIFYs straight to the subscriptions (which answer unknown ones 481): otherwise JAIN-SIP locks every
        // live SUBSCRIBE transaction of the dialog for a NOTIFY and unlocks only one, and with UDP's lingering
        // transactions the next NOTIFY blocks the receiving thread for ever
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        // without a bound a peer can make a TCP or TLS connection read one header line for ever, into memory;
        // a connection that carries more than this in one message is closed (UDP stays at 64 KiB)
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(MAX_MESSAGE_BYTES));
        p.putAll(extra);
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            // not factory.createSipStack(p): the factory keeps every stack it made in a static map by name, for
            // ever, and returns a stopped one for a name it has seen; a stack of our own is let go on stop()
            this.stack = new gov.nist.javax.sip.SipStackImpl(p);
            this.addresses = factory.createAddressFactory();
            this.headers = factory.createHeaderFactory();
            this.messages = factory.createMessageFactory();
            SipProvider first = null;
            for (Map.Entry<Transport, Integer> e : ports.entrySet()) {
                String transport = e.getKey().name().toLowerCase(Locale.ROOT);
                ListeningPoint lp = stack.createListeningPoint(localAddress, e.getValue(), transport);
                listeningPoints.put(e.getKey(), lp);
                if (first == null) {
                    first = stack.createSipProvider(lp);
                } else {
                    first.addListeningPoint(lp);
                }
            }
            if (first == null) {
                throw new IllegalArgumentException("no transport configured");
            }
            this.provider = first;
            provider.addSipListener(this);
            for (Map.Entry<Transport, ListeningPoint> e : listeningPoints.entrySet()) {
                locals.put(e.getKey(), new Local(e.getValue(), provider));
            }
            this.inbound = new InboundRequests(messages, badInput, guard);
        } catch (javax.sip.PeerUnavailableException
                | javax.sip.InvalidArgumentException
                | javax.sip.TransportNotSupportedException
                | javax.sip.ObjectInUseException
                | javax.sip.TransportAlreadySupportedException
                | java.util.TooManyListenersException e) {
            throw new IllegalArgumentException(
                    "cannot start the SIP stack on " + localAddress + " " + ports + ": " + e.getMessage(), e);
        }
    }

    AddressFactory addresses() {
        return addresses;
    }

    HeaderFactory headers() {
        return headers;
    }

    MessageFactory messages() {
        return messages;
    }

    SipStack stack() {
        return stack;
    }

    String localAddress() {
        return localAddress;
    }

    /** The listening point of a transport, or {@code null} when the stack does not offer it. */
    ListeningPoint listeningPoint(Transport t) {
        return listeningPoints.get(t);
    }

    long handlerErrors() {
        return guard.errors();
    }

    /** Where inbound requests are dispatched, by method: register a handler there to take a method's. */
    InboundRequests inbound() {
        return inbound;
    }

    /**
     * Where a flow over {@code t} sends from: the transport's listening point, or for UDP with symmetric
     * signalling the one on the symmetric port, opened now if no flow has needed it yet.
     *
     * @throws SipException if the symmetric port cannot be opened (taken by another process, most often)
     * @throws IllegalArgumentException if the stack does not offer {@code t}
     */
    Local local(Transport t, boolean symmetricUdpSignalling) throws SipException {
        if (t == Transport.UDP && symmetricUdpSignalling) {
            return symmetricUdp();
        }
        Local l = locals.get(t);
        if (l == null) {
            throw new IllegalArgumentException("transport " + t + " is not offered " + transports());
        }
        return l;
    }

    private synchronized Local symmetricUdp() throws SipException {
        if (symmetricUdp != null) {
            return symmetricUdp;
        }
        Local udp = locals.get(Transport.UDP);
        if (udp != null && udp.port() == symmetricUdpPort) {
            symmetricUdp = udp;
            return udp;
        }
        // a provider of its own: JAIN-SIP gives a provider one listening point per transport
        ListeningPoint lp = null;
        try {
            lp = stack.createListeningPoint(localAddress, symmetricUdpPort, ListeningPoint.UDP);
            SipProvider p = stack.createSipProvider(lp);
            p.addSipListener(this);
            symmetricUdp = new Local(lp, p);
            LOG.info("symmetric UDP signalling on {}:{}", localAddress, symmetricUdpPort);
            return symmetricUdp;
        } catch (javax.sip.InvalidArgumentException
                | javax.sip.TransportNotSupportedException
                | javax.sip.ObjectInUseException
                | java.util.TooManyListenersException e) {
            if (lp != null) {
                try {
                    stack.deleteListeningPoint(lp);
                } catch (javax.sip.ObjectInUseException ignored) {
                    // not in use: it was never given a provider
                }
            }
            throw new SipException(
                    "cannot open the symmetric UDP port " + localAddress + ":" + symmetricUdpPort + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Sends a request from {@code local} in a new client transaction whose outcome goes to {@code handler}:
     * its final answer, or a time-out once {@code timeout} has passed without one (or at the stack's Timer F,
     * 64 × T1, if that comes first).
     */
    ClientTransaction send(Local local, Request request, TransactionHandler handler, Duration timeout, Scheduler timers)
            throws SipException {
        ClientTransaction ct = local.provider().getNewClientTransaction(request);
        start(ct, handler, timeout, timers);
        return ct;
    }

    /** Sends a client transaction made elsewhere (the answer to a challenge), bounded as {@link #send} does. */
    void start(ClientTransaction ct, TransactionHandler handler, Duration timeout, Scheduler timers)
            throws SipException {
        Bounded bounded = new Bounded(ct, handler);
        ct.setApplicationData(bounded);
        ct.sendRequest();
        bounded.deadline = timers.schedule(bounded::expire, timeout);
    }

    /**
     * A transaction's handler with its own deadline: the handler hears exactly one outcome, the final answer
     * or the time-out, whichever comes first (the stack's own time-out, or a late answer, is then dropped).
     */
    private final class Bounded implements TransactionHandler {
        private final ClientTransaction ct;
        private final TransactionHandler handler;
        private final AtomicBoolean over = new AtomicBoolean();
        volatile Cancellable deadline;

        Bounded(ClientTransaction ct, TransactionHandler handler) {
            this.ct = ct;
            this.handler = handler;
        }

        @Override
        public void onResponse(Response response, ClientTransaction transaction) {
            if (response.getStatusCode() < 200) {
                if (!over.get()) {
                    handler.onResponse(response, transaction);
                }
            } else if (over.compareAndSet(false, true)) {
                cancelDeadline();
                handler.onResponse(response, transaction);
            }
        }

        @Override
        public void onTimeout() {
            if (over.compareAndSet(false, true)) {
                cancelDeadline();
                handler.onTimeout();
            }
        }

        void expire() {
            if (!over.compareAndSet(false, true)) {
                return;
            }
            ct.setApplicationData(ANSWERED);
            try {
                ct.terminate(); // no more retransmissions to a server that does not answer
            } catch (javax.sip.ObjectInUseException e) {
                LOG.debug("cannot end a timed-out transaction: {}", e.getMessage());
            }
            guard(handler::onTimeout);
        }

        private void cancelDeadline() {
            Cancellable d = deadline;
            if (d != null) {
                d.cancel();
            }
        }
    }

    /** Sends a CRLF keep-alive over the connection to a peer (RFC 5626 §4.4.1). */
    void sendHeartbeat(Transport t, InetSocketAddress peer) throws java.io.IOException {
        ((ListeningPointExt) listeningPoints.get(t))
                .sendHeartbeat(peer.getAddress().getHostAddress(), peer.getPort());
    }

    void watchPeer(Transport t, InetSocketAddress peer, PeerHandler handler) {
        peers.put(peerKey(t, peer.getAddress().getHostAddress(), peer.getPort()), handler);
    }

    void unwatchPeer(Transport t, InetSocketAddress peer, PeerHandler handler) {
        peers.remove(peerKey(t, peer.getAddress().getHostAddress(), peer.getPort()), handler);
    }

    void stop() {
        gov.nist.javax.sip.EventScanner scanner = ((gov.nist.javax.sip.SipStackImpl) stack).getEventScanner();
        stack.stop();
        if (scanner != null) {
            // JAIN-SIP's stop() marks the stack's event thread (a non-daemon "EventScannerThread") stopped but
            // leaves it waiting for one more event, for ever, holding the whole stack and, in OSGi, the class
            // loaders of this bundle and JAIN-SIP's: one event it hands to a listener method that does nothing
            // lets it see the mark and end
            scanner.addEvent(new gov.nist.javax.sip.EventWrapper(new DialogTerminatedEvent(provider, null), null));
        }
    }

    private static String peerKey(Transport t, String host, int port) {
        return t.name() + " " + host + ":" + port;
    }

    // ---- SipListener -----------------------------------------------------------------------------------

    @Override
    public void processResponse(ResponseEvent event) {
        ClientTransaction ct = event.getClientTransaction();
        if (ct == null) {
            Response r = event.getResponse();
            javax.sip.header.CSeqHeader cseq =
                    (javax.sip.header.CSeqHeader) r.getHeader(javax.sip.header.CSeqHeader.NAME);
            badInput.report(
                    BadInput.Kind.STRAY,
                    transportOf(r),
                    sender(r),
                    r.getStatusCode() + " to " + (cseq == null ? "?" : cseq.getMethod()) + ", for no transaction");
            return;
        }
        if (!(ct.getApplicationData() instanceof TransactionHandler)) {
            return; // late: a retransmitted final response, or one for a transaction that gave up
        }
        TransactionHandler handler = (TransactionHandler) ct.getApplicationData();
        if (event.getResponse().getStatusCode() >= 200) {
            // answered: a late time-out (the lifetime bound firing while a UDP transaction lingers in Timer K)
            // or a retransmitted final response must not reach the handler again
            ct.setApplicationData(ANSWERED);
        }
        dispatch.execute(() -> guard(() -> handler.onResponse(event.getResponse(), ct)));
    }

    /** The application data of a client transaction that has had its final response. */
    private static final Object ANSWERED = new Object();

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return;
        }
        ClientTransaction ct = event.getClientTransaction();
        if (ct != null && ct.getApplicationData() instanceof TransactionHandler) {
            dispatch.execute(() -> guard(() -> ((TransactionHandler) ct.getApplicationData()).onTimeout()));
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        boolean keepAlive = event instanceof IOExceptionEventExt
                && ((IOExceptionEventExt) event).getReason() == IOExceptionEventExt.Reason.KeepAliveTimeout;
        String key;
        try {
            key = peerKey(Transport.parse(event.getTransport()), event.getHost(), event.getPort());
        } catch (IllegalArgumentException e) {
            return;
        }
        PeerHandler h = peers.get(key);
        LOG.debug(
                "I/O problem with {} ({}), {}",
                key,
                keepAlive ? "no pong" : "connection",
                h == null ? "unwatched" : "watched");
        if (h != null) {
            guard(() -> h.onTransportFailure(
                    keepAlive, keepAlive ? "no CRLF pong from " + key : "connection to " + key + " failed"));
        }
    }

    @Override
    public void processRequest(RequestEvent event) {
        inbound.dispatch(event);
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {}

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {}

    @Override
    public void processDialogTimeout(gov.nist.javax.sip.DialogTimeoutEvent event) {}

    /** The transport a message came over, for a log line: its top Via's. */
    static String transportOf(javax.sip.message.Message m) {
        javax.sip.header.ViaHeader via = (javax.sip.header.ViaHeader) m.getHeader(javax.sip.header.ViaHeader.NAME);
        return via == null ? "?" : via.getTransport();
    }

    /** Where a message came from as far as the stack tells: the sender's address, else the top Via. */
    static String sender(javax.sip.message.Message m) {
        if (m instanceof gov.nist.javax.sip.message.SIPMessage sm && sm.getRemoteAddress() != null) {
            return sm.getRemoteAddress().getHostAddress() + (sm.getRemotePort() > 0 ? ":" + sm.getRemotePort() : "");
        }
        javax.sip.header.ViaHeader via = (javax.sip.header.ViaHeader) m.getHeader(javax.sip.header.ViaHeader.NAME);
        return via == null ? "?" : via.getHost() + ":" + via.getPort();
    }

    /** Runs a handler; what it throws is logged and counted, never let into the stack's threads. */
    private void guard(HandlerGuard.ThrowingRunnable r) {
        guard.run(r);
    }

    /** The transports offered, for messages. */
    List<Transport> transports() {
        return new ArrayList<>(listeningPoints.keySet());
    }
}
