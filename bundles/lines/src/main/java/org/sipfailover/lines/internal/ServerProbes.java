// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.flow.ProbeResult;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.time.Cancellable;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OPTIONS probes of the lines (AudioCodes {@code keep_alive_period}, a primary watched for failback),
 * shared: the lines that watch the same server address with the same flow settings and probe interval share
 * one flow and one OPTIONS per interval, and each of them hears every answer. Ten thousand lines watching one
 * primary every 2 s send one OPTIONS every 2 s, not five thousand a second.
 *
 * <p>What a watcher hears: the probe flow coming up or failing, and each OPTIONS answered or not. A probe flow
 * that failed and is recovering is not left to RFC 5626's back-off (tens of seconds, for flows that carry
 * registrations): it is opened afresh at each probe interval, and its coming up is the server's first sign of
 * life. An answer that took far longer than this server's usual round trip (the shortest of its last
 * {@value #USUAL_OF}; {@link #late}) is heard as such:
 * over UDP a registrar that restarted with an empty table inside one retransmission window answers in the end,
 * and nothing else shows that the bindings there are gone.
 *
 * <p>Thread-safe: lines on any lane watch and stop watching; answers and flow events arrive on the flow
 * manager's threads; each watcher takes what it hears to its own lane.
 */
final class ServerProbes {

    private static final Logger LOG = LoggerFactory.getLogger(ServerProbes.class);

    /** An answer slower than this is never late: a retransmission over UDP (T1) and then some. */
    static final Duration LATE_FLOOR = Duration.ofSeconds(1);
    /** An answer is late when it took this many times the server's usual round trip (and the floor). */
    static final int LATE_FACTOR = 4;
    /** The usual round trip is the shortest of this many last answers: a restart does not make slowness usual. */
    static final int USUAL_OF = 8;

    /** One who watches a server. Called on a flow manager's or the probes' thread: hand it to your own lane. */
    @FunctionalInterface
    interface Watcher {
        /**
         * @param o what was seen ({@link HealthObservation#server()} is the first watcher's: rewrite it)
         * @param late an OPTIONS answer that came so late that the server may have restarted meanwhile
         */
        void heard(HealthObservation o, boolean late);
    }

    /** What makes two lines' probes the same probe: the flow manager, the first hop, the flow's settings. */
    record Key(
            FlowManager flows,
            ServerAddress address,
            Duration interval,
            Duration keepAlive,
            Duration pongTimeout,
            Duration transactionTimeout,
            boolean persistentTls,
            boolean symmetricUdp,
            Duration recoveryBaseAllFailed,
            Duration recoveryBaseSomeOk,
            Duration recoveryMax) {

        /** The probe of {@code address}, one of {@code line}'s servers (with the line's transport), for it. */
        static Key of(FlowManager flows, LineConfig line, ServerAddress address) {
            return new Key(
                    flows,
                    address,
                    line.probeInterval(),
                    line.keepAliveInterval(),
                    line.pongTimeout(),
                    line.transactionTimeout().orElse(null),
                    line.persistentTls(),
                    line.symmetricUdp(),
                    line.recoveryBaseAllFailed(),
                    line.recoveryBaseSomeOk(),
                    line.recoveryMax());
        }
    }

    private final Scheduler scheduler;
    // guarded by this
    private final Map<Key, Probe> probes = new HashMap<>();

    /** @param scheduler runs the probes' timers */
    ServerProbes(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Starts watching a server: the first watcher of a key starts its probe at once; a later one hears at once
     * what the last one heard.
     *
     * @param server the watcher's name for the server, for the flow's spec and the logs
     * @return stops watching; the probe stops with its last watcher
     */
    Cancellable watch(Key key, ServerRef server, Watcher watcher) {
        HealthObservation last;
        synchronized (this) {
            Probe p = probes.get(key);
            if (p == null) {
                p = new Probe(key, server);
                probes.put(key, p);
                p.watchers.add(watcher);
                Probe started = p;
                p.timer = scheduler.schedule(started::tick, Duration.ZERO);
                last = null;
            } else {
                p.watchers.add(watcher);
                last = p.last;
            }
        }
        if (last != null) {
            watcher.heard(last, false);
        }
        return () -> unwatch(key, watcher);
    }

    /** How many probes run (each with its own flow and timer), for tests and diagnostics. */
    synchronized int running() {
        return probes.size();
    }

    /** @return whether the watcher was watching */
    private boolean unwatch(Key key, Watcher watcher) {
        Flow closing = null;
        synchronized (this) {
            Probe p = probes.get(key);
            if (p == null || !p.watchers.remove(watcher)) {
                return false;
            }
            if (!p.watchers.isEmpty()) {
                return true;
            }
            probes.remove(key);
            p.stopped = true;
            if (p.timer != null) {
                p.timer.cancel();
            }
            closing = p.flow;
            p.flow = null;
        }
        if (closing != null) {
            closing.close();
        }
        return true;
    }

    /**
     * Whether an answer after {@code roundTrip} is late for a server whose usual round trip is {@code usual}
     * (none yet: only the floor counts).
     */
    static boolean late(Duration roundTrip, Duration usual) {
        Duration bound = usual == null ? LATE_FLOOR : usual.multipliedBy(LATE_FACTOR);
        return roundTrip.compareTo(LATE_FLOOR) > 0 && roundTrip.compareTo(bound) > 0;
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private final class Probe {
        final Key key;
        final ServerRef server;
        final Set<Watcher> watchers = new LinkedHashSet<>();
        Cancellable timer;
        Flow flow;
        HealthObservation last;
        /** The round trips of the last {@link #USUAL_OF} answers. */
        final java.util.ArrayDeque<Duration> recent = new java.util.ArrayDeque<>();

        boolean stopped;

        Probe(Key key, ServerRef server) {
            this.key = key;
            this.server = server;
        }

        void tick() {
            Flow probeOver;
            synchronized (ServerProbes.this) {
                if (stopped) {
                    return;
                }
                timer = scheduler.schedule(this::tick, key.interval());
                if (flow != null && flow.state() == FlowState.RECOVERING) {
                    // its CLOSED event goes through the scheduler, never back into this lock
                    flow.close();
                    flow = null;
                }
                if (flow == null) {
                    flow = open();
                    probeOver = null; // its UP event is the answer
                } else {
                    probeOver = flow.state() == FlowState.UP ? flow : null;
                }
            }
            if (probeOver != null) {
                probeOver.probe().whenComplete((r, e) -> answered(probeOver, r, e));
            }
        }

        /** Called under the lock. */
        private Flow open() {
            FlowSpec spec = FlowSpec.builder("probe " + key.address(), server, key.address())
                    .regId(0)
                    .outbound(false)
                    .keepAlive(key.keepAlive(), key.pongTimeout())
                    .transactionTimeout(key.transactionTimeout())
                    .ports(key.persistentTls(), key.symmetricUdp())
                    .recovery(key.recoveryBaseAllFailed(), key.recoveryBaseSomeOk(), key.recoveryMax())
                    .build();
            try {
                // the flow may report before open() returns: its events are taken on the scheduler, after the
                // flow is known as this probe's
                return key.flows().open(spec, e -> scheduler.execute(() -> flowEvent(e)));
            } catch (IllegalArgumentException e) {
                LOG.error("cannot open a flow to probe {}: {}", key.address(), e.getMessage());
                return null;
            }
        }

        private void flowEvent(FlowEvent e) {
            HealthObservation o = switch (e.kind()) {
                case UP ->
                    HealthObservation.success(server, e.at(), HealthObservation.Source.FLOW, "flow up: " + e.detail());
                case FAILED ->
                    new HealthObservation(
                            server,
                            e.at(),
                            HealthObservation.Source.FLOW,
                            e.cause() == null ? FailureCause.CONNECTION_RESET : e.cause(),
                            e.retryAfter(),
                            e.detail());
                default -> null;
            };
            if (o != null) {
                tell(e.flow(), o, false);
            }
        }

        private void answered(Flow over, ProbeResult r, Throwable e) {
            boolean wasLate = false;
            HealthObservation o;
            if (r != null && r.answered()) {
                Duration rtt = r.roundTrip();
                if (rtt != null) {
                    synchronized (ServerProbes.this) {
                        wasLate = late(
                                rtt, recent.stream().min(Duration::compareTo).orElse(null));
                        recent.addLast(rtt);
                        if (recent.size() > USUAL_OF) {
                            recent.removeFirst();
                        }
                    }
                }
                o = HealthObservation.success(
                        server,
                        scheduler.now(),
                        HealthObservation.Source.PROBE,
                        "OPTIONS answered " + r.status() + (wasLate ? " after " + seconds(rtt) : ""));
            } else {
                o = HealthObservation.failure(
                        server,
                        scheduler.now(),
                        HealthObservation.Source.PROBE,
                        r != null && r.cause() != null ? r.cause() : FailureCause.PROBE_TIMEOUT,
                        "OPTIONS to " + key.address() + (e != null ? ": " + e : " unanswered"));
            }
            if (wasLate) {
                LOG.info(
                        "OPTIONS to {} answered after {}: it may have restarted; its lines refresh their bindings",
                        key.address(),
                        seconds(r.roundTrip()));
            }
            tell(over, o, wasLate);
        }

        /** Hands what the current flow showed to every watcher (what a flow given up shows is old news). */
        private void tell(Flow from, HealthObservation o, boolean wasLate) {
            List<Watcher> to;
            synchronized (ServerProbes.this) {
                if (stopped || from != flow) {
                    return;
                }
                last = o;
                to = new ArrayList<>(watchers);
            }
            for (Watcher w : to) {
                try {
                    w.heard(o, wasLate);
                } catch (RuntimeException ex) {
                    LOG.error("a line failed to take the probe of {}: {}", key.address(), ex.toString(), ex);
                }
            }
        }
    }
}
