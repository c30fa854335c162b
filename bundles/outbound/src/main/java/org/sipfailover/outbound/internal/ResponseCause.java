// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Response;
import org.sipfailover.api.net.FailureCause;

/**
 * What a final answer to a request over a flow says about the flow itself: the statuses that fail it, with
 * their cause, whatever the request (RFC 5626 §4.4.1 430; 503 and 408 from the first hop).
 */
final class ResponseCause {

    private ResponseCause() {}

    /** @return the cause the flow fails with for {@code status}, or {@code null} when the status leaves it be */
    static FailureCause ofFlow(int status) {
        return switch (status) {
            case 430 -> FailureCause.FLOW_FAILED;
            case 503 -> FailureCause.SERVICE_UNAVAILABLE;
            case 408 -> FailureCause.TRANSACTION_TIMEOUT;
            default -> null;
        };
    }

    /** A 503's Retry-After, or {@code null}: no other status, and no 503 without the header, asks for a wait. */
    static Duration retryAfter(Response response) {
        if (response.getStatusCode() != 503) {
            return null;
        }
        RetryAfterHeader ra = (RetryAfterHeader) response.getHeader(RetryAfterHeader.NAME);
        return ra == null ? null : Duration.ofSeconds(ra.getRetryAfter());
    }
}
