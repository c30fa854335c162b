// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.sipfailover.config.common.configadmin.AdoptedFiles;
import org.sipfailover.config.common.configadmin.ConfigAdminLineStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix FileInstall hands this adapter the Aastra/Mitel files of its watched folders; each phone line becomes
 * one factory configuration of lines, kept in step with the files. The work is done by {@link AastraSite}.
 *
 * <p>The service ranking puts this installer before FileInstall's own ConfigInstaller, which would otherwise
 * take every {@code *.cfg} file for a configuration of its own. A file FileInstall saw before this installer
 * existed went to that configuration installer for good; the adapter adopts it ({@link AdoptedFiles}), which is
 * why the component is a {@link ConfigurationListener} too.
 */
@Component(
        service = {ArtifactInstaller.class, ConfigurationListener.class},
        configurationPid = AastraInstaller.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = Constants.SERVICE_RANKING + ":Integer=" + AastraInstaller.RANKING)
@Designate(ocd = AastraInstallerConfig.class)
public final class AastraInstaller implements ArtifactInstaller, ConfigurationListener {

    /** The adapter's configuration PID. */
    public static final String PID = "org.sipfailover.config.aastra";

    static final int RANKING = 100;

    private static final Logger LOG = LoggerFactory.getLogger(AastraInstaller.class);

    private final AastraSite site;
    private final ConfigAdminLineStore store;
    private final AdoptedFiles adopted;
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
        this.store = new ConfigAdminLineStore(configAdmin);
        this.site = new AastraSite(store, models, phoneModels(config.phoneModels()));
        for (String d : folders) {
            if (Files.isDirectory(Path.of(d))) {
                site.scan(Path.of(d));
            }
        }
        LOG.info("aastra: reading phone files in {}", folders.isEmpty() ? "every folder FileInstall watches" : folders);
        Set<String> lowerModels = lowerCase(models);
        this.adopted = new AdoptedFiles("Aastra", new AdoptedFiles.Adapter() {
            @Override
            public boolean adopts(Path file) {
                // a <MAC>.cfg name is other vendors' too: only a file written the Aastra way
                return isPhoneFile(file, lowerModels, folders) && Files.isRegularFile(file) && site.handles(file);
            }

            @Override
            public void changed(Path file) {
                site.changed(file);
            }

            @Override
            public void removed(Path file) {
                site.removed(file);
            }
        });
        adopted.adoptAll(store);
    }

    /** Follows the phone files FileInstall's configuration installer keeps: their changes and their removal. */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        adopted.configurationEvent(event, store);
    }

    /**
     * Whether a file FileInstall made a configuration of has the name of a file this adapter reads, in a folder
     * handled (any when {@code folders} is empty).
     *
     * @param models the model names, lower case
     */
    static boolean isPhoneFile(Path file, Set<String> models, Set<String> folders) {
        Path name = file.getFileName();
        return name != null
                && FileNames.kind(name.toString(), models) != null
                && (folders.isEmpty() || folders.contains(AastraSite.folderOf(file)));
    }

    private static Set<String> lowerCase(Set<String> models) {
        Set<String> lower = new HashSet<>();
        models.forEach(m -> lower.add(m.toLowerCase(Locale.ROOT)));
        return lower;
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
