// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common.configadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files FileInstall's configuration installer took first: a vendor's are adopted and followed through the
 * configuration's updates and deletion; others are left alone.
 */
class AdoptedFilesTest {

    @TempDir
    Path dir;

    /** Adopts files whose name ends in {@code .vendor.cfg}; records what it is asked to do. */
    private final List<String> calls = new ArrayList<>();

    private final AdoptedFiles adopted = new AdoptedFiles("Test", new AdoptedFiles.Adapter() {
        @Override
        public boolean adopts(Path file) {
            return file.getFileName().toString().endsWith(".vendor.cfg");
        }

        @Override
        public void changed(Path file) {
            calls.add("changed " + file.getFileName());
        }

        @Override
        public void removed(Path file) {
            calls.add("removed " + file.getFileName());
        }
    });

    @Test
    void aVendorFileIsAdoptedByUrlOrPathAndItsLinesPublished() throws IOException {
        Path file = Files.writeString(dir.resolve("a.vendor.cfg"), "x");

        assertThat(adopted.updated("a", file.toUri().toString())).isTrue();
        assertThat(adopted.updated("b", file.toString())).isTrue();

        assertThat(calls).containsExactly("changed a.vendor.cfg", "changed a.vendor.cfg");
        assertThat(adopted.isAdopted("a")).isTrue();
    }

    @Test
    void otherFilesAreNotAdopted() {
        assertThat(adopted.updated(
                        "org.apache.karaf.shell",
                        dir.resolve("org.apache.karaf.shell.cfg").toUri().toString()))
                .isFalse();
        assertThat(adopted.updated("bad", "file:not a uri")).isFalse();
        assertThat(calls).isEmpty();
        assertThat(adopted.isAdopted("org.apache.karaf.shell")).isFalse();
    }

    @Test
    void theLinesGoWhenTheFileAndItsConfigurationGo() throws IOException {
        Path file = Files.writeString(dir.resolve("a.vendor.cfg"), "x");
        adopted.updated("a", file.toString());
        Files.delete(file);

        adopted.deleted("a");

        assertThat(calls).containsExactly("changed a.vendor.cfg", "removed a.vendor.cfg");
        assertThat(adopted.isAdopted("a")).isFalse();
    }

    @Test
    void aConfigurationDeletedWhileItsFileStaysLeavesTheLines() throws IOException {
        Path file = Files.writeString(dir.resolve("a.vendor.cfg"), "x");
        adopted.updated("a", file.toString());

        adopted.deleted("a");
        adopted.deleted("never-adopted");

        assertThat(calls).containsExactly("changed a.vendor.cfg");
    }
}
