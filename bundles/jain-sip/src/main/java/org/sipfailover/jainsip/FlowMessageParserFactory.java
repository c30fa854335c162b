// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.jainsip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.text.ParseException;

/**
 * The message parser JAIN-SIP uses (stack property {@link TransportHooks#MESSAGE_PARSER_FACTORY_PROPERTY}):
 * JAIN-SIP's own, watched. A message from a peer that JAIN-SIP drops without a word to the application, one
 * that does not parse (a broken Via, CSeq, start line, or plain garbage) or one that lacks a header every
 * message must have (From, To, Call-ID, CSeq, Via), is reported to the stack's {@link TransportHooks}
 * listener before it is dropped.
 */
public final class FlowMessageParserFactory implements MessageParserFactory {

    /** JAIN-SIP's parser is stateless; one serves every stack, as in JAIN-SIP's own factory. */
    private static final StringMsgParser PARSER = new StringMsgParser();

    public FlowMessageParserFactory() {}

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        TransportHooks hooks = stack instanceof SipStackImpl s ? TransportHooks.find(s.getStackName()) : null;
        return hooks == null ? PARSER : new Watched(hooks);
    }

    private static final java.util.Set<Class<?>> MANDATORY = java.util.Set.of(
            From.class,
            To.class,
            CSeq.class,
            Via.class,
            CallID.class,
            ContentLength.class,
            RequestLine.class,
            StatusLine.class);

    /**
     * What JAIN-SIP's channels do with a header that does not parse, less the closing of the connection: the
     * message is dropped if the header is one it cannot do without, else the header is kept unparsed.
     */
    private static final ParseExceptionListener DROP_ONLY = (ex, message, headerClass, header, text) -> {
        if (headerClass == null || MANDATORY.contains(headerClass)) {
            throw ex;
        }
        message.addUnparsed(header);
    };

    private static final class Watched implements MessageParser {
        private final TransportHooks hooks;

        Watched(TransportHooks hooks) {
            this.hooks = hooks;
        }

        @Override
        public SIPMessage parseSIPMessage(
                byte[] msgBytes, boolean readBody, boolean strict, ParseExceptionListener exhandler)
                throws ParseException {
            // the stack parses what came from a peer with the receiving channel as the exception handler; it
            // parses copies of its own messages again with none, and those are not news
            MessageChannel from = exhandler instanceof MessageChannel c ? c : null;
            ParseExceptionListener handler = exhandler;
            if (from != null && isFlowConnection(from)) {
                // JAIN-SIP closes a TCP or TLS connection that brings a request with a broken start line or
                // mandatory header; on a flow's own connection that would end the flow for one bad message
                // (and unnoticed until a transaction timed out). It is dropped instead, as a broken response is.
                handler = DROP_ONLY;
            }
            SIPMessage m;
            try {
                m = PARSER.parseSIPMessage(msgBytes, readBody, strict, handler);
            } catch (ParseException e) {
                if (from != null) {
                    report(from, msgBytes, "unparsable: " + e.getMessage());
                }
                throw e;
            } catch (RuntimeException e) {
                // hostile input can reach corners of the parser that throw something else: JAIN-SIP would
                // log it and drop the message all the same
                if (from != null) {
                    report(from, msgBytes, "unparsable: " + e);
                }
                throw new ParseException("parser failure: " + e, 0);
            }
            if (from != null && m != null) {
                String missing = m.getFrom() == null
                        ? "From"
                        : m.getTo() == null
                                ? "To"
                                : m.getCallId() == null
                                        ? "Call-ID"
                                        : m.getCSeq() == null
                                                ? "CSeq"
                                                : m.getViaHeaders() == null
                                                                || m.getViaHeaders()
                                                                        .isEmpty()
                                                        ? "Via"
                                                        : null;
                if (missing != null) {
                    // JAIN-SIP drops such a message after parsing it, silently
                    report(from, msgBytes, "no " + missing + " header");
                }
            }
            return m;
        }

        /** Whether the channel is a connection a flow opened (rather than one a peer opened to us). */
        private boolean isFlowConnection(MessageChannel c) {
            if ("UDP".equalsIgnoreCase(c.getTransport())) {
                return false;
            }
            try {
                return hooks.isConnection(
                        new InetSocketAddress(InetAddress.getByName(c.getPeerAddress()), c.getPeerPort()));
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        private void report(MessageChannel from, byte[] bytes, String reason) {
            try {
                String peer = from.getPeerAddress();
                int port = from.getPeerPort();
                // a UDP channel learns the sender's port only from a message that parsed
                boolean reliable = !"UDP".equalsIgnoreCase(from.getTransport());
                hooks.listener()
                        .onMalformedMessage(
                                from.getTransport(),
                                reliable && port > 0 ? peer + ":" + port : peer,
                                bytes.length,
                                reason);
            } catch (RuntimeException e) {
                // reporting must never be what breaks the receiving thread
            }
        }
    }
}
