// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each line's placement in a small text file, written atomically (a temporary file moved over the
 * old one), so that after a restart the line starts where it was (AudioCodes: "registers to the last proxy
 * to which it was trying to register"). A file that cannot be read counts as no placement.
 */
public final class PlacementStore {

    private static final Logger LOG = LoggerFactory.getLogger(PlacementStore.class);

    private final Path dir;
    /**
     * Placements saved and not yet on disk, by line. Written by one thread of their own, so that a line's lane
     * never waits for the file system: a transition of every line at once (a dead server) wrote thousands of
     * files, one after the other, on the lane that registers them (1.2 ms each, three quarters of a transition).
     */
    private final Map<String, Placement> pending = new ConcurrentHashMap<>();

    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sip-failover-placements");
        t.setDaemon(true);
        return t;
    });

    /** @param dir the folder, normally the lines bundle's data area; created when needed */
    public PlacementStore(Path dir) {
        this.dir = dir;
    }

    /** Waits until every placement saved so far is on disk (at most {@code millis}). */
    public void flush(long millis) {
        try {
            writer.submit(() -> {}).get(millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException
                | java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("placements not all written within {} ms: {}", millis, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is pending, then stops the writer; saves after this are written on the caller's thread. */
    public void close(long millis) {
        flush(millis);
        writer.shutdown();
    }

    private Path file(String lineId) {
        // a line id is free text: keep the file name portable and unambiguous
        StringBuilder sb = new StringBuilder();
        for (char c : lineId.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) || c == '-' || c == '.' ? c : '_');
        }
        return dir.resolve("placement-" + sb + "-" + Integer.toHexString(lineId.hashCode()) + ".txt");
    }

    /** The persisted placement of a line, or {@link Placement#NONE}. */
    Placement load(String lineId) {
        Placement saved = pending.get(lineId);
        if (saved != null) {
            return saved;
        }
        Path f = file(lineId);
        if (!Files.exists(f)) {
            return Placement.NONE;
        }
        try {
            return parse(Files.readAllLines(f, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            LOG.warn("line {}: ignoring the saved placement in {}: {}", lineId, f, e.toString());
            return Placement.NONE;
        }
    }

    /**
     * Saves the placement: {@link #load} sees it at once, and it is written atomically to disk soon after, on
     * the store's own thread (the latest of quick successive saves wins). A failure is logged, never thrown.
     */
    void save(String lineId, Placement p) {
        pending.put(lineId, p);
        try {
            writer.execute(() -> {
                Placement latest = pending.get(lineId);
                if (latest != null) {
                    write(lineId, latest);
                    // a newer save stays pending, with a task of its own behind this one
                    pending.remove(lineId, latest);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: write here
            write(lineId, p);
            pending.remove(lineId, p);
        }
    }

    private void write(String lineId, Placement p) {
        Path f = file(lineId);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "placement", ".tmp");
            Files.write(tmp, format(p), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("line {}: could not save its placement in {}: {}", lineId, f, e.toString());
        }
    }

    void delete(String lineId) {
        pending.remove(lineId);
        Runnable delete = () -> {
            try {
                Files.deleteIfExists(file(lineId));
            } catch (IOException e) {
                LOG.debug("line {}: could not delete its saved placement: {}", lineId, e.toString());
            }
        };
        try {
            // behind any write of this line already under way
            writer.submit(delete).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            delete.run();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("line {}: could not delete its saved placement: {}", lineId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code active <i>} then one {@code binding <reg-id> <proxy> <registrar> <outbound|->} per binding. */
    static List<String> format(Placement p) {
        List<String> out = new ArrayList<>();
        out.add("active " + p.active());
        for (Binding b : p.bindings()) {
            out.add("binding " + b.regId() + " " + b.proxy() + " " + b.registrar() + " "
                    + (b.outboundProxy() == null ? "-" : b.outboundProxy().name()));
        }
        return out;
    }

    static Placement parse(List<String> lines) {
        int active = -1;
        List<Binding> bindings = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals("active")) {
                active = Integer.parseInt(f[1]);
            } else if (f.length == 5 && f[0].equals("binding")) {
                bindings.add(new Binding(
                        Integer.parseInt(f[1]), rank(f[2]), rank(f[3]), f[4].equals("-") ? null : rank(f[4])));
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException("unexpected line '" + line + "'");
            }
        }
        return new Placement(bindings, active);
    }

    private static Rank rank(String s) {
        return Rank.valueOf(s.toUpperCase(Locale.ROOT));
    }
}
