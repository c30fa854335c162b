// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import java.io.File;
import java.nio.file.Path;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.sipfailover.config.common.configadmin.AdoptedFiles;
import org.sipfailover.config.common.configadmin.ConfigAdminLineStore;

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
@Component(
        service = {ArtifactInstaller.class, ConfigurationListener.class},
        property = "service.ranking:Integer=" + AudioCodesInstaller.RANKING)
public final class AudioCodesInstaller implements ArtifactInstaller, ConfigurationListener {

    static final int RANKING = 1000;

    private final LinePublisher publisher;
    private final ConfigAdminLineStore store;
    private final AdoptedFiles adopted;

    /** @param configurationAdmin static: the lines live there; a new ConfigAdmin means a new installer */
    @Activate
    public AudioCodesInstaller(@Reference ConfigurationAdmin configurationAdmin) {
        this.store = new ConfigAdminLineStore(configurationAdmin);
        this.publisher = new LinePublisher(store);
        this.adopted = new AdoptedFiles("AudioCodes", adapter(publisher));
        publisher.pruneOrphans();
        adopted.adoptAll(store);
    }

    /** What adopting a file means here: an AudioCodes file's lines are published, and withdrawn with it. */
    static AdoptedFiles.Adapter adapter(LinePublisher publisher) {
        return new AdoptedFiles.Adapter() {
            @Override
            public boolean adopts(Path file) {
                return AudioCodesFiles.looksLikeAudioCodes(file);
            }

            @Override
            public void changed(Path file) {
                publisher.publish(file.toFile());
            }

            @Override
            public void removed(Path file) {
                publisher.withdraw(file.toFile());
            }
        };
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
        adopted.configurationEvent(event, store);
    }
}
