// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceIdTest {

    @TempDir
    Path dir;

    @Test
    void madeOnceAndKept() throws Exception {
        Path file = dir.resolve("data/instance-id");
        String first = InstanceId.loadOrCreate(file);
        String again = InstanceId.loadOrCreate(file);

        assertThat(first).matches("urn:uuid:[0-9a-f-]{36}");
        assertThat(again).isEqualTo(first);
    }

    @Test
    void aDamagedFileIsReplaced() throws Exception {
        Path file = dir.resolve("instance-id");
        Files.writeString(file, "garbage");

        assertThat(InstanceId.loadOrCreate(file)).startsWith("urn:uuid:");
        assertThat(Files.readString(file).trim()).startsWith("urn:uuid:");
    }
}
