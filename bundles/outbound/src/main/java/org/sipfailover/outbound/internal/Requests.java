// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.flow.SubscribeRequest;

/**
 * Builds the requests sent over a flow. Every request carries a pre-loaded Route to the flow's target
 * (with {@code lr}), so that it leaves over that flow whatever its Request-URI says (RFC 5626 §4.3), from
 * the flow's local port ({@link FlowImpl#local}), which Via and Contact name.
 */
final class Requests {

    private Requests() {}

    /**
     * A request with Via, Max-Forwards, From, To, Call-ID, CSeq, Route and User-Agent.
     *
     * @param requestUri e.g. {@code sip:example.com}
     * @param from the From address; {@code to} the To address
     * @throws SipException if the flow's local port cannot be opened (symmetric UDP)
     */
    static Request create(
            FlowImpl flow,
            ResolvedTarget target,
            String method,
            String requestUri,
            String from,
            String fromTag,
            String fromDisplay,
            String to,
            String callId,
            long cseq)
            throws ParseException, InvalidArgumentException, SipException {
        SipEndpoint ep = flow.resources().endpoint();
        HeaderFactory h = ep.headers();
        String transport = target.transport().name().toLowerCase(Locale.ROOT);
        // the port the request leaves from (symmetric UDP: the fixed one), where responses are to come back
        int localPort = flow.local(target).port();
        URI ruri = ep.addresses().createURI(requestUri);
        Address fromAddress = ep.addresses().createAddress(from);
        if (fromDisplay != null) {
            fromAddress.setDisplayName(fromDisplay);
        }
        Address toAddress = ep.addresses().createAddress(to);
        Request r = ep.messages()
                .createRequest(
                        ruri,
                        method,
                        h.createCallIdHeader(callId),
                        h.createCSeqHeader(cseq, method),
                        h.createFromHeader(fromAddress, fromTag),
                        h.createToHeader(toAddress, null),
                        List.of(h.createViaHeader(ep.localAddress(), localPort, transport, null)),
                        h.createMaxForwardsHeader(70));
        r.addHeader(flowRoute(ep, target));
        r.addHeader(h.createUserAgentHeader(List.of(flow.resources().userAgent())));
        return r;
    }

    /** The pre-loaded Route to the flow's target: {@code <sip:ip:port;transport=..;lr>}. */
    private static RouteHeader flowRoute(SipEndpoint ep, ResolvedTarget target) throws ParseException {
        SipURI route = ep.addresses().createSipURI(null, host(target));
        route.setPort(target.port());
        route.setTransportParam(target.transport().name().toLowerCase(Locale.ROOT));
        route.setLrParam();
        return ep.headers().createRouteHeader(ep.addresses().createAddress(route));
    }

    /**
     * Gives an in-dialog request the dialog's route set (RFC 3261 §12.2.1.1) in place of the flow's
     * pre-loaded Route. It still leaves over the flow (RFC 5626 §4.3): when the route set starts elsewhere
     * than at the flow's target (a proxy beyond the edge record-routed, the edge did not) the flow's Route
     * stays in front of it.
     *
     * @param routeSet the dialog's route set, first hop first; not empty
     */
    static void useRouteSet(FlowImpl flow, ResolvedTarget target, Request r, List<Address> routeSet)
            throws ParseException {
        SipEndpoint ep = flow.resources().endpoint();
        r.removeHeader(RouteHeader.NAME);
        if (!startsAt(routeSet.get(0), target)) {
            r.addHeader(flowRoute(ep, target));
        }
        for (Address a : routeSet) {
            r.addHeader(ep.headers().createRouteHeader((Address) a.clone()));
        }
    }

    /** Whether a route set's first hop is the flow's target (its address or host name, and port). */
    static boolean startsAt(Address first, ResolvedTarget t) {
        if (!(first.getURI() instanceof SipURI u)) {
            return false;
        }
        String host = u.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean tls = u.isSecure() || "tls".equalsIgnoreCase(u.getTransportParam());
        int port = u.getPort() > 0 ? u.getPort() : tls ? 5061 : 5060;
        return port == t.port()
                && (host.equalsIgnoreCase(t.address().getHostAddress()) || host.equalsIgnoreCase(t.host()));
    }

    /**
     * Our Contact for a request over the flow: the listening point's address, with {@code ;ob} and, for a
     * REGISTER, {@code +sip.instance} and {@code reg-id} when SIP outbound is on (RFC 5626 §4.2.1, §4.3).
     */
    static ContactHeader contact(FlowImpl flow, ResolvedTarget target, String user, boolean register)
            throws ParseException, InvalidArgumentException, SipException {
        SipEndpoint ep = flow.resources().endpoint();
        SipURI uri = ep.addresses().createSipURI(user, ep.localAddress());
        uri.setPort(flow.local(target).port());
        uri.setTransportParam(target.transport().name().toLowerCase(Locale.ROOT));
        boolean outbound = flow.outbound();
        if (outbound) {
            uri.setParameter("ob", null);
        }
        ContactHeader c = ep.headers().createContactHeader(ep.addresses().createAddress(uri));
        if (outbound && register) {
            c.setParameter("+sip.instance", "\"<" + flow.resources().instanceId() + ">\"");
            c.setParameter("reg-id", Integer.toString(flow.spec().regId()));
        }
        return c;
    }

    /**
     * A SUBSCRIBE (RFC 6665 §4.1.2): initial when {@code toTag} is {@code null}, else a refresh in the dialog
     * along its route set; with the flow's Contact, the Event and the Expires asked for.
     */
    static Request subscribe(
            FlowImpl flow,
            ResolvedTarget target,
            SubscribeRequest request,
            String requestUri,
            String callId,
            String fromTag,
            String toTag,
            List<Address> routeSet,
            Duration expires,
            long cseq)
            throws ParseException, InvalidArgumentException, SipException {
        Request r = create(
                flow,
                target,
                Request.SUBSCRIBE,
                requestUri,
                request.subscriber(),
                fromTag,
                null,
                request.target(),
                callId,
                cseq);
        if (toTag != null) {
            ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(toTag);
        }
        if (!routeSet.isEmpty()) {
            useRouteSet(flow, target, r, routeSet);
        }
        r.addHeader(contact(flow, target, user(request.subscriber()), false));
        r.addHeader(flow.resources().endpoint().headers().createEventHeader(request.eventPackage()));
        r.addHeader(flow.resources().endpoint().headers().createExpiresHeader((int) expires.toSeconds()));
        return r;
    }

    /** The Record-Route entries of a message, in their order. */
    static List<Address> recordRoute(Message m) {
        List<Address> out = new ArrayList<>();
        for (ListIterator<?> it = m.getHeaders(RecordRouteHeader.NAME); it.hasNext(); ) {
            out.add((Address) ((RecordRouteHeader) it.next()).getAddress().clone());
        }
        return out;
    }

    /** The user part of a SIP URI, or {@code null}. */
    static String user(String uri) {
        int colon = uri.indexOf(':');
        int at = uri.indexOf('@');
        return colon >= 0 && at > colon ? uri.substring(colon + 1, at) : null;
    }

    private static String host(ResolvedTarget t) {
        String ip = t.address().getHostAddress();
        return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }
}
