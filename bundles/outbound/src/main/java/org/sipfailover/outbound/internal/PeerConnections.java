// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flows over each connection of a flow manager, by peer: which flows watch it, the CRLF pings they share,
 * the pongs they await, and what a loss or a silence of the connection does to them. Thousands of flows share
 * one connection to a server: one ping, one log line, a map look-up per read.
 */
final class PeerConnections {

    private static final Logger LOG = LoggerFactory.getLogger(PeerConnections.class);

    /** Sends one CRLF ping over a connection. */
    @FunctionalInterface
    interface Heartbeat {
        void send() throws IOException;
    }

    /** A CRLF ping sent over a connection: when, and the peer's read count just before. */
    private record Ping(Instant at, long before) {}

    private final Scheduler scheduler;
    private final ToLongFunction<InetSocketAddress> receivedCount;
    private final StunKeepAlive stun;
    private final Map<InetSocketAddress, Set<FlowImpl>> byPeer = new ConcurrentHashMap<>();
    private final AtomicLong pingsSent = new AtomicLong();
    /** Per peer, the last CRLF ping over the connection to it. */
    private final Map<InetSocketAddress, Ping> pings = new ConcurrentHashMap<>();
    /** Per peer, the flows whose CRLF ping is waiting for data from it. */
    private final Map<InetSocketAddress, Set<FlowImpl>> awaitingPong = new ConcurrentHashMap<>();

    /**
     * @param receivedCount the count of reads from a peer so far (the network layer's)
     * @param stun the STUN keep-alive, which forgets a flow's mapping when the flow stops watching
     */
    PeerConnections(Scheduler scheduler, ToLongFunction<InetSocketAddress> receivedCount, StunKeepAlive stun) {
        this.scheduler = scheduler;
        this.receivedCount = receivedCount;
        this.stun = stun;
    }

    /** CRLF pings sent so far, over all connections. */
    long pingsSent() {
        return pingsSent.get();
    }

    void watch(FlowImpl flow, InetSocketAddress peer) {
        byPeer.computeIfAbsent(peer, p -> ConcurrentHashMap.newKeySet()).add(flow);
    }

    void unwatch(FlowImpl flow, InetSocketAddress peer) {
        Set<FlowImpl> s = byPeer.get(peer);
        if (s != null) {
            s.remove(flow);
        }
        Set<FlowImpl> p = awaitingPong.get(peer);
        if (p != null) {
            p.remove(flow);
        }
        stun.forget(flow);
    }

    void awaitPong(FlowImpl flow, InetSocketAddress peer) {
        awaitingPong.computeIfAbsent(peer, x -> ConcurrentHashMap.newKeySet()).add(flow);
    }

    /**
     * A CRLF ping to {@code peer}, unless one sent less than {@code window} ago stands for it.
     *
     * @return the count of reads from {@code peer} before that ping: data read after it is its pong
     * @throws IOException if the ping could not be sent
     */
    long ping(InetSocketAddress peer, Duration window, Heartbeat heartbeat) throws IOException {
        Instant now = scheduler.now();
        synchronized (pings) {
            Ping last = pings.get(peer);
            if (last != null && last.at().plus(window).isAfter(now)) {
                return last.before();
            }
            long before = receivedCount.applyAsLong(peer);
            heartbeat.send();
            pingsSent.incrementAndGet();
            pings.put(peer, new Ping(now, before));
            return before;
        }
    }

    /** Data arrived from {@code remote}: the pong of the flows that pinged it since its last data. */
    void received(InetSocketAddress remote) {
        // every read on every connection: a map look-up, and the flows that pinged this peer since its last data
        // (thousands of flows share one connection to a server; only the pinging few care)
        Set<FlowImpl> pinged = awaitingPong.get(remote);
        if (pinged != null && !pinged.isEmpty()) {
            for (Iterator<FlowImpl> it = pinged.iterator(); it.hasNext(); ) {
                FlowImpl f = it.next();
                it.remove();
                f.keepAliveTracker().received(remote);
            }
        }
    }

    /** The connection to {@code remote} ended: every flow over it has failed. */
    void lost(InetSocketAddress remote, IOException cause) {
        Set<FlowImpl> affected = byPeer.get(remote);
        if (affected != null && !affected.isEmpty()) {
            pings.remove(remote); // the next connection to it starts its own pings
            List<FlowImpl> flowsThere = List.copyOf(affected);
            LOG.info(
                    "connection to {} lost ({}): {} flow(s) over it failed and recover",
                    remote,
                    cause == null ? "closed by the peer" : cause.toString(),
                    flowsThere.size());
            flowsThere.forEach(f -> f.connectionLost(remote, cause));
        }
    }

    /** As {@link FlowHealth#connectionSilent}. */
    void silent(FlowImpl flow, InetSocketAddress peer, long before) {
        Ping ping;
        synchronized (pings) {
            ping = pings.get(peer);
        }
        Set<FlowImpl> there = byPeer.get(peer);
        if (ping == null || ping.before() != before || receivedCount.applyAsLong(peer) > before || there == null) {
            return; // a newer ping is out, or the peer spoke since: its flows decide for themselves
        }
        Duration silent = Duration.between(ping.at(), scheduler.now());
        List<FlowImpl> covered = there.stream()
                .filter(f -> f != flow
                        && f.state() == FlowState.UP
                        && f.spec().pongTimeout().compareTo(silent) <= 0)
                .toList();
        if (covered.isEmpty()) {
            return;
        }
        String detail = "no data from " + peer + " for " + silent.toMillis() + " ms after a CRLF ping";
        LOG.info(
                "connection to {} silent ({}): {} more flow(s) over it failed and recover",
                peer,
                detail,
                covered.size());
        covered.forEach(f -> f.connectionSilent(peer, detail));
    }
}
