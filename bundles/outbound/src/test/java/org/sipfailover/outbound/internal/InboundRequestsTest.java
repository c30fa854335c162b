// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sip.RequestEvent;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

class InboundRequestsTest {

    private final MessageFactory messages;
    private final BadInput badInput = new BadInput(() -> Instant.EPOCH);
    private final HandlerGuard guard = new HandlerGuard();
    private final InboundRequests inbound;
    /** What the provider the requests came in on sent back. */
    private final List<Integer> answers = new ArrayList<>();

    private final SipProvider provider = (SipProvider) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {SipProvider.class}, (proxy, method, args) -> {
                if (method.getName().equals("sendResponse")) {
                    answers.add(((Response) args[0]).getStatusCode());
                }
                return null;
            });

    InboundRequestsTest() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        messages = factory.createMessageFactory();
        inbound = new InboundRequests(messages, badInput, guard);
    }

    private RequestEvent request(String method, String toTag) throws Exception {
        Request r = messages.createRequest(method + " sip:bob@127.0.0.1:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-" + method + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@127.0.0.2>;tag=a1\r\n"
                + "To: <sip:bob@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: c-" + method + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + (method.equals("NOTIFY") ? "Event: presence\r\nSubscription-State: active\r\n" : "")
                + "Content-Length: 0\r\n\r\n");
        return new RequestEvent(provider, null, null, r);
    }

    @Test
    void aRequestOutsideADialogThatNobodyTakesIsAnswered405() throws Exception {
        inbound.dispatch(request(Request.INVITE, null));
        inbound.dispatch(request(Request.MESSAGE, null));

        assertThat(answers).containsExactly(Response.METHOD_NOT_ALLOWED, Response.METHOD_NOT_ALLOWED);
        assertThat(badInput.count(BadInput.Kind.STRAY)).isZero();
    }

    /** RFC 3261 §12.2.2: a request in a dialog we do not know, a NOTIFY for no subscription included. */
    @Test
    void aRequestInAnUnknownDialogIsAnswered481AndCountedAsStray() throws Exception {
        inbound.dispatch(request(Request.BYE, "b2"));
        inbound.dispatch(request(Request.NOTIFY, null));
        inbound.dispatch(request(Request.OPTIONS, "b2"));

        assertThat(answers).containsExactly(481, 481, 481);
        assertThat(badInput.count(BadInput.Kind.STRAY)).isEqualTo(3);
    }

    @Test
    void optionsOutsideADialogIsAnswered200AndAnAckNotAtAll() throws Exception {
        inbound.dispatch(request(Request.OPTIONS, null));
        inbound.dispatch(request(Request.ACK, "b2"));

        assertThat(answers).containsExactly(Response.OK);
        assertThat(guard.errors()).isZero();
    }

    @Test
    void aRegisteredHandlerTakesItsMethodBeforeTheDefaultAnswer() throws Exception {
        List<String> seen = new ArrayList<>();
        InboundRequestHandler first = e -> {
            seen.add("first");
            return false; // passed on
        };
        InboundRequestHandler second = e -> seen.add("second");
        InboundRequestHandler never = e -> seen.add("never");
        inbound.register(Request.INVITE, first);
        inbound.register(Request.INVITE, second);
        inbound.register(Request.INVITE, never);

        inbound.dispatch(request(Request.INVITE, null));

        assertThat(seen).containsExactly("first", "second");
        assertThat(answers).isEmpty();
    }

    @Test
    void anUnregisteredHandlerNoLongerSeesItsMethod() throws Exception {
        List<String> seen = new ArrayList<>();
        InboundRequestHandler h = e -> seen.add("taken");
        inbound.register(Request.INVITE, h);
        inbound.unregister(Request.INVITE, h);

        inbound.dispatch(request(Request.INVITE, null));

        assertThat(seen).isEmpty();
        assertThat(answers).containsExactly(Response.METHOD_NOT_ALLOWED);
    }

    @Test
    void aHandlerThatThrowsIsCountedAndTheRequestStillAnswered() throws Exception {
        inbound.register(Request.INVITE, e -> {
            throw new IllegalStateException("a broken handler");
        });

        inbound.dispatch(request(Request.INVITE, null));

        assertThat(guard.errors()).isEqualTo(1);
        assertThat(answers).containsExactly(Response.METHOD_NOT_ALLOWED);
    }
}
