// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Samples both registrars' location tables ({@code ul.dump brief}, with kamcmd or over JSON-RPC for big tables) in a loop and keeps, per line (by
 * user part), whether it holds a live binding at each registrar. A stopped (SIGSTOP) or dead registrar counts as
 * holding nothing. The loop runs as fast as the dumps come back (one dump of 10,000 AORs takes a few hundred
 * milliseconds), with at least {@code minPeriodMillis} between samples. Listeners see every sample.
 */
final class TableSampler implements AutoCloseable {

    /** One sample: when, and which lines each registrar held. */
    record Sample(long atMillis, BitSet primary, BitSet backup, boolean primaryLive, boolean backupLive) {

        boolean bound(int line) {
            return primary.get(line) || backup.get(line);
        }
    }

    /** Counts kept for the timeline. */
    record Point(long atMillis, int primary, int backup, int anywhere) {}

    interface Listener {
        void sample(Sample previous, Sample now);
    }

    private final Registrars servers;
    private final Map<String, Integer> index = new HashMap<>();
    private final int lines;
    private final long minPeriodMillis;
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Point> points = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Sample last;
    private volatile long dumpMillis;

    TableSampler(Registrars servers, List<String> users, long minPeriodMillis) {
        this.servers = servers;
        for (int i = 0; i < users.size(); i++) {
            index.put(users.get(i), i);
        }
        this.lines = users.size();
        this.minPeriodMillis = minPeriodMillis;
        this.thread = new Thread(this::loop, "table-sampler");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void listen(Listener l) {
        listeners.add(l);
    }

    void unlisten(Listener l) {
        listeners.remove(l);
    }

    Sample last() {
        return last;
    }

    List<Point> points() {
        synchronized (points) {
            return List.copyOf(points);
        }
    }

    /** How long the last pair of dumps took, in milliseconds: the resolution of every figure taken here. */
    long dumpMillis() {
        return dumpMillis;
    }

    /** Waits for a sample taken after now. */
    Sample next() throws InterruptedException {
        long now = System.currentTimeMillis();
        while (true) {
            Sample s = last;
            if (s != null && s.atMillis() > now) {
                return s;
            }
            Thread.sleep(5);
        }
    }

    private void loop() {
        Sample previous = null;
        while (running) {
            long t0 = System.currentTimeMillis();
            try {
                boolean pLive = servers.primary.live();
                boolean bLive = servers.backup.live();
                CompletableFuture<BitSet> p = CompletableFuture.supplyAsync(() -> dump(servers.primary));
                BitSet b = dump(servers.backup);
                BitSet pb = p.join();
                // a registrar stopped or killed while it was dumped counts as holding nothing
                pLive &= servers.primary.live();
                bLive &= servers.backup.live();
                long at = System.currentTimeMillis();
                dumpMillis = at - t0;
                Sample s = new Sample(at, pLive ? pb : new BitSet(), bLive ? b : new BitSet(), pLive, bLive);
                BitSet any = (BitSet) s.primary().clone();
                any.or(s.backup());
                points.add(new Point(at, s.primary().cardinality(), s.backup().cardinality(), any.cardinality()));
                for (Listener l : listeners) {
                    l.sample(previous, s);
                }
                last = s;
                previous = s;
            } catch (RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                System.err.println("sampler: sample dropped: " + m.substring(0, Math.min(200, m.length())));
            }
            long rest = minPeriodMillis - (System.currentTimeMillis() - t0);
            if (rest > 0) {
                try {
                    Thread.sleep(rest);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The lines with a binding that has not expired, at one registrar; empty when it is not live. */
    private BitSet dump(Registrars.Server server) {
        BitSet bound = new BitSet(lines);
        if (!server.live()) {
            return bound;
        }
        java.util.Set<String> aors;
        // under the server's lock: a fault waits for a dump under way, so that none is sent to a registrar being
        // killed (a JSON-RPC FIFO with no reader would hold the sampler up for the whole time-out)
        synchronized (server) {
            if (!server.live()) {
                return bound;
            }
            // kamcmd is quicker (a finer sample period) but its reply holds a few thousand AORs at most; a failed
            // dump throws: never read as "nothing bound", the sample is dropped (and the error shown)
            aors = lines > KAMCMD_MAX_LINES ? server.k.aors() : kamcmdAors(server);
        }
        for (String aor : aors) {
            int at = aor.indexOf('@');
            String user = at < 0 ? aor : aor.substring(0, at);
            if (user.startsWith("sip:")) {
                user = user.substring(4);
            }
            Integer i = index.get(user);
            if (i != null) {
                // "brief" lists the AORs that hold contacts; usrloc drops an AOR whose last contact expired
                // or was unregistered within its timer interval (1 s here)
                bound.set(i);
            }
        }
        return bound;
    }

    /** Above this many lines the tables are read over JSON-RPC, not with kamcmd. */
    static final int KAMCMD_MAX_LINES = 4000;

    private static java.util.Set<String> kamcmdAors(Registrars.Server server) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String line : server.k.rpc("ul.dump", "brief").split("\n")) {
            String l = line.strip();
            if (l.startsWith("AoR: ")) {
                out.add(l.substring(5));
            }
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
