// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.embed;

import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.flow.FlowManager;

/** A flow manager made outside OSGi, which its maker closes when done with it. */
@ProviderType
public interface EmbeddedFlowManager extends FlowManager, AutoCloseable {

    /** Keep-alives (CRLF pings, STUN requests) answered in time so far, over all flows. */
    long keepAlivesAnswered();

    /**
     * Closes every flow and stops the SIP stack and its threads. Nothing is unregistered here: close the lines
     * first for that.
     */
    @Override
    void close();
}
