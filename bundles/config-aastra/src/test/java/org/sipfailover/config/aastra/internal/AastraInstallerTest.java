// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which of the files FileInstall's own configuration installer took are phone files, and so are adopted. */
class AastraInstallerTest {

    private static final Set<String> MODELS = Set.of(FileNames.DEFAULT_MODELS);

    @Test
    void filesWithAastraNamesArePhoneFilesAndNoOthers() {
        assertThat(AastraInstaller.isPhoneFile(Path.of("/opt/karaf/deploy/aastra.cfg"), MODELS, Set.of()))
                .isTrue();
        assertThat(AastraInstaller.isPhoneFile(Path.of("/opt/karaf/deploy/00085D1A2B3C.cfg"), MODELS, Set.of()))
                .isTrue();
        assertThat(AastraInstaller.isPhoneFile(Path.of("/opt/karaf/deploy/6757i.cfg"), MODELS, Set.of()))
                .isTrue();
        assertThat(AastraInstaller.isPhoneFile(Path.of("/opt/karaf/etc/org.apache.karaf.shell.cfg"), MODELS, Set.of()))
                .isFalse();
        assertThat(AastraInstaller.isPhoneFile(
                        Path.of("/opt/karaf/etc/org.sipfailover.line-alice.cfg"), MODELS, Set.of()))
                .isFalse();
    }

    @Test
    void withFoldersConfiguredOnlyTheirFilesArePhoneFiles() {
        Set<String> folders = Set.of(AastraSite.folderKey(Path.of("/nowhere/phones")));

        assertThat(AastraInstaller.isPhoneFile(Path.of("/nowhere/phones/aastra.cfg"), MODELS, folders))
                .isTrue();
        assertThat(AastraInstaller.isPhoneFile(Path.of("/nowhere/other/00085D1A2B3C.cfg"), MODELS, folders))
                .isFalse();
    }
}
