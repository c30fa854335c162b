// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.net.FailureCause;

/**
 * Sends one keep-alive of a flow and arms its pong deadline: a CRLF ping over a connection, shared by the
 * flows over it (RFC 5626 §4.4.1), or a STUN Binding request over UDP (§4.4.2).
 */
final class KeepAlivePing {

    private final FlowImpl flow;
    private final FlowResources resources;
    private final FlowHealth health;
    private final KeepAlive keepAlive;

    KeepAlivePing(FlowImpl flow, FlowResources resources, FlowHealth health, KeepAlive keepAlive) {
        this.flow = flow;
        this.resources = resources;
        this.health = health;
        this.keepAlive = keepAlive;
    }

    /** The keep-alive of generation {@code gen}, when its timer is due: sent, and the next one scheduled. */
    void run(long gen) {
        ResolvedTarget t = flow.upTarget(gen);
        if (t == null) {
            return;
        }
        if (!flow.outbound() && !flow.spec().outbound()) {
            return; // without SIP outbound there is no flow to keep alive (and no timer: KeepAlive.schedule)
        }
        try {
            send(gen, t);
        } catch (IOException e) {
            flow.failed(gen, FailureCause.CONNECTION_RESET, null, "keep-alive to " + t + " failed: " + e);
            return;
        }
        flow.keepAliveSent(gen);
    }

    /**
     * Pings {@code t}, the target of generation {@code gen}, once the flow has found itself up there.
     *
     * @throws IOException if the ping could not be sent
     */
    private void send(long gen, ResolvedTarget t) throws IOException {
        InetSocketAddress peer = t.socketAddress();
        // noted before the ping leaves, so that a pong faster than this thread is never missed
        keepAlive.pinged(gen);
        if (t.transport().isReliable()) {
            health.awaitPong(flow, peer);
            // RFC 5626 §4.4.1 keeps a connection alive: half an interval's ping over it does for every flow
            long before =
                    resources.ping(t.transport(), peer, flow.keepAliveInterval().dividedBy(2));
            if (resources.hooks().receivedCount(peer) > before) {
                // another flow's ping over this connection was answered already: no deadline to watch
                keepAlive.pongArrived(gen);
                flow.keepAliveAnswered();
            } else {
                keepAlive.armPongDeadline(
                        gen,
                        () -> {
                            boolean answered = resources.hooks().receivedCount(peer) > before;
                            if (answered) {
                                flow.keepAliveAnswered();
                            }
                            return answered;
                        },
                        FailureCause.PONG_TIMEOUT,
                        "no CRLF pong from " + t,
                        // the connection is silent for every flow over it, not for this one alone
                        () -> health.connectionSilent(flow, peer, before));
            }
        } else {
            resources.stun().send(flow, gen, t);
        }
    }
}
