// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.net.InetSocketAddress;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.net.Transport;
import org.sipfailover.jainsip.TransportHooks;

/**
 * What a flow ties to the connection to its current target (the TLS host to check, the persistent TLS wish,
 * its manager's watch) and unties when it leaves it. Called without the flow's lock.
 */
final class ConnectionTies {

    private final FlowImpl flow;
    private final PersistentTlsHold persistentTls;
    private final TransportHooks hooks;
    private final FlowHealth health;

    ConnectionTies(FlowImpl flow, PersistentTlsHold persistentTls, TransportHooks hooks, FlowHealth health) {
        this.flow = flow;
        this.persistentTls = persistentTls;
        this.hooks = hooks;
        this.health = health;
    }

    /** The flow tries {@code t}; before its first request opens the connection there. */
    void tie(ResolvedTarget t, boolean persistent) {
        if (t.transport() == Transport.TLS) {
            hooks.expectTlsHost(t.socketAddress(), t.host());
        }
        if (persistent && t.transport() == Transport.TLS) {
            // before the first request opens the connection: it is then made from the persistent TLS port
            persistentTls.hold(t.socketAddress());
        }
        health.watch(flow, t.socketAddress());
    }

    /** The flow failed at {@code lost} (or {@code null}): its connection is dropped so that it is never reused. */
    void drop(ResolvedTarget lost) {
        persistentTls.release();
        if (lost != null) {
            health.unwatch(flow, lost.socketAddress());
            if (lost.transport().isReliable()) {
                hooks.closeConnection(lost.socketAddress());
            }
        }
    }

    /** The flow is closed, last at {@code peer} (or {@code null}); its connection is left to the others. */
    void close(InetSocketAddress peer) {
        if (peer != null) {
            health.unwatch(flow, peer);
        }
        persistentTls.release();
    }
}
