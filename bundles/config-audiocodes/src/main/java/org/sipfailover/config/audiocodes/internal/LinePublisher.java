// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.config.common.LinePropertiesCodec;
import org.sipfailover.config.common.LineStore;
import org.sipfailover.config.common.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the line configurations of AudioCodes files in step with the files: one configuration per enabled
 * phone line, named {@code audiocodes-<file stem>-line<index>} and marked with the file it comes from
 * ({@value #SOURCE}). A changed file updates only the lines that changed; a removed file, or a line
 * removed or disabled in it, deletes them. A plain class: the DS component and the tests drive it.
 *
 * <p>Nothing here lets one bad line stop another: a file that cannot be read, or that has no {@code voip/}
 * key any more (caught half-written), changes nothing; a phone line that cannot be built keeps its last
 * good configuration; a configuration of the same name that is not this file's (hand-written, or another
 * file's) is left alone. Log lines name lines and files, never a password.
 */
final class LinePublisher {

    /** The property naming the file a line configuration comes from (its absolute path). */
    static final String SOURCE = org.sipfailover.api.config.LineProperties.SOURCE;

    private static final Logger LOG = LoggerFactory.getLogger(LinePublisher.class);

    /** Reads a file whole. */
    interface FileReader {
        byte[] read(Path file) throws IOException;
    }

    /** What one publication did, by line name. */
    record Outcome(
            boolean applied,
            List<String> created,
            List<String> updated,
            List<String> unchanged,
            List<String> deleted,
            List<String> kept,
            List<Problem> problems) {

        static Outcome notApplied() {
            return new Outcome(false, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        }
    }

    private final LineStore store;
    private final AudioCodesParser parser;
    private final FileReader reader;
    /** The files whose lines are published; such a file stays claimed while it exists, whatever it holds. */
    private final Set<String> managed = new HashSet<>();

    LinePublisher(LineStore store, AudioCodesParser parser, FileReader reader) {
        this.store = store;
        this.parser = parser;
        this.reader = reader;
    }

    LinePublisher(LineStore store) {
        this(store, new AudioCodesParser(), AudioCodesFiles::read);
    }

    /**
     * Whether the file is an AudioCodes file ({@link AudioCodesFiles}), or one this publisher has
     * published: a file being rewritten may look like nothing for a moment, and must not be handed to
     * another installer meanwhile.
     */
    synchronized boolean canHandle(File file) {
        return managed.contains(source(file)) || AudioCodesFiles.looksLikeAudioCodes(file.toPath());
    }

    /** Publishes the lines of a new or changed file. */
    synchronized Outcome publish(File file) {
        String source = source(file);
        byte[] bytes;
        try {
            bytes = reader.read(file.toPath());
        } catch (IOException | RuntimeException e) {
            LOG.error("AudioCodes file {} cannot be read ({}); its lines stay as they are", file, e.getMessage());
            return Outcome.notApplied();
        }
        AudioCodesParseResult result = parser.parse(file.getName(), AudioCodesFiles.decode(bytes));
        for (Problem p : result.problems()) {
            LOG.warn("{}", p);
        }
        if (!result.unknownKeys().isEmpty()) {
            LOG.debug("{}: keys this adapter does not know, kept as extra settings: {}", file, result.unknownKeys());
        }
        if (!result.hasVoipKeys()) {
            LOG.warn("AudioCodes file {} has no voip/ key (half-written?); its lines stay as they are", file);
            return new Outcome(false, List.of(), List.of(), List.of(), List.of(), List.of(), result.problems());
        }
        managed.add(source);
        Map<String, Map<String, Object>> existing;
        try {
            existing = store.lines();
        } catch (IOException | RuntimeException e) {
            LOG.error(
                    "AudioCodes file {}: the line configurations cannot be listed ({}); nothing changed",
                    file,
                    e.toString());
            return Outcome.notApplied();
        }
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        String stem = AudioCodesFiles.stem(file.getName());
        for (int index : result.failedLines()) {
            String name = AudioCodesFiles.lineId(stem, index);
            wanted.add(name);
            if (source.equals(sourceOf(existing.get(name)))) {
                kept.add(name);
                LOG.warn(
                        "line {}: {} has an error in this line (see above); the line keeps its last configuration",
                        name,
                        file);
            }
        }
        for (LineConfig line : result.lines().values()) {
            String name = line.id();
            wanted.add(name);
            Map<String, Object> desired = properties(line, source);
            Map<String, Object> current = existing.get(name);
            if (current != null && !source.equals(sourceOf(current))) {
                LOG.error(
                        "line {}: a configuration of that name exists and comes from {}, not from {}; left alone",
                        name,
                        sourceOf(current) == null ? "no file" : sourceOf(current),
                        file);
                continue;
            }
            if (current != null && comparable(current).equals(comparable(desired))) {
                unchanged.add(name);
                continue;
            }
            try {
                store.put(name, desired);
                (current == null ? created : updated).add(name);
                LOG.info("line {}: {} from {}", name, current == null ? "created" : "updated", file);
            } catch (IOException | RuntimeException e) {
                LOG.error("line {}: its configuration from {} cannot be stored: {}", name, file, e.toString());
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : existing.entrySet()) {
            if (source.equals(sourceOf(e.getValue())) && !wanted.contains(e.getKey())) {
                delete(e.getKey(), "no longer in " + file + " (or disabled there)", deleted);
            }
        }
        return new Outcome(true, created, updated, unchanged, deleted, kept, result.problems());
    }

    /** Deletes the lines of a removed file. */
    synchronized List<String> withdraw(File file) {
        String source = source(file);
        managed.remove(source);
        List<String> deleted = new ArrayList<>();
        try {
            for (Map.Entry<String, Map<String, Object>> e : store.lines().entrySet()) {
                if (source.equals(sourceOf(e.getValue()))) {
                    delete(e.getKey(), file + " was removed", deleted);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("AudioCodes file {} was removed but its lines cannot be listed: {}", file, e.toString());
        }
        return deleted;
    }

    /**
     * Deletes the lines of files removed while this publisher was not running: files whose folder is still
     * there but which are not. A missing folder (an unmounted share) deletes nothing.
     */
    synchronized List<String> pruneOrphans() {
        List<String> deleted = new ArrayList<>();
        try {
            for (Map.Entry<String, Map<String, Object>> e : store.lines().entrySet()) {
                String source = sourceOf(e.getValue());
                if (source == null || !source.toLowerCase(Locale.ROOT).endsWith(".cfg")) {
                    continue;
                }
                Path path = Path.of(source);
                if (path.getParent() != null && Files.isDirectory(path.getParent()) && !Files.exists(path)) {
                    delete(e.getKey(), source + " was removed while the adapter was not running", deleted);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("the line configurations cannot be listed to find those of removed files: {}", e.toString());
        }
        return deleted;
    }

    private void delete(String name, String why, List<String> deleted) {
        try {
            store.delete(name);
            deleted.add(name);
            LOG.info("line {}: deleted, {}", name, why);
        } catch (IOException | RuntimeException x) {
            LOG.error("line {}: cannot be deleted ({}): {}", name, why, x.toString());
        }
    }

    /** The configuration properties of a line: {@link LinePropertiesCodec#write} and the source file. */
    static Map<String, Object> properties(LineConfig line, String source) {
        Map<String, Object> p = new LinkedHashMap<>(LinePropertiesCodec.write(line));
        p.put(SOURCE, source);
        return p;
    }

    /** The key a file is known by: its absolute, normalized path. */
    static String source(File file) {
        return file.getAbsoluteFile().toPath().normalize().toString();
    }

    private static String sourceOf(Map<String, Object> properties) {
        Object v = properties == null ? null : properties.get(SOURCE);
        return v == null ? null : v.toString();
    }

    /** Properties with arrays as lists, so that equal contents compare equal. */
    private static Map<String, Object> comparable(Map<String, Object> p) {
        Map<String, Object> out = new LinkedHashMap<>();
        p.forEach((k, v) -> out.put(k, v instanceof Object[] a ? Arrays.asList(a) : v));
        return out;
    }
}
