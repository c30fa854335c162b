// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import javax.sip.SipFactory;
import javax.sip.address.Address;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

class SubscribeDialogTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String AOR = "sip:bob@example.com";

    private final MessageFactory messages;

    SubscribeDialogTest() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        messages = factory.createMessageFactory();
    }

    private Response ok(SubscribeDialog d) throws Exception {
        return messages.createResponse("SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-1\r\n"
                + "Record-Route: <sip:p1.example.com;lr>\r\n"
                + "Record-Route: <sip:p2.example.com;lr>\r\n"
                + "From: <sip:alice@example.com>;tag=" + d.fromTag() + "\r\n"
                + "To: <" + AOR + ">;tag=n1\r\n"
                + "Call-ID: " + d.callId() + "\r\n"
                + "CSeq: 1 SUBSCRIBE\r\n"
                + "Contact: <sip:bob@192.0.2.7:5070>\r\n"
                + "Content-Length: 0\r\n\r\n");
    }

    private Request notify(SubscribeDialog d, String contact) throws Exception {
        return messages.createRequest("NOTIFY sip:alice@127.0.0.1:5060;ob SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 192.0.2.7:5070;branch=z9hG4bK-2\r\n"
                + "Max-Forwards: 70\r\n"
                + "Record-Route: <sip:p2.example.com;lr>\r\n"
                + "Record-Route: <sip:p1.example.com;lr>\r\n"
                + "From: <" + AOR + ">;tag=n2\r\n"
                + "To: <sip:alice@example.com>;tag=" + d.fromTag() + "\r\n"
                + "Call-ID: " + d.callId() + "\r\n"
                + "CSeq: 1 NOTIFY\r\n"
                + "Event: presence\r\n"
                + "Subscription-State: active;expires=600\r\n"
                + (contact == null ? "" : "Contact: <" + contact + ">\r\n")
                + "Content-Length: 0\r\n\r\n");
    }

    private static String hosts(SubscribeDialog d) {
        return String.join(
                ",",
                d.routes().stream()
                        .map(Address::getURI)
                        .map(u -> ((javax.sip.address.SipURI) u).getHost())
                        .toList());
    }

    @Test
    void anInitialSubscribeGoesToTheTargetWithoutRoutes() {
        SubscribeDialog d = SubscribeDialog.fresh();

        assertThat(d.made()).isFalse();
        assertThat(d.requestUri(AOR)).isEqualTo(AOR);
        assertThat(d.routes()).isEmpty();
        assertThat(d.youngerThan(T0, Duration.ofSeconds(30))).isFalse();
    }

    @Test
    void eachFreshDialogHasItsOwnCallIdAndFromTag() {
        SubscribeDialog a = SubscribeDialog.fresh();
        SubscribeDialog b = SubscribeDialog.fresh();

        assertThat(a.callId()).isNotEqualTo(b.callId());
        assertThat(a.fromTag()).isNotEqualTo(b.fromTag());
    }

    /** RFC 3261 §12.1.2: the UAC reverses the 2xx's Record-Route; the Contact is the remote target. */
    @Test
    void aTwoHundredMakesTheDialogWithItsRecordRouteReversed() throws Exception {
        SubscribeDialog fresh = SubscribeDialog.fresh();
        Response ok = ok(fresh);

        SubscribeDialog d = fresh.madeBy(ok, T0).refreshedBy(ok);

        assertThat(d.made()).isTrue();
        assertThat(d.toTag()).isEqualTo("n1");
        assertThat(d.callId()).isEqualTo(fresh.callId());
        assertThat(d.fromTag()).isEqualTo(fresh.fromTag());
        assertThat(hosts(d)).isEqualTo("p2.example.com,p1.example.com");
        assertThat(d.requestUri(AOR)).isEqualTo("sip:bob@192.0.2.7:5070");
        assertThat(d.since()).isEqualTo(T0);
        assertThat(d.youngerThan(T0.plusSeconds(29), Duration.ofSeconds(30))).isTrue();
        assertThat(d.youngerThan(T0.plusSeconds(30), Duration.ofSeconds(30))).isFalse();
    }

    /** RFC 3261 §12.1.1: as the NOTIFY's recipient, its Record-Route in order is the route set. */
    @Test
    void aNotifyMakesTheDialogWithItsRecordRouteInOrder() throws Exception {
        SubscribeDialog fresh = SubscribeDialog.fresh();
        Request notify = notify(fresh, null);

        SubscribeDialog d = fresh.madeBy(notify, T0).refreshedBy(notify);

        assertThat(d.toTag()).isEqualTo("n2");
        assertThat(hosts(d)).isEqualTo("p2.example.com,p1.example.com");
        assertThat(d.requestUri(AOR)).isEqualTo(AOR);
    }

    @Test
    void onlyNotifiesOfItsCallIdAndFromTagBelongToTheDialog() {
        SubscribeDialog d = SubscribeDialog.fresh();

        assertThat(d.owns(d.callId(), d.fromTag())).isTrue();
        assertThat(d.owns(d.callId(), "other")).isFalse();
        assertThat(d.owns("other", d.fromTag())).isFalse();
        assertThat(d.owns(d.callId(), null)).isFalse();
    }

    @Test
    void aNotifyWithAContactRefreshesTheRemoteTarget() throws Exception {
        SubscribeDialog fresh = SubscribeDialog.fresh();
        SubscribeDialog d = fresh.madeBy(ok(fresh), T0);

        SubscribeDialog moved = d.refreshedBy(notify(d, "sip:bob@192.0.2.8:5080"));

        assertThat(moved.requestUri(AOR)).isEqualTo("sip:bob@192.0.2.8:5080");
        assertThat(moved.routes()).isEqualTo(d.routes());
        assertThat(d.refreshedBy(notify(d, null))).isSameAs(d);
    }
}
