// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import javax.sip.RequestEvent;

/**
 * Takes the inbound requests of one method ({@link InboundRequests#register}), or passes one on to the next
 * handler of that method and, last, to the default answer.
 */
interface InboundRequestHandler {

    /**
     * Called on one of the stack's threads.
     *
     * @return whether it took the request (answered it, or absorbed it); one that throws has not
     */
    boolean onRequest(RequestEvent event);
}
