package org.sipfailover.outbound.internal;

import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import org.sipfailover.api.dns.ResolvedTarget;

/**
 * Builds the requests sent over a flow. Every request carries a pre-loaded Route to the flow's target
 * (with {@code lr}), so that it leaves over that flow whatever its Request-URI says (RFC 5626 §4.3), from
 * the flow's local port ({@link FlowImpl#local}), which Via and Contact name.
 */
final class Requests {

    private Requests() {
    }

    /**
     * A request with Via, Max-Forwards, From, To, Call-ID, CSeq, Route and User-Agent.
     *
     * @param requestUri e.g. {@code sip:example.com}
     * @param from the From address; {@code to} the To address
     * @throws SipException if the flow's local port cannot be opened (symmetric UDP)
     */
    static Request create(FlowImpl flow, ResolvedTarget target, String method, String requestUri, String from,
            String fromTag, String fromDisplay, String to, String callId, long cseq)
            throws ParseException, InvalidArgumentException, SipException {
        SipEndpoint ep = flow.ctx().endpoint();
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
        Request r = ep.messages().createRequest(ruri, method, h.createCallIdHeader(callId),
                h.createCSeqHeader(cseq, method), h.createFromHeader(fromAddress, fromTag),
                h.createToHeader(toAddress, null),
                List.of(h.createViaHeader(ep.localAddress(), localPort, transport, null)),
                h.createMaxForwardsHeader(70));
        SipURI route = ep.addresses().createSipURI(null, host(target));
        route.setPort(target.port());
        route.setTransportParam(transport);
        route.setLrParam();
        r.addHeader(h.createRouteHeader(ep.addresses().createAddress(route)));
        r.addHeader(h.createUserAgentHeader(List.of(flow.ctx().userAgent())));
        return r;
    }

    /**
     * Our Contact for a request over the flow: the listening point's address, with {@code ;ob} and, for a
     * REGISTER, {@code +sip.instance} and {@code reg-id} when SIP outbound is on (RFC 5626 §4.2.1, §4.3).
     */
    static ContactHeader contact(FlowImpl flow, ResolvedTarget target, String user, boolean register)
            throws ParseException, InvalidArgumentException, SipException {
        SipEndpoint ep = flow.ctx().endpoint();
        SipURI uri = ep.addresses().createSipURI(user, ep.localAddress());
        uri.setPort(flow.local(target).port());
        uri.setTransportParam(target.transport().name().toLowerCase(Locale.ROOT));
        boolean outbound = flow.outbound();
        if (outbound) {
            uri.setParameter("ob", null);
        }
        ContactHeader c = ep.headers().createContactHeader(ep.addresses().createAddress(uri));
        if (outbound && register) {
            c.setParameter("+sip.instance", "\"<" + flow.ctx().instanceId() + ">\"");
            c.setParameter("reg-id", Integer.toString(flow.spec().regId()));
        }
        return c;
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
