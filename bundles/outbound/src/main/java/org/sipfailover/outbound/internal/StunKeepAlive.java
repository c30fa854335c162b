// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.net.FailureCause;

/**
 * RFC 5626 §4.4.2: STUN Binding requests from the SIP UDP socket to the flow's target; the answer must come
 * before the pong deadline and carry the same mapped address as the flow's first answer, else the NAT
 * binding, and so the flow, is gone. One per flow manager.
 */
final class StunKeepAlive {

    /** Outstanding requests by transaction id (hex), across all flows of a manager. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(FlowImpl flow, long gen, ResolvedTarget target) {}

    /** What each flow's first answer said; a later different answer means a new NAT binding. */
    private final Map<FlowImpl, InetSocketAddress> mapped = new ConcurrentHashMap<>();

    void send(FlowImpl flow, long gen, ResolvedTarget target) throws IOException {
        byte[] tx = new byte[12];
        flow.resources().random().nextBytes(tx);
        String key = hex(tx);
        pending.put(key, new Pending(flow, gen, target));
        int localPort;
        try {
            localPort = flow.local(target).port();
        } catch (javax.sip.SipException e) {
            throw new IOException(e.getMessage(), e);
        }
        flow.resources().hooks().sendFromSipSocket(localPort, Stun.bindingRequest(tx), target.socketAddress());
        flow.keepAliveTracker()
                .armPongDeadline(
                        gen,
                        () -> pending.remove(key) == null,
                        FailureCause.STUN_TIMEOUT,
                        "no STUN answer from " + target,
                        () -> {});
    }

    /**
     * A STUN datagram arrived on a SIP UDP socket.
     *
     * @return whether it was a Binding response at all (late or unknown ones included)
     */
    boolean received(DatagramPacket packet) {
        java.util.Optional<Stun.Response> response =
                Stun.parse(packet.getData(), packet.getOffset(), packet.getLength());
        response.ifPresent(r -> {
            Pending p = pending.remove(hex(r.transactionId()));
            if (p == null || !r.success()) {
                return;
            }
            p.flow().keepAliveAnswered();
            p.flow().keepAliveTracker().pongArrived(p.gen());
            if (r.mapped() == null) {
                return; // an answer without a usable address proves the server alive, and no more
            }
            InetSocketAddress first = mapped.putIfAbsent(p.flow(), r.mapped());
            if (first != null && !first.equals(r.mapped())) {
                mapped.remove(p.flow());
                p.flow()
                        .failed(
                                p.gen(),
                                FailureCause.STUN_MAPPING_CHANGED,
                                null,
                                "STUN mapped address changed from " + first + " to " + r.mapped() + " at "
                                        + p.target());
            }
        });
        return response.isPresent();
    }

    /** Forgets a flow's mapping when its connection is renewed. */
    void forget(FlowImpl flow) {
        mapped.remove(flow);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
