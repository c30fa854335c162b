// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.config.common.LinePropertiesCodec;
import org.sipfailover.config.common.LineStore;

/** Publishing: one configuration per line, updated in place when its properties change, deleted with its file. */
class AastraSiteTest {

    private static final String MAC = "00085D1A2B3C.cfg";
    private static final String LINE1 = "aastra-00085d1a2b3c-line1";
    private static final String LINE2 = "aastra-00085d1a2b3c-line2";

    @TempDir
    Path dir;

    private final MapStore store = new MapStore();
    private AastraSite site;

    /** An in-memory ConfigAdmin: the configurations by name, and the writes made. */
    static final class MapStore implements LineStore {
        final Map<String, Map<String, Object>> configs = new TreeMap<>();
        final List<String> puts = new ArrayList<>();
        final List<String> deletes = new ArrayList<>();

        @Override
        public Map<String, Map<String, Object>> lines() {
            Map<String, Map<String, Object>> out = new TreeMap<>();
            configs.forEach((k, v) -> {
                Map<String, Object> withPid = new HashMap<>(v);
                withPid.put("service.pid", "org.sipfailover.line~" + k);
                out.put(k, withPid);
            });
            return out;
        }

        @Override
        public void put(String name, Map<String, Object> properties) {
            configs.put(name, new LinkedHashMap<>(properties));
            puts.add(name);
        }

        @Override
        public void delete(String name) {
            configs.remove(name);
            deletes.add(name);
        }

        LineConfig line(String name) {
            return LinePropertiesCodec.read(configs.get(name), name);
        }

        void clearLog() {
            puts.clear();
            deletes.clear();
        }
    }

    @BeforeEach
    void copyTheExamples() throws IOException {
        Files.copy(Golden.examples().resolve("aastra.cfg"), dir.resolve("aastra.cfg"));
        Files.copy(Golden.examples().resolve(MAC), dir.resolve(MAC));
        site = new AastraSite(store, Set.of(FileNames.DEFAULT_MODELS), Map.of());
    }

    private void install() {
        site.changed(dir.resolve("aastra.cfg"));
        site.changed(dir.resolve(MAC));
    }

    private void edit(String file, String from, String to) throws IOException {
        Path p = dir.resolve(file);
        String text = Files.readString(p);
        assertThat(text).contains(from);
        Files.writeString(p, text.replace(from, to));
    }

    @Test
    void eachLineBecomesOneConfigurationWithItsSource() {
        install();
        AastraParseResult expected = Golden.read(Golden.examples());
        assertThat(store.configs).containsOnlyKeys(LINE1, LINE2);
        assertThat(store.line(LINE1)).isEqualTo(expected.lines().get(1));
        assertThat(store.line(LINE2)).isEqualTo(expected.lines().get(2));
        Map<String, Object> p = store.configs.get(LINE1);
        assertThat(p.get(AastraSite.SOURCE))
                .isEqualTo(dir.resolve(MAC).toAbsolutePath().toString());
        assertThat(p.get(AastraSite.FOLDER)).isEqualTo(AastraSite.folderKey(dir));
        assertThat((String[]) p.get(AastraSite.FILES)).containsExactly("aastra.cfg", MAC);
        assertThat((String[]) p.get(AastraSite.LOCKED)).containsExactly("sip dial plan");
        assertThat(p.get(LineProperties.PASSWORD)).isEqualTo("s3cret-1001");
    }

    @Test
    void aChangedLineIsUpdatedAndNoOther() throws IOException {
        install();
        store.clearLog();
        edit(MAC, "sip line2 display name: \"Back Office\"", "sip line2 display name: Stock Room");
        site.changed(dir.resolve(MAC));
        assertThat(store.puts).containsExactly(LINE2);
        assertThat(store.deletes).isEmpty();
        assertThat(store.line(LINE2).displayName()).hasValue("Stock Room");

        // reading an unchanged file again writes nothing
        store.clearLog();
        site.changed(dir.resolve(MAC));
        site.changed(dir.resolve("aastra.cfg"));
        assertThat(store.puts).isEmpty();
    }

    @Test
    void aChangeOfTheGlobalFileReachesTheLinesThatUseTheGlobalSetOnly() throws IOException {
        install();
        store.clearLog();
        // line 2 has its own network set: the global registration period is not its
        edit("aastra.cfg", "sip registration period: 300", "sip registration period: 900");
        site.changed(dir.resolve("aastra.cfg"));
        assertThat(store.puts).containsExactly(LINE1);
        assertThat(store.line(LINE1).registrationPeriod()).hasSeconds(900);
        assertThat(store.line(LINE2).registrationPeriod()).hasSeconds(600);
    }

    @Test
    void aRemovedFileTakesItsLinesAway() throws IOException {
        install();
        Files.delete(dir.resolve(MAC));
        site.removed(dir.resolve(MAC));
        assertThat(store.configs).isEmpty();
        assertThat(store.deletes).containsExactlyInAnyOrder(LINE1, LINE2);
    }

    @Test
    void aFileThatCannotBeReadChangesNothing() throws IOException {
        install();
        Map<String, Map<String, Object>> before = new TreeMap<>(store.configs);
        store.clearLog();
        Files.delete(dir.resolve(MAC));
        Files.createDirectory(dir.resolve(MAC)); // a folder where the file was: it cannot be read
        site.changed(dir.resolve(MAC));
        Files.delete(dir.resolve("aastra.cfg"));
        site.changed(dir.resolve("aastra.cfg"));
        assertThat(store.puts).isEmpty();
        assertThat(store.deletes).isEmpty();
        assertThat(store.configs).isEqualTo(before);
    }

    @Test
    void aLineThatCannotBeBuiltKeepsItsConfigurationAndTheOthersGoOn() throws IOException {
        install();
        LineConfig line2 = store.line(LINE2);
        store.clearLog();
        edit(MAC, "sip line2 user name: 1002", "sip line2 user name:");
        edit(MAC, "sip line1 display name: Front Desk", "sip line1 display name: Reception");
        site.changed(dir.resolve(MAC));
        assertThat(store.puts).containsExactly(LINE1);
        assertThat(store.deletes).isEmpty();
        assertThat(store.line(LINE2)).isEqualTo(line2);
        assertThat(store.line(LINE1).displayName()).hasValue("Reception");
    }

    @Test
    void aLineThePhoneWouldNotRegisterIsDeleted() throws IOException {
        install();
        edit(MAC, "sip line2 registrar ip: 127.0.0.1", "sip line2 registrar ip: 0.0.0.0");
        edit(MAC, "sip line2 backup registrar ip: 127.0.0.2", "sip line2 backup registrar ip: 0.0.0.0");
        site.changed(dir.resolve(MAC));
        assertThat(store.configs).containsOnlyKeys(LINE1);
    }

    @Test
    void aScanPublishesTheFolderAndDeletesLinesOfFilesGoneMeanwhile() throws IOException {
        store.configs.put(
                "aastra-001122334455-line1",
                Map.of(AastraSite.FOLDER, AastraSite.folderKey(dir), LineProperties.USER, "9"));
        store.configs.put("someone-else", Map.of(AastraSite.FOLDER, "/elsewhere"));
        site.scan(dir);
        assertThat(store.configs).containsOnlyKeys(LINE1, LINE2, "someone-else");
    }

    /**
     * No folders configured, or the adapter restarted: FileInstall hands over one file of a folder this site has
     * not read. The folder is read whole, so the other phones' lines stay.
     */
    @Test
    void theFirstFileOfAFolderNotReadYetReadsTheFolderWholeAndKeepsTheOtherPhonesLines() throws IOException {
        Files.writeString(dir.resolve("001122334455.cfg"), "sip line1 user name: 3001\nsip line1 auth name: 3001\n");
        install();
        assertThat(store.configs).containsOnlyKeys(LINE1, LINE2, "aastra-001122334455-line1");

        // a new site over the same store: the adapter after a restart
        site = new AastraSite(store, Set.of(FileNames.DEFAULT_MODELS), Map.of());
        store.clearLog();
        edit(MAC, "sip line2 display name: \"Back Office\"", "sip line2 display name: Stock Room");
        site.changed(dir.resolve(MAC));
        assertThat(store.deletes).isEmpty();
        assertThat(store.puts).containsExactly(LINE2);
        assertThat(store.configs).containsOnlyKeys(LINE1, LINE2, "aastra-001122334455-line1");

        // the same for a removal
        site = new AastraSite(store, Set.of(FileNames.DEFAULT_MODELS), Map.of());
        store.clearLog();
        Files.delete(dir.resolve("001122334455.cfg"));
        site.removed(dir.resolve("001122334455.cfg"));
        assertThat(store.deletes).containsExactly("aastra-001122334455-line1");
        assertThat(store.configs).containsOnlyKeys(LINE1, LINE2);
    }

    @Test
    void aGlobalFileAloneIsOnePhoneUntilAMacFileComes() throws IOException {
        Files.delete(dir.resolve(MAC));
        Files.writeString(
                dir.resolve("aastra.cfg"), "sip line1 user name: 7\n", java.nio.file.StandardOpenOption.APPEND);
        site.changed(dir.resolve("aastra.cfg"));
        assertThat(store.configs).containsOnlyKeys("aastra-aastra-line1");
        assertThat(store.configs.get("aastra-aastra-line1").get(AastraSite.SOURCE))
                .isEqualTo(dir.resolve("aastra.cfg").toAbsolutePath().toString());

        Files.copy(Golden.examples().resolve(MAC), dir.resolve(MAC));
        site.changed(dir.resolve(MAC));
        assertThat(store.configs).containsOnlyKeys(LINE1, LINE2);
    }

    @Test
    void theModelFileOfAKnownModelSitsBetween() throws IOException {
        site = new AastraSite(store, Set.of("6757i"), Map.of("00085D1A2B3C", "6757i"));
        Files.writeString(dir.resolve("6757i.cfg"), "sip registration period: 120\nsip transport protocol: 1\n");
        site.scan(dir);
        assertThat(store.line(LINE1).registrationPeriod()).hasSeconds(120);
        assertThat(store.line(LINE1).transport()).hasValue(org.sipfailover.api.net.Transport.UDP);
        assertThat((String[]) store.configs.get(LINE1).get(AastraSite.FILES))
                .containsExactly("aastra.cfg", "6757i.cfg", MAC);
    }

    @Test
    void fileNames() {
        Set<String> models = Set.of(FileNames.DEFAULT_MODELS);
        assertThat(FileNames.kind("aastra.cfg", models)).isEqualTo(FileNames.Kind.GLOBAL);
        assertThat(FileNames.kind("STARTUP.CFG", models)).isEqualTo(FileNames.Kind.GLOBAL);
        assertThat(FileNames.kind("00085D1A2B3C.cfg", models)).isEqualTo(FileNames.Kind.MAC);
        assertThat(FileNames.kind("00085d1a2b3c.cfg", models)).isEqualTo(FileNames.Kind.MAC);
        assertThat(FileNames.kind("6757i.cfg", models)).isEqualTo(FileNames.Kind.MODEL);
        assertThat(FileNames.kind("00085D1A2B3C-local.cfg", models)).isNull();
        assertThat(FileNames.kind("org.sipfailover.dns.cfg", models)).isNull();
        assertThat(FileNames.kind("00085D1A2B3C.tuz", models)).isNull();
        assertThat(site.handles(dir.resolve("aastra.cfg"))).isTrue();
        assertThat(site.handles(dir.resolve(MAC))).isTrue();
    }

    @Test
    void anAudioCodesFileOfTheSameNameFormIsNotTaken() throws IOException {
        Path audiocodes = dir.resolve("00908f4c5d6e.cfg");
        Files.copy(Golden.examples().resolve("../audiocodes/00908f4c5d6e.cfg").normalize(), audiocodes);
        assertThat(site.handles(audiocodes)).isFalse();
        site.scan(dir);
        assertThat(store.configs).containsOnlyKeys(LINE1, LINE2);
        site.changed(audiocodes);
        assertThat(store.configs).containsOnlyKeys(LINE1, LINE2);
        // an Aastra MAC file damaged into something else: its lines stay as they were
        store.clearLog();
        Files.writeString(dir.resolve(MAC), "voip/line/0/id=1\n");
        site.changed(dir.resolve(MAC));
        site.scan(dir);
        assertThat(store.puts).isEmpty();
        assertThat(store.deletes).isEmpty();
    }
}
