package org.sipfailover.config.audiocodes.internal;

import java.io.File;
import java.util.Map;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sipfailover.api.config.LineConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix FileInstall's hook for AudioCodes 400HD files in its watched folders: publishes one
 * {@code org.sipfailover.line} factory configuration per phone line (see {@link LinePublisher}); the
 * file rule is {@link AudioCodesFiles}.
 *
 * <p>Ranked above FileInstall's own configuration installer, which takes every {@code *.cfg} file as a
 * ConfigAdmin configuration: FileInstall asks the highest-ranked installer first, so an AudioCodes file is
 * ours, and an Aastra or PID file is left to the others. A file FileInstall saw before this installer existed
 * went to that configuration installer for good; the adapter adopts it ({@link AdoptedFiles}), which is why the
 * component is a {@link ConfigurationListener} too.
 */
@Component(service = {ArtifactInstaller.class, ConfigurationListener.class},
        property = "service.ranking:Integer=" + AudioCodesInstaller.RANKING)
public final class AudioCodesInstaller implements ArtifactInstaller, ConfigurationListener {

    static final int RANKING = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(AudioCodesInstaller.class);

    private final LinePublisher publisher;
    private final ConfigAdminLineStore store;
    private final AdoptedFiles adopted;

    /** @param configurationAdmin static: the lines live there; a new ConfigAdmin means a new installer */
    @Activate
    public AudioCodesInstaller(@Reference ConfigurationAdmin configurationAdmin) {
        this.store = new ConfigAdminLineStore(configurationAdmin);
        this.publisher = new LinePublisher(store);
        this.adopted = new AdoptedFiles(publisher);
        publisher.pruneOrphans();
        adoptFilesTakenAsConfigurations();
    }

    @Override
    public boolean canHandle(File artifact) {
        return publisher.canHandle(artifact);
    }

    @Override
    public void install(File artifact) {
        publisher.publish(artifact);
    }

    @Override
    public void update(File artifact) {
        publisher.publish(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        publisher.withdraw(artifact);
    }

    /** Follows the files FileInstall's configuration installer keeps: their changes and their removal. */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        try {
            if (event.getType() == ConfigurationEvent.CM_DELETED) {
                adopted.deleted(event.getPid());
            } else if (event.getType() == ConfigurationEvent.CM_UPDATED
                    && !LineConfig.FACTORY_PID.equals(event.getFactoryPid())) {
                // not the lines' own configurations, the adapters' writes: FileInstall's are named after files
                store.fileInstallFile(event.getPid()).ifPresent(file -> adopted.updated(event.getPid(), file));
            }
        } catch (Exception e) {
            LOG.warn("AudioCodes: configuration {} ({}) not followed: {}", event.getPid(), event.getType(), e.toString());
        }
    }

    /**
     * The AudioCodes files FileInstall saw before this installer existed: taken by its configuration installer as
     * plain configurations, passwords included, and kept there. Their lines are published from the files all the
     * same, and follow them.
     */
    private void adoptFilesTakenAsConfigurations() {
        try {
            for (Map.Entry<String, String> e : store.fileInstallConfigurations().entrySet()) {
                if (adopted.updated(e.getKey(), e.getValue())) {
                    LOG.warn("AudioCodes file {} was taken by Felix FileInstall as configuration {} before this adapter "
                            + "started: its lines are published from the file and follow it, but FileInstall keeps "
                            + "that configuration, which holds the file's keys, passwords included. To give the file "
                            + "to this adapter alone, move it out of the folder and, once FileInstall has deleted "
                            + "configuration {}, back in", e.getValue(), e.getKey(), e.getKey());
                }
            }
        } catch (Exception e) {
            LOG.warn("AudioCodes: cannot look for files taken as plain configurations: {}", e.toString());
        }
    }
}
