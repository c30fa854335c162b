// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import javax.sip.SipFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.net.FailureCause;

class ResponseCauseTest {

    private static Response response(int status, String extraHeader) throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        MessageFactory messages = factory.createMessageFactory();
        return messages.createResponse("SIP/2.0 " + status + " Whatever\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-1\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:alice@example.com>;tag=b2\r\n"
                + "Call-ID: c1\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + (extraHeader == null ? "" : extraHeader + "\r\n")
                + "Content-Length: 0\r\n\r\n");
    }

    @Test
    void theStatusesThatFailAFlowNameTheirCause() {
        assertThat(ResponseCause.ofFlow(430)).isEqualTo(FailureCause.FLOW_FAILED);
        assertThat(ResponseCause.ofFlow(503)).isEqualTo(FailureCause.SERVICE_UNAVAILABLE);
        assertThat(ResponseCause.ofFlow(408)).isEqualTo(FailureCause.TRANSACTION_TIMEOUT);
        for (int other : new int[] {200, 401, 403, 404, 407, 423, 439, 480, 500, 603}) {
            assertThat(ResponseCause.ofFlow(other)).as("status %d", other).isNull();
        }
    }

    @Test
    void onlyA503AsksForAWaitAndOnlyWithRetryAfter() throws Exception {
        assertThat(ResponseCause.retryAfter(response(503, "Retry-After: 120"))).isEqualTo(Duration.ofSeconds(120));
        assertThat(ResponseCause.retryAfter(response(503, null))).isNull();
        assertThat(ResponseCause.retryAfter(response(430, "Retry-After: 120"))).isNull();
        assertThat(ResponseCause.retryAfter(response(408, "Retry-After: 120"))).isNull();
    }
}
