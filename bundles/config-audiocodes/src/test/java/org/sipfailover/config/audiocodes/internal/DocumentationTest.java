// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.LineSetting;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.Setting;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.SrvField;

/** The README's key table lists every key the code reads, with the code's tag. */
class DocumentationTest {

    @Test
    void everyKeyIsDocumentedWithItsTag() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("README.md")).stream()
                .filter(l -> l.startsWith("| `"))
                .toList();

        for (Setting s : Setting.values()) {
            assertRow(rows, "S/" + s.key.substring(AudioCodesKeys.SIP.length()), s.tag.name());
            if (s.legacyKey != null) {
                assertRow(rows, "S/" + s.legacyKey.substring(AudioCodesKeys.SIP.length()), "C (legacy)");
            }
        }
        for (LineSetting s : LineSetting.values()) {
            assertRow(rows, "voip/line/N/" + s.name, s.tag.name());
        }
        for (SrvField f : SrvField.values()) {
            assertRow(rows, "voip/dns_cache_srv/N/" + f.name, f.tag.name());
        }
    }

    private static void assertRow(List<String> rows, String key, String tag) {
        assertThat(rows).as("README row of " + key).anyMatch(r -> r.startsWith("| `" + key + "` | " + tag + " |"));
    }
}
