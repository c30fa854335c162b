// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.config.common.LinePropertiesCodec;
import org.sipfailover.config.common.LineStore;
import org.sipfailover.config.common.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Aastra files of watched folders and the line configurations they give. Each folder is one site: its
 * {@code aastra.cfg} (or {@code startup.cfg}) applies to every {@code <MAC>.cfg} in it, with the
 * {@code <model>.cfg} of the phone's model in between when the phone's model is known. Whenever a file comes,
 * changes or goes, the whole folder is read again, because a MAC file's lines depend on the global file: only
 * the lines whose properties changed are written, and the lines no file gives any more are deleted.
 *
 * <p>A file that cannot be read changes nothing: its previous contents stay in force. A line that cannot be
 * built keeps its previous configuration. A folder with no MAC file but a global file that configures lines is
 * one phone named after the global file. Thread-safe: every method is synchronised.
 */
public final class AastraSite {

    private static final Logger LOG = LoggerFactory.getLogger(AastraSite.class);

    /**
     * Property: the absolute path of the file that names the phone (its MAC file, or the global file). The same
     * name as the AudioCodes adapter's, so that tools find the source of any adapter's line.
     */
    public static final String SOURCE = org.sipfailover.api.config.LineProperties.SOURCE;
    /** Property: the folder the files are in; how this adapter finds its own configurations. */
    public static final String FOLDER = "aastra.folder";
    /** Property: the files read for the line, lowest precedence first. */
    public static final String FILES = "aastra.files";
    /** Property: the keys of the line marked {@code !} (locked) where they were last set. */
    public static final String LOCKED = "aastra.locked";
    /** Property: the keys of the line marked {@code ^} (forced) where they were last set. */
    public static final String FORCED = "aastra.forced";

    /** ConfigAdmin's own keys, never compared. */
    private static final Set<String> ADMIN_KEYS = Set.of("service.pid", "service.factoryPid", "service.bundleLocation");

    private final LineStore store;
    private final Set<String> models;
    private final Map<String, String> phoneModels;
    private final AastraReader reader = new AastraReader();
    /** folder -> file name in lower case -> the file as last read */
    private final Map<String, Map<String, Read>> folders = new HashMap<>();

    private record Read(Path path, FileNames.Kind kind, AastraFile file) {}

    /**
     * @param models the model names whose {@code <model>.cfg} is read (lower case)
     * @param phoneModels MAC address (12 hex digits, any case) to model name: the phones whose model file applies
     */
    public AastraSite(LineStore store, Set<String> models, Map<String, String> phoneModels) {
        this.store = Objects.requireNonNull(store, "store");
        Set<String> m = new HashSet<>();
        models.forEach(x -> m.add(x.toLowerCase(Locale.ROOT)));
        this.models = Set.copyOf(m);
        Map<String, String> pm = new HashMap<>();
        phoneModels.forEach((mac, model) -> pm.put(mac.toLowerCase(Locale.ROOT), model.toLowerCase(Locale.ROOT)));
        this.phoneModels = Map.copyOf(pm);
    }

    /**
     * Whether the file is one this adapter reads (in any folder): its name is, and a {@code <MAC>.cfg}, whose
     * name other vendors use too, holds Aastra lines (or cannot be read: then it changes nothing here, and no
     * other installer makes a configuration of a file that may hold passwords).
     */
    public boolean handles(Path file) {
        Path name = file.getFileName();
        FileNames.Kind kind = name == null ? null : FileNames.kind(name.toString(), models);
        if (kind != FileNames.Kind.MAC) {
            return kind != null;
        }
        try {
            return AastraFile.read(file).isAastra();
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** A file came or changed: reads it and the folder's lines again. */
    public synchronized void changed(Path file) {
        FileNames.Kind kind = FileNames.kind(file.getFileName().toString(), models);
        if (kind == null) {
            return;
        }
        if (readWhole(file)) {
            return;
        }
        AastraFile read;
        try {
            read = AastraFile.read(file);
        } catch (IOException | RuntimeException e) {
            LOG.error("aastra: {} cannot be read ({}); the lines it gives stay as they were", file, e.toString());
            return;
        }
        if (!read.isAastra()) {
            LOG.warn(
                    "aastra: {} is no Aastra file (no 'name: value' line); the lines it gives stay as they were", file);
            return;
        }
        String folder = folderOf(file);
        folders.computeIfAbsent(folder, f -> new HashMap<>())
                .put(file.getFileName().toString().toLowerCase(Locale.ROOT), new Read(file, kind, read));
        reconcile(folder);
    }

    /** A file went: the folder's lines are worked out again without it. */
    public synchronized void removed(Path file) {
        if (readWhole(file)) {
            return;
        }
        String folder = folderOf(file);
        Map<String, Read> files = folders.get(folder);
        if (files != null) {
            files.remove(file.getFileName().toString().toLowerCase(Locale.ROOT));
        }
        reconcile(folder);
    }

    /**
     * The first news of a folder not read yet (no folders configured, or the adapter restarted): reads the folder
     * whole, since its lines are worked out from all its files together; one file alone would take the other
     * phones' lines for stale and delete them. @return whether the folder was read (else: the caller reads the file
     * alone, as it can)
     */
    private boolean readWhole(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent == null || folders.containsKey(folderOf(file)) || !Files.isDirectory(parent)) {
            return false;
        }
        scan(parent);
        return folders.containsKey(folderOf(file));
    }

    /**
     * Reads every file of a folder and reconciles its lines, deleting those of files that went away while this
     * adapter was not running. A folder that cannot be listed changes nothing.
     */
    public synchronized void scan(Path folder) {
        Map<String, Read> found = new HashMap<>();
        String key = folderKey(folder);
        Map<String, Read> before = folders.getOrDefault(key, Map.of());
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder)) {
            for (Path p : dir) {
                FileNames.Kind kind = FileNames.kind(p.getFileName().toString(), models);
                if (kind == null || !Files.isRegularFile(p)) {
                    continue;
                }
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                try {
                    AastraFile f = AastraFile.read(p);
                    if (f.isAastra()) {
                        found.put(name, new Read(p, kind, f));
                    } else if (before.containsKey(name)) {
                        found.put(name, before.get(name)); // damaged since: its lines stay as they were
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.error("aastra: {} cannot be read ({}); the lines it gives stay as they were", p, e.toString());
                    Read old = before.get(name);
                    if (old != null) {
                        found.put(name, old);
                    } else {
                        return; // its lines, if any were published, must not be taken for stale
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("aastra: folder {} cannot be listed ({}); its lines stay as they were", folder, e.toString());
            return;
        }
        folders.put(key, found);
        reconcile(key);
    }

    /** The desired lines of a folder: name -> properties; names of lines to keep as they are in {@code keep}. */
    synchronized Map<String, Map<String, Object>> desired(String folder, Set<String> keep) {
        Map<String, Read> files = folders.getOrDefault(folder, Map.of());
        Read global = files.get(FileNames.STARTUP);
        Read aastra = files.get(FileNames.AASTRA);
        if (global != null && aastra != null) {
            LOG.warn(
                    "aastra: {} has both startup.cfg and aastra.cfg; startup.cfg is read (Mitel R4.2+), "
                            + "aastra.cfg is not",
                    folder);
        } else if (global == null) {
            global = aastra;
        }
        List<Read> macs = new ArrayList<>();
        files.values().stream()
                .filter(r -> r.kind() == FileNames.Kind.MAC)
                .sorted((a, b) -> a.path().getFileName().compareTo(b.path().getFileName()))
                .forEach(macs::add);
        Map<String, Map<String, Object>> out = new TreeMap<>();
        if (macs.isEmpty()) {
            if (global != null) {
                phone(
                        folder,
                        FileNames.stem(global.path().getFileName().toString()),
                        global.path(),
                        List.of(global.file()),
                        out,
                        keep);
            }
            return out;
        }
        for (Read mac : macs) {
            String phone = FileNames.stem(mac.path().getFileName().toString());
            List<AastraFile> set = new ArrayList<>();
            if (global != null) {
                set.add(global.file());
            }
            String model = phoneModels.get(phone);
            if (model != null) {
                Read m = files.get(model + ".cfg");
                if (m != null) {
                    set.add(m.file());
                } else {
                    LOG.debug("aastra: phone {} is a {}, but {} has no {}.cfg", phone, model, folder, model);
                }
            }
            set.add(mac.file());
            phone(folder, phone, mac.path(), set, out, keep);
        }
        return out;
    }

    private void phone(
            String folder,
            String phone,
            Path source,
            List<AastraFile> set,
            Map<String, Map<String, Object>> out,
            Set<String> keep) {
        AastraParseResult r = reader.read(phone, set);
        for (Problem p : r.problems()) {
            LOG.warn("aastra phone {}: {}", phone, p);
        }
        if (!r.extraKeys().isEmpty()) {
            LOG.debug("aastra phone {}: keys kept as extra, unknown to the line model: {}", phone, r.extraKeys());
        }
        List<String> fileNames = r.files();
        for (Map.Entry<Integer, LineConfig> e : r.lines().entrySet()) {
            Map<String, Object> props = new LinkedHashMap<>(LinePropertiesCodec.write(e.getValue()));
            props.put(SOURCE, source.toAbsolutePath().normalize().toString());
            props.put(FOLDER, folder);
            props.put(FILES, fileNames.toArray(String[]::new));
            if (!r.lockedKeys(e.getKey()).isEmpty()) {
                props.put(LOCKED, r.lockedKeys(e.getKey()).toArray(String[]::new));
            }
            if (!r.forcedKeys(e.getKey()).isEmpty()) {
                props.put(FORCED, r.forcedKeys(e.getKey()).toArray(String[]::new));
            }
            out.put(e.getValue().id(), props);
        }
        for (int n : r.failedLines()) {
            keep.add(AastraReader.lineId(phone, n));
        }
    }

    private void reconcile(String folder) {
        Set<String> keep = new HashSet<>();
        Map<String, Map<String, Object>> want = desired(folder, keep);
        Map<String, Map<String, Object>> have;
        try {
            have = store.lines(FOLDER, folder);
        } catch (IOException | RuntimeException e) {
            LOG.error("aastra: the lines of {} cannot be listed ({}); nothing changed", folder, e.toString());
            return;
        }
        for (Map.Entry<String, Map<String, Object>> e : want.entrySet()) {
            Map<String, Object> current = have.get(e.getKey());
            if (current != null && same(current, e.getValue())) {
                continue;
            }
            try {
                store.put(e.getKey(), e.getValue());
                LOG.info(
                        "aastra: line {} {} from {}",
                        e.getKey(),
                        current == null ? "published" : "updated",
                        e.getValue().get(SOURCE));
            } catch (IOException | RuntimeException ex) {
                LOG.error("aastra: line {} cannot be written ({})", e.getKey(), ex.toString());
            }
        }
        for (String name : have.keySet()) {
            if (!want.containsKey(name) && !keep.contains(name)) {
                try {
                    store.delete(name);
                    LOG.info("aastra: line {} deleted: no file of {} gives it any more", name, folder);
                } catch (IOException | RuntimeException ex) {
                    LOG.error("aastra: line {} cannot be deleted ({})", name, ex.toString());
                }
            }
        }
    }

    /** Whether stored properties equal wanted ones, ConfigAdmin's own keys aside; arrays by content. */
    static boolean same(Map<String, Object> stored, Map<String, Object> wanted) {
        Map<String, Object> s = new HashMap<>(stored);
        s.keySet().removeAll(ADMIN_KEYS);
        if (!s.keySet().equals(wanted.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : wanted.entrySet()) {
            Object a = s.get(e.getKey());
            Object b = e.getValue();
            if (a instanceof Object[] x && b instanceof Object[] y ? !Arrays.equals(x, y) : !Objects.equals(a, b)) {
                return false;
            }
        }
        return true;
    }

    /** The folder of a file as a stable string: the real path when it exists, else the normalised one. */
    static String folderOf(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent == null ? file.toAbsolutePath().toString() : folderKey(parent);
    }

    /** A folder as a stable string: its real path when it exists, else its normalised absolute path. */
    static String folderKey(Path folder) {
        Path abs = folder.toAbsolutePath().normalize();
        try {
            return abs.toRealPath().toString();
        } catch (IOException e) {
            return abs.toString();
        }
    }

    /** For tests: the folders known, each with its file names. */
    synchronized Map<String, Set<String>> known() {
        Map<String, Set<String>> out = new TreeMap<>();
        folders.forEach((f, files) -> out.put(f, Collections.unmodifiableSet(new HashSet<>(files.keySet()))));
        return out;
    }
}
