// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.config.common.configadmin.AdoptedFiles;

/**
 * AudioCodes files that FileInstall's configuration installer took before the adapter ran: their lines are
 * published, follow the file's changes (the configuration's updates) and go with it (its deletion).
 */
class AdoptedFilesTest {

    private static final String LINE0 = "audiocodes-00908f4c5d6e-line0";
    private static final String LINE1 = "audiocodes-00908f4c5d6e-line1";

    @TempDir
    Path dir;

    private final LinePublisherTest.MapStore store = new LinePublisherTest.MapStore();
    private AdoptedFiles adopted;
    private Path file;

    @BeforeEach
    void setUp() throws IOException {
        adopted = new AdoptedFiles("AudioCodes", AudioCodesInstaller.adapter(new LinePublisher(store)));
        file = dir.resolve("00908f4c5d6e.cfg");
        Files.writeString(file, Golden.example());
    }

    @Test
    void anAudioCodesFileTakenByFileInstallIsAdoptedAndItsLinesPublished() {
        assertThat(adopted.updated("00908f4c5d6e", file.toUri().toString())).isTrue();

        assertThat(store.lines).containsOnlyKeys(LINE0, LINE1);
        assertThat(store.lines.get(LINE0))
                .containsEntry(LinePublisher.SOURCE, file.toFile().getAbsolutePath());
        assertThat(adopted.isAdopted("00908f4c5d6e")).isTrue();
    }

    @Test
    void otherConfigurationsOfFilesAreNotAdopted() throws IOException {
        Path karaf = dir.resolve("org.apache.karaf.shell.cfg");
        Files.writeString(karaf, "sshPort = 8101\n");

        assertThat(adopted.updated("org.apache.karaf.shell", karaf.toUri().toString()))
                .isFalse();
        assertThat(adopted.updated("gone", dir.resolve("gone.cfg").toString())).isFalse();
        assertThat(store.lines).isEmpty();
    }

    @Test
    void theLinesFollowTheFileThroughTheConfigurationsUpdates() throws IOException {
        adopted.updated("00908f4c5d6e", file.toUri().toString());
        Files.writeString(
                file,
                Golden.example()
                        .replace("voip/line/1/description=Front Desk 2", "voip/line/1/description=Back Office"));

        adopted.updated("00908f4c5d6e", file.toUri().toString());

        assertThat(store.lines.get(LINE1)).containsEntry(LineProperties.DISPLAY_NAME, "Back Office");
    }

    @Test
    void theLinesGoWhenTheFileAndItsConfigurationGo() throws IOException {
        adopted.updated("00908f4c5d6e", file.toString());
        Files.delete(file);

        adopted.deleted("00908f4c5d6e");

        assertThat(store.lines).isEmpty();
        assertThat(adopted.isAdopted("00908f4c5d6e")).isFalse();
    }

    @Test
    void aConfigurationDeletedWhileItsFileStaysLeavesTheLines() {
        adopted.updated("00908f4c5d6e", file.toUri().toString());

        adopted.deleted("00908f4c5d6e");
        adopted.deleted("never-adopted");

        assertThat(store.lines).containsOnlyKeys(LINE0, LINE1);
    }
}
