// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.config.common.LinePropertiesCodec;
import org.sipfailover.config.common.LineStore;
import org.sipfailover.config.common.Problem;

/** Publication: one configuration per line; only changed lines rewritten; removal; failures change nothing. */
class LinePublisherTest {

    @TempDir
    Path dir;

    private final MapStore store = new MapStore();
    private LinePublisher publisher;
    private File file;

    @BeforeEach
    void setUp() throws IOException {
        publisher = new LinePublisher(store);
        file = dir.resolve("00908f4c5d6e.cfg").toFile();
        Files.writeString(file.toPath(), Golden.example());
    }

    @Test
    void eachEnabledLineBecomesAConfigurationMarkedWithItsFile() {
        LinePublisher.Outcome o = publisher.publish(file);

        assertThat(o.created()).containsExactly("audiocodes-00908f4c5d6e-line0", "audiocodes-00908f4c5d6e-line1");
        Map<String, Object> line0 = store.lines.get("audiocodes-00908f4c5d6e-line0");
        assertThat(line0)
                .containsEntry(LinePublisher.SOURCE, file.getAbsolutePath())
                .containsEntry(LineProperties.USER, "2101")
                .containsEntry(LineProperties.PASSWORD, "s3cret-2101")
                .containsEntry("proxy", "127.0.0.1:5060")
                .containsEntry("proxy.backup", "127.0.0.2:5060")
                .containsEntry("outboundProxy", "127.0.0.3:5060")
                .containsEntry(LineProperties.POLICY, "redundant-asymmetric")
                .containsEntry(LineProperties.PROBE_INTERVAL, "20");
        LineConfig read = LinePropertiesCodec.read(line0, "audiocodes-00908f4c5d6e-line0");
        assertThat(read.server(ServerRole.PROXY, Rank.BACKUP)).contains(ServerAddress.of("127.0.0.2", 5060));
        assertThat(store.writes).isEqualTo(2);
    }

    @Test
    void aChangedFileRewritesOnlyTheLinesThatChanged() throws IOException {
        publisher.publish(file);
        Files.writeString(
                file.toPath(),
                Golden.example()
                        .replace("voip/line/1/description=Front Desk 2", "voip/line/1/description=Back Office"));

        LinePublisher.Outcome o = publisher.publish(file);

        assertThat(o.updated()).containsExactly("audiocodes-00908f4c5d6e-line1");
        assertThat(o.unchanged()).containsExactly("audiocodes-00908f4c5d6e-line0");
        assertThat(store.lines.get("audiocodes-00908f4c5d6e-line1"))
                .containsEntry(LineProperties.DISPLAY_NAME, "Back Office");
        assertThat(store.writes).isEqualTo(3);
    }

    @Test
    void anUnchangedFileWritesNothing() {
        publisher.publish(file);
        LinePublisher.Outcome o = publisher.publish(file);

        assertThat(o.unchanged()).hasSize(2);
        assertThat(store.writes).isEqualTo(2);
    }

    @Test
    void aLineRemovedOrDisabledInTheFileIsDeletedAndAnEnabledOneAppears() throws IOException {
        publisher.publish(file);
        Files.writeString(
                file.toPath(),
                Golden.example()
                        .replace("voip/line/1/enabled=1", "voip/line/1/enabled=0")
                        .replace("voip/line/2/enabled=0", "voip/line/2/enabled=1"));

        LinePublisher.Outcome o = publisher.publish(file);

        assertThat(o.deleted()).containsExactly("audiocodes-00908f4c5d6e-line1");
        assertThat(o.created()).containsExactly("audiocodes-00908f4c5d6e-line2");
        assertThat(store.lines).containsOnlyKeys("audiocodes-00908f4c5d6e-line0", "audiocodes-00908f4c5d6e-line2");
    }

    @Test
    void aBrokenLineKeepsItsLastConfigurationAndTheOthersAreUpdated() throws IOException {
        publisher.publish(file);
        Map<String, Object> before = new LinkedHashMap<>(store.lines.get("audiocodes-00908f4c5d6e-line1"));
        Files.writeString(
                file.toPath(),
                Golden.example()
                        .replace("voip/line/1/id=2102\n", "")
                        .replace("voip/line/0/description=Front Desk", "voip/line/0/description=Reception"));

        LinePublisher.Outcome o = publisher.publish(file);

        assertThat(o.kept()).containsExactly("audiocodes-00908f4c5d6e-line1");
        assertThat(o.updated()).containsExactly("audiocodes-00908f4c5d6e-line0");
        assertThat(o.deleted()).isEmpty();
        assertThat(store.lines.get("audiocodes-00908f4c5d6e-line1")).isEqualTo(before);
        assertThat(o.problems())
                .extracting(Problem::toString)
                .anyMatch(p -> p.contains("voip/line/1/id (the SIP user) " + "is missing"));
    }

    @Test
    void aFileThatCannotBeReadChangesNothing() throws IOException {
        publisher.publish(file);
        Map<String, Map<String, Object>> before = store.copy();
        LinePublisher failing = new LinePublisher(store, new AudioCodesParser(), p -> {
            throw new IOException("Permission denied");
        });

        LinePublisher.Outcome o = failing.publish(file);

        assertThat(o.applied()).isFalse();
        assertThat(store.copy()).isEqualTo(before);
    }

    @Test
    void aFileCaughtEmptyOrHalfWrittenChangesNothingAndStaysClaimed() throws IOException {
        publisher.publish(file);
        Map<String, Map<String, Object>> before = store.copy();
        Files.writeString(file.toPath(), "");

        assertThat(publisher.canHandle(file)).isTrue();
        LinePublisher.Outcome o = publisher.publish(file);

        assertThat(o.applied()).isFalse();
        assertThat(store.copy()).isEqualTo(before);
        assertThat(new LinePublisher(new MapStore()).canHandle(file)).isFalse();
    }

    @Test
    void aRemovedFileDeletesItsLinesOnly() throws IOException {
        File other = dir.resolve("other.cfg").toFile();
        Files.writeString(other.toPath(), "voip/line/0/id=7\nvoip/signalling/sip/proxy_address=192.0.2.1\n");
        publisher.publish(file);
        publisher.publish(other);

        List<String> deleted = publisher.withdraw(file);

        assertThat(deleted).containsExactlyInAnyOrder("audiocodes-00908f4c5d6e-line0", "audiocodes-00908f4c5d6e-line1");
        assertThat(store.lines).containsOnlyKeys("audiocodes-other-line0");
    }

    @Test
    void aConfigurationOfTheSameNameFromElsewhereIsLeftAlone() {
        Map<String, Object> handWritten = new LinkedHashMap<>();
        handWritten.put(LineProperties.USER, "alice");
        handWritten.put("proxy", "192.0.2.99");
        store.lines.put("audiocodes-00908f4c5d6e-line0", handWritten);

        LinePublisher.Outcome o = publisher.publish(file);

        assertThat(o.created()).containsExactly("audiocodes-00908f4c5d6e-line1");
        assertThat(store.lines.get("audiocodes-00908f4c5d6e-line0")).isSameAs(handWritten);
        publisher.withdraw(file);
        assertThat(store.lines).containsOnlyKeys("audiocodes-00908f4c5d6e-line0");
    }

    @Test
    void oneLineThatCannotBeStoredDoesNotStopTheOther() {
        store.refuse = "audiocodes-00908f4c5d6e-line0";

        LinePublisher.Outcome o = publisher.publish(file);

        assertThat(o.created()).containsExactly("audiocodes-00908f4c5d6e-line1");
    }

    @Test
    void linesOfFilesRemovedWhileNotRunningArePrunedButNotThoseOfAMissingFolder() throws IOException {
        publisher.publish(file);
        Map<String, Object> unmounted = new LinkedHashMap<>(store.lines.get("audiocodes-00908f4c5d6e-line0"));
        unmounted.put(LinePublisher.SOURCE, dir.resolve("gone-folder/x.cfg").toString());
        store.lines.put("audiocodes-x-line0", unmounted);
        Files.delete(file.toPath());

        List<String> pruned = new LinePublisher(store).pruneOrphans();

        assertThat(pruned).containsExactlyInAnyOrder("audiocodes-00908f4c5d6e-line0", "audiocodes-00908f4c5d6e-line1");
        assertThat(store.lines).containsOnlyKeys("audiocodes-x-line0");
    }

    /** ConfigAdmin as a map, counting writes. */
    static final class MapStore implements LineStore {
        final Map<String, Map<String, Object>> lines = new LinkedHashMap<>();
        int writes;
        String refuse;

        @Override
        public Map<String, Map<String, Object>> lines() {
            return new LinkedHashMap<>(lines);
        }

        @Override
        public void put(String name, Map<String, Object> properties) throws IOException {
            if (name.equals(refuse)) {
                throw new IOException("disk full");
            }
            writes++;
            lines.put(name, new LinkedHashMap<>(properties));
        }

        @Override
        public void delete(String name) {
            lines.remove(name);
        }

        Map<String, Map<String, Object>> copy() {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            lines.forEach((k, v) -> out.put(k, new LinkedHashMap<>(v)));
            return out;
        }
    }
}
