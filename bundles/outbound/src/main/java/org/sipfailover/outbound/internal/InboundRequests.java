// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch of the requests the stack receives, by method: the handlers registered for the method, in
 * the order registered, then the default answer to what none took: 481 to a request in a dialog we do not
 * know, 405 to any other. ACK is absorbed and OPTIONS outside a dialog answered 200 by handlers of their own;
 * NOTIFY goes to the subscriptions, each of which takes its own dialog's.
 */
final class InboundRequests {

    private static final Logger LOG = LoggerFactory.getLogger(InboundRequests.class);

    private final MessageFactory messages;
    private final BadInput badInput;
    private final HandlerGuard guard;
    private final Map<String, List<InboundRequestHandler>> handlers = new ConcurrentHashMap<>();

    InboundRequests(MessageFactory messages, BadInput badInput, HandlerGuard guard) {
        this.messages = messages;
        this.badInput = badInput;
        this.guard = guard;
        // an ACK is never answered
        register(Request.ACK, event -> true);
        register(Request.OPTIONS, event -> {
            if (inDialog(event.getRequest())) {
                return false;
            }
            // taken whatever befalls the answer: a failure is counted once, and no other answer follows
            guard.run(() -> answer(event, Response.OK));
            return true;
        });
    }

    /** Adds a handler for {@code method} (e.g. {@link Request#NOTIFY}) after those already there. */
    void register(String method, InboundRequestHandler handler) {
        handlers.computeIfAbsent(method, m -> new CopyOnWriteArrayList<>()).add(handler);
    }

    void unregister(String method, InboundRequestHandler handler) {
        List<InboundRequestHandler> list = handlers.get(method);
        if (list != null) {
            list.remove(handler);
        }
    }

    /** Hands a request to its method's handlers, each guarded, and answers it by default if none took it. */
    void dispatch(RequestEvent event) {
        for (InboundRequestHandler h : handlers.getOrDefault(event.getRequest().getMethod(), List.of())) {
            boolean[] handled = {false};
            guard.run(() -> handled[0] = h.onRequest(event));
            if (handled[0]) {
                return;
            }
        }
        guard.run(() -> answerByDefault(event));
    }

    /**
     * RFC 3261 §12.2.2: a request in a dialog we do not know is answered 481 (a NOTIFY's dialog is a
     * subscription's); any other request no handler took, 405.
     */
    private void answerByDefault(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        boolean inDialog = inDialog(request);
        if (inDialog) {
            badInput.report(
                    BadInput.Kind.STRAY,
                    SipEndpoint.transportOf(request),
                    SipEndpoint.sender(request),
                    request.getMethod() + " for no dialog, answered 481");
        }
        answer(event, inDialog ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.METHOD_NOT_ALLOWED);
    }

    /** Whether a request belongs to a dialog: it has a To tag, or it is a NOTIFY (RFC 6665 §4.1.2.4). */
    static boolean inDialog(Request request) {
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        return request.getMethod().equals(Request.NOTIFY) || to != null && to.getTag() != null;
    }

    /** Answers a request over the transaction, else the provider, it came in on. */
    private void answer(RequestEvent event, int status) throws Exception {
        Request request = event.getRequest();
        ServerTransaction st = event.getServerTransaction();
        Response response = messages.createResponse(status, request);
        try {
            if (st != null) {
                st.sendResponse(response);
            } else {
                // the provider it came in on: a request to the symmetric UDP port is answered from it
                ((SipProvider) event.getSource()).sendResponse(response);
            }
        } catch (SipException e) {
            // the peer went away (closed its connection) before the answer: the network's doing, not ours
            LOG.debug(
                    "could not answer {} from {} with {}: {}",
                    request.getMethod(),
                    SipEndpoint.sender(request),
                    status,
                    LogText.of(e));
        }
    }
}
