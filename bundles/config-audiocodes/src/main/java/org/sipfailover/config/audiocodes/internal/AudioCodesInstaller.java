package org.sipfailover.config.audiocodes.internal;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix FileInstall's hook for AudioCodes 400HD files in its watched folders: publishes one
 * {@code org.sipfailover.line} factory configuration per phone line (see {@link LinePublisher}); the
 * file rule is {@link AudioCodesFiles}.
 *
 * <p>Ranked above FileInstall's own configuration installer, which takes every {@code *.cfg} file as a
 * ConfigAdmin configuration: FileInstall asks the highest-ranked installer first, so an AudioCodes file is
 * ours, and an Aastra or PID file is left to the others.
 */
@Component(service = ArtifactInstaller.class, property = "service.ranking:Integer=" + AudioCodesInstaller.RANKING)
public final class AudioCodesInstaller implements ArtifactInstaller {

    static final int RANKING = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(AudioCodesInstaller.class);

    private final LinePublisher publisher;

    /** @param configurationAdmin static: the lines live there; a new ConfigAdmin means a new installer */
    @Activate
    public AudioCodesInstaller(@Reference ConfigurationAdmin configurationAdmin) {
        ConfigAdminLineStore store = new ConfigAdminLineStore(configurationAdmin);
        this.publisher = new LinePublisher(store);
        publisher.pruneOrphans();
        warnAboutFilesTakenAsConfigurations(store);
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

    /**
     * An AudioCodes file that FileInstall saw before this installer existed has been read by its
     * configuration installer as a plain configuration, passwords included, and stays with it.
     */
    private static void warnAboutFilesTakenAsConfigurations(ConfigAdminLineStore store) {
        try {
            for (Map.Entry<String, String> e : store.fileInstallConfigurations().entrySet()) {
                Path file = Path.of(URI.create(e.getValue()));
                if (AudioCodesFiles.looksLikeAudioCodes(file)) {
                    LOG.warn("AudioCodes file {} was taken by FileInstall as configuration {} before this adapter "
                            + "started, and that configuration holds its keys, passwords included. Move the file out "
                            + "of the folder (FileInstall then deletes that configuration) and back in; to avoid this, "
                            + "start the sip-failover config-audiocodes bundle before FileInstall scans, or watch "
                            + "AudioCodes files in a folder of their own", file, e.getKey());
                }
            }
        } catch (Exception e) {
            LOG.debug("cannot look for AudioCodes files taken as plain configurations: {}", e.toString());
        }
    }
}
