package org.sipfailover.config.aastra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which of FileInstall's own configurations were made of phone files, and so are reported. */
class AastraInstallerTest {

    private static final Set<String> MODELS = Set.of(FileNames.DEFAULT_MODELS);

    @Test
    void configurationsMadeOfAastraFileNamesAreFoundAndNoOthers() {
        Map<String, String> fileInstall = Map.of(
                "aastra", "file:/opt/karaf/deploy/aastra.cfg",
                "00085D1A2B3C", "file:/opt/karaf/deploy/00085D1A2B3C.cfg",
                "6757i", "/opt/karaf/deploy/6757i.cfg",
                "org.apache.karaf.shell", "file:/opt/karaf/etc/org.apache.karaf.shell.cfg",
                "org.sipfailover.line~alice", "file:/opt/karaf/etc/org.sipfailover.line-alice.cfg");

        assertThat(AastraInstaller.takenAsConfigurations(fileInstall, MODELS, Set.of())).containsOnly(
                Map.entry("aastra", Path.of("/opt/karaf/deploy/aastra.cfg")),
                Map.entry("00085D1A2B3C", Path.of("/opt/karaf/deploy/00085D1A2B3C.cfg")),
                Map.entry("6757i", Path.of("/opt/karaf/deploy/6757i.cfg")));
    }

    @Test
    void withFoldersConfiguredOnlyTheirFilesAreFound() {
        Map<String, String> fileInstall = Map.of(
                "aastra", "file:/nowhere/phones/aastra.cfg",
                "00085D1A2B3C", "file:/nowhere/other/00085D1A2B3C.cfg");

        assertThat(AastraInstaller.takenAsConfigurations(fileInstall, MODELS,
                Set.of(AastraSite.folderKey(Path.of("/nowhere/phones"))))).containsOnlyKeys("aastra");
    }
}
