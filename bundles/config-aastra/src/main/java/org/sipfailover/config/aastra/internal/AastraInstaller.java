package org.sipfailover.config.aastra.internal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix FileInstall hands this adapter the Aastra/Mitel files of its watched folders; each phone line becomes
 * one factory configuration of lines, kept in step with the files. The work is done by {@link AastraSite}.
 *
 * <p>The service ranking puts this installer before FileInstall's own ConfigInstaller, which would otherwise
 * take every {@code *.cfg} file for a configuration of its own.
 */
@Component(service = ArtifactInstaller.class, configurationPid = AastraInstaller.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = Constants.SERVICE_RANKING + ":Integer=" + AastraInstaller.RANKING)
@Designate(ocd = AastraInstallerConfig.class)
public final class AastraInstaller implements ArtifactInstaller {

    /** The adapter's configuration PID. */
    public static final String PID = "org.sipfailover.config.aastra";
    static final int RANKING = 100;

    private static final Logger LOG = LoggerFactory.getLogger(AastraInstaller.class);

    private final AastraSite site;
    /** The folders handled; empty = any. */
    private final Set<String> folders;

    @Activate
    public AastraInstaller(@Reference ConfigurationAdmin configAdmin, AastraInstallerConfig config) {
        // no folders configured: every folder FileInstall watches. Not the framework property felix.fileinstall.dir
        // alone: in Karaf that is etc/, and phone files go to deploy/ (a FileInstall factory configuration)
        Set<String> keys = new TreeSet<>();
        for (String d : config.folders()) {
            keys.add(AastraSite.folderKey(Path.of(d.trim())));
        }
        this.folders = Set.copyOf(keys);
        Set<String> models = Set.of(config.models());
        ConfigAdminLineStore store = new ConfigAdminLineStore(configAdmin);
        this.site = new AastraSite(store, models, phoneModels(config.phoneModels()));
        for (String d : folders) {
            if (Files.isDirectory(Path.of(d))) {
                site.scan(Path.of(d));
            }
        }
        LOG.info("aastra: reading phone files in {}", folders.isEmpty() ? "every folder FileInstall watches" : folders);
        reportFilesTakenAsConfigurations(store, models);
    }

    /**
     * Phone files that FileInstall saw before this adapter was there went to its own configuration installer,
     * which keeps them: their changes never reach this adapter. Worse, where configurations are written back into
     * their files (felix.fileinstall.enableConfigSave, Karaf's default), it has rewritten them as properties:
     * Aastra's {@code name: value} lines all begin with a few common words ({@code sip ...}), and one value per
     * first word is left. Such a file is not read here: it is reported, with what to do.
     */
    private void reportFilesTakenAsConfigurations(ConfigAdminLineStore store, Set<String> models) {
        try {
            takenAsConfigurations(store.fileInstallConfigurations(), models, folders).entrySet().stream()
                    // a <MAC>.cfg name is other vendors' too: only a file written the Aastra way
                    .filter(e -> Files.isRegularFile(e.getValue()) && site.handles(e.getValue()))
                    .forEach(e -> report(e.getKey(), e.getValue()));
        } catch (IOException | RuntimeException e) {
            LOG.debug("aastra: cannot look for phone files taken as plain configurations: {}", e.toString());
        }
    }

    private static void report(String pid, Path file) {
        LOG.error("aastra: {} was taken by Felix FileInstall as configuration {} before this adapter started; "
                + "FileInstall keeps it, and may have written that configuration back into it (Karaf does), leaving "
                + "one value per first word. Remove the file from its folder, wait until FileInstall has deleted "
                + "configuration {}, and copy the original in again: this adapter then reads it. Install "
                + "sip-failover before dropping phone files into a folder FileInstall watches", file, pid, pid);
    }

    /**
     * Of FileInstall's configurations (PID to the file it was made of, a {@code file:} URL or a path), those made
     * of files this adapter would read: Aastra file names, in the folders handled (all when {@code folders} is
     * empty). @return PID to file
     */
    static Map<String, Path> takenAsConfigurations(Map<String, String> fileInstallConfigurations, Set<String> models,
            Set<String> folders) {
        Set<String> lower = new HashSet<>();
        models.forEach(m -> lower.add(m.toLowerCase(Locale.ROOT)));
        Map<String, Path> out = new TreeMap<>();
        fileInstallConfigurations.forEach((pid, location) -> {
            Path file;
            try {
                file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
            } catch (RuntimeException e) {
                return;
            }
            Path name = file.getFileName();
            if (name != null && FileNames.kind(name.toString(), lower) != null
                    && (folders.isEmpty() || folders.contains(AastraSite.folderOf(file)))) {
                out.put(pid, file);
            }
        });
        return out;
    }

    private static Map<String, String> phoneModels(String[] entries) {
        Map<String, String> out = new HashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                LOG.warn("aastra: phoneModels entry '{}' ignored: expected <MAC>=<model>", e);
                continue;
            }
            out.put(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
        }
        return out;
    }

    @Override
    public boolean canHandle(File artifact) {
        Path p = artifact.toPath();
        return (folders.isEmpty() || folders.contains(AastraSite.folderOf(p))) && site.handles(p);
    }

    @Override
    public void install(File artifact) {
        site.changed(artifact.toPath());
    }

    @Override
    public void update(File artifact) {
        site.changed(artifact.toPath());
    }

    @Override
    public void uninstall(File artifact) {
        site.removed(artifact.toPath());
    }
}
