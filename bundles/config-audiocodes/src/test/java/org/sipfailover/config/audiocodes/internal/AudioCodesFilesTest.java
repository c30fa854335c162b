// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files are AudioCodes files, how they are decoded, how their lines are named. */
class AudioCodesFilesTest {

    @TempDir
    Path dir;

    @Test
    void audioCodesFilesAreClaimedWhateverTheirName() throws IOException {
        assertThat(claims("00908f4c5d6e.cfg", Golden.example())).isTrue();
        assertThat(claims("front-desk.CFG", "# x\r\n  voip/line/0/id=1\r\n")).isTrue();
        assertThat(claims("bom.cfg", "\ufeffvoip/line/0/id=1")).isTrue();
    }

    @Test
    void aastraFilesAreNeverClaimed() throws IOException {
        String aastra = "# global\nsip proxy ip: 192.0.2.10\nsip line1 user name: 2101\nsip dial plan: \"x+#|xx+*\"\n"
                + "xml application URI: http://192.0.2.1/app?voip/x=1\n";
        assertThat(claims("aastra.cfg", aastra)).isFalse();
        assertThat(claims("startup.cfg", aastra)).isFalse();
        assertThat(claims("6757i.cfg", aastra)).isFalse();
        assertThat(claims("00085D1A2B3C.cfg", aastra)).isFalse();
        // even a stray AudioCodes-looking line does not make Aastra's global files ours
        assertThat(claims("aastra.cfg", "voip/line/0/id=1\n")).isFalse();
    }

    @Test
    void theAastraExamplesOfTheRepositoryAreNotClaimed() throws IOException {
        Path aastra = Path.of("../../examples/aastra");
        assumeTrue(Files.isDirectory(aastra), "no Aastra examples yet");
        try (Stream<Path> files = Files.list(aastra)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all)
                    .allSatisfy(f -> assertThat(AudioCodesFiles.looksLikeAudioCodes(f))
                            .as(f.toString())
                            .isFalse());
        }
    }

    @Test
    void otherFilesAreNotClaimed() throws IOException {
        assertThat(claims("org.apache.felix.fileinstall-deploy.cfg", "felix.fileinstall.dir = deploy\n"))
                .isFalse();
        assertThat(claims("00908f4c5d6e.config", Golden.example())).isFalse();
        assertThat(claims("notes.cfg", "see voip/line/0/id = 1 in the manual\n"))
                .isFalse();
        assertThat(claims("colon.cfg", "voip/line/0/id: 1\n")).isFalse();
        assertThat(claims("empty.cfg", "")).isFalse();
        assertThat(AudioCodesFiles.looksLikeAudioCodes(dir.resolve("missing.cfg")))
                .isFalse();
        assertThat(AudioCodesFiles.looksLikeAudioCodes(dir)).isFalse();
    }

    @Test
    void stemsAreSafeConfigurationNames() {
        assertThat(AudioCodesFiles.stem("00908f4c5d6e.cfg")).isEqualTo("00908f4c5d6e");
        assertThat(AudioCodesFiles.stem("/etc/phones/Front Desk (2).CFG")).isEqualTo("Front_Desk__2_");
        assertThat(AudioCodesFiles.stem(".cfg")).isEqualTo("_");
        assertThat(AudioCodesFiles.lineId("00908f4c5d6e", 1)).isEqualTo("audiocodes-00908f4c5d6e-line1");
    }

    @Test
    void textIsUtf8OrElseLatin1() {
        byte[] utf8 = "\ufeffvoip/line/0/description=Réception".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "voip/line/0/description=Réception".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(AudioCodesFiles.decode(utf8)).isEqualTo("voip/line/0/description=Réception");
        assertThat(AudioCodesFiles.decode(latin1)).isEqualTo("voip/line/0/description=Réception");
    }

    @Test
    void filesLargerThanTheLimitAreUnreadable() throws IOException {
        Path big = dir.resolve("big.cfg");
        Files.write(big, new byte[AudioCodesFiles.MAX_BYTES + 1]);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AudioCodesFiles.read(big))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("larger than");
    }

    private boolean claims(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        try {
            return AudioCodesFiles.looksLikeAudioCodes(f);
        } finally {
            Files.delete(f);
        }
    }
}
