// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.time.Scheduler;
import org.sipfailover.jainsip.TransportHooks;

/** What a flow uses of its manager to send and to schedule: the stack, its hooks, timers and identity. */
interface FlowResources {

    SipEndpoint endpoint();

    TransportHooks hooks();

    Scheduler scheduler();

    /** How long a request waits for its final answer when the flow's spec names no time-out. */
    Duration transactionTimeout();

    RandomGenerator random();

    Supplier<ServerResolver> resolver();

    String instanceId();

    String userAgent();

    StunKeepAlive stun();

    /**
     * A CRLF ping over the connection to {@code peer}, shared by the flows over it: one sent less than
     * {@code window} ago stands for this one (thousands of flows share one connection to a server).
     *
     * @return the count of reads from {@code peer} before that ping: data read after it is its pong
     * @throws IOException if the ping could not be sent
     */
    long ping(Transport transport, InetSocketAddress peer, Duration window) throws IOException;
}
