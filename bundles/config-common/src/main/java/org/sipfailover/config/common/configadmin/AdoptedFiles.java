// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common.configadmin;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.cm.ConfigurationEvent;
import org.sipfailover.api.config.LineConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vendor files that Felix FileInstall's own configuration installer took before an adapter was running, and
 * that the adapter adopts. A file already in a watched folder when the adapter comes is one: in Karaf,
 * {@code deploy/} is scanned before any feature is installed, boot features included. FileInstall never hands
 * such a file over: it stays with that installer, which turns each change of the file into an update of its
 * configuration (property {@code felix.fileinstall.filename}) and the file's removal into the configuration's
 * deletion. So the adapter adopts the file: it publishes the file's lines, and follows the file through that
 * configuration's events.
 *
 * <p>A plain class: the adapter's DS component hands it FileInstall's configurations and their events.
 */
public final class AdoptedFiles {

    /** What an adapter does with the files it adopts. */
    public interface Adapter {
        /** Whether a file that FileInstall took is one of this adapter's. */
        boolean adopts(Path file);

        /** The file is new to the adapter, or changed: its lines are published again. */
        void changed(Path file);

        /** The file is gone: its lines go. */
        void removed(Path file);
    }

    private static final Logger LOG = LoggerFactory.getLogger(AdoptedFiles.class);

    private final String vendor;
    private final Adapter adapter;
    /** FileInstall's configuration PID to the vendor file it was made of. */
    private final Map<String, Path> files = new HashMap<>();

    /** @param vendor the vendor's name, as log lines give it */
    public AdoptedFiles(String vendor, Adapter adapter) {
        this.vendor = Objects.requireNonNull(vendor, "vendor");
        this.adapter = Objects.requireNonNull(adapter, "adapter");
    }

    /**
     * A configuration that FileInstall made of a file, there when the adapter starts or updated since (the file
     * changed). A vendor file's is adopted, and the file's lines are published again.
     *
     * @param location the configuration's {@code felix.fileinstall.filename}: a {@code file:} URL or a path
     * @return whether the file is an adopted vendor file
     */
    public synchronized boolean updated(String pid, String location) {
        Path file = path(location);
        if (file == null || !(files.containsKey(pid) || adapter.adopts(file))) {
            return false;
        }
        files.put(pid, file);
        adapter.changed(file);
        return true;
    }

    /**
     * FileInstall deleted a configuration: when it was an adopted file's and the file is gone, the file's lines
     * go. (A configuration deleted while its file stays changes nothing: the lines follow the file.)
     */
    public synchronized void deleted(String pid) {
        Path file = files.remove(pid);
        if (file != null && !Files.exists(file)) {
            adapter.removed(file);
        }
    }

    /** Whether the configuration is an adopted file's. */
    public synchronized boolean isAdopted(String pid) {
        return files.containsKey(pid);
    }

    /**
     * Adopts the vendor files FileInstall saw before the adapter existed: taken by its configuration installer as
     * plain configurations, passwords included, and kept there. Their lines are published from the files all the
     * same, and follow them. Never throws: a failure is logged.
     */
    public void adoptAll(ConfigAdminLineStore store) {
        try {
            for (Map.Entry<String, String> e : store.fileInstallConfigurations().entrySet()) {
                if (updated(e.getKey(), e.getValue())) {
                    LOG.warn(
                            "{} file {} was taken by Felix FileInstall as configuration {} before this adapter "
                                    + "started: its lines are published from the file and follow it, but FileInstall keeps "
                                    + "that configuration, which holds the file's keys, passwords included. To give the file "
                                    + "to this adapter alone, move it out of the folder and, once FileInstall has deleted "
                                    + "configuration {}, back in",
                            vendor,
                            e.getValue(),
                            e.getKey(),
                            e.getKey());
                }
            }
        } catch (Exception e) {
            LOG.warn("{}: cannot look for files taken as plain configurations: {}", vendor, e.toString());
        }
    }

    /**
     * Follows the files FileInstall's configuration installer keeps, their changes and their removal, from a
     * ConfigAdmin event. Never throws: a failure is logged.
     */
    public void configurationEvent(ConfigurationEvent event, ConfigAdminLineStore store) {
        try {
            if (event.getType() == ConfigurationEvent.CM_DELETED) {
                deleted(event.getPid());
            } else if (event.getType() == ConfigurationEvent.CM_UPDATED
                    && !LineConfig.FACTORY_PID.equals(event.getFactoryPid())) {
                // not the lines' own configurations, the adapters' writes: FileInstall's are named after files
                store.fileInstallFile(event.getPid()).ifPresent(file -> updated(event.getPid(), file));
            }
        } catch (Exception e) {
            LOG.warn(
                    "{}: configuration {} ({}) not followed: {}",
                    vendor,
                    event.getPid(),
                    event.getType(),
                    e.toString());
        }
    }

    private static Path path(String location) {
        try {
            return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
