// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.net.InetSocketAddress;

/**
 * What a flow reports to its manager about its connection and health, and asks of the other flows: the
 * manager shares pongs, silence and losses among the flows over one connection.
 */
interface FlowHealth {

    void keepAliveAnswered();

    /** Whether every other flow of the manager has failed too (RFC 5626 §4.5 base-time choice). */
    boolean allOtherFlowsFailed(FlowImpl self);

    void watch(FlowImpl flow, InetSocketAddress peer);

    void unwatch(FlowImpl flow, InetSocketAddress peer);

    /**
     * A flow's pong deadline passed with nothing read from {@code peer} since the shared ping whose read
     * count was {@code before}: the other flows over that connection whose own pong deadline that silence
     * already covers have failed too.
     */
    void connectionSilent(FlowImpl flow, InetSocketAddress peer, long before);

    /** The flow has sent a CRLF ping to {@code peer}: the next data from it is the pong ({@link FlowImpl#received}). */
    void awaitPong(FlowImpl flow, InetSocketAddress peer);

    void closed(FlowImpl flow);
}
