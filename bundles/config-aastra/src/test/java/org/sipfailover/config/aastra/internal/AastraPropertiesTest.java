// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.statistics.Statistics;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.config.common.Problem;

/**
 * Property tests: lines written and read back are equal; any text, random or a mutated real file, is read
 * without an exception, in bounded time, with every problem located and no password shown.
 */
class AastraPropertiesTest {

    /** Each try must finish well within this, or the parser hangs somewhere. */
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private static final AastraReader READER = new AastraReader();
    private static final AastraExport EXPORT = new AastraExport();

    /** The texts of every golden file and the examples, with the passwords they hold. */
    private static final List<String> CORPUS = new ArrayList<>();

    private static final List<String> PASSWORDS = List.of(
            "pw-2001",
            "pw-2002",
            "pw-2003",
            "pw-2004",
            "pw-2005",
            "s3cret-2101",
            "s3cret-7001",
            "site-secret",
            "pa#ss",
            "s3cret-1001",
            "s3cret#1002");

    static {
        try (Stream<Path> files = Stream.concat(Files.walk(Golden.folder("")), Files.list(Golden.examples()))) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                CORPUS.add(Files.readString(p, java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- export, then read ----

    @Provide
    Arbitrary<List<LineConfig>> phones() {
        return Arbitraries.randomValue(Generators::phone);
    }

    @Provide
    Arbitrary<List<LineConfig>> perturbedPhones() {
        return Arbitraries.randomValue(Generators::perturbed);
    }

    @Property(tries = 500)
    void writtenLinesReadBackEqual(@ForAll("phones") List<LineConfig> lines) {
        assertTimeoutPreemptively(DEADLINE, () -> {
            String text = EXPORT.export(lines);
            String phone = lines.get(0).id().replaceAll("^aastra-(.+)-line\\d+$", "$1");
            AastraParseResult back = READER.read(phone, List.of(AastraFile.parse(phone + ".cfg", text)));
            assertThat(back.problems()).as(text).isEmpty();
            assertThat(new ArrayList<>(back.lines().values())).as(text).isEqualTo(lines);
        });
    }

    @Property(tries = 500)
    void exportEitherReadsBackEqualOrRefusesWithoutShowingAPassword(@ForAll("perturbedPhones") List<LineConfig> lines) {
        boolean refusedIt = assertTimeoutPreemptively(DEADLINE, () -> exportOrRefuse(lines));
        Statistics.collect(refusedIt ? "refused" : "read back equal");
        Statistics.coverage(c -> {
            c.check("refused").percentage(p -> p > 10);
            c.check("read back equal").percentage(p -> p > 2);
        });
    }

    /** @return whether the export refused */
    private static boolean exportOrRefuse(List<LineConfig> lines) {
        {
            String text;
            try {
                text = EXPORT.export(lines);
            } catch (IllegalArgumentException refused) {
                for (LineConfig c : lines) {
                    c.credentials()
                            .filter(cr -> cr.password().length() >= 4)
                            .ifPresent(cr -> assertThat(refused.getMessage()).doesNotContain(cr.password()));
                }
                return true;
            }
            String phone = lines.get(0).id().replaceAll("^aastra-(.+)-line\\d+$", "$1");
            AastraParseResult back = READER.read(phone, List.of(AastraFile.parse(phone + ".cfg", text)));
            assertThat(new ArrayList<>(back.lines().values())).as(text).isEqualTo(lines);
            return false;
        }
    }

    // ---- reading anything ----

    @Provide
    Arbitrary<String> fragmentFiles() {
        return Arbitraries.randomValue(Generators::fragments);
    }

    @Provide
    Arbitrary<String> mutatedFiles() {
        return Arbitraries.randomValue(AastraPropertiesTest::mutate);
    }

    @Property(tries = 1000)
    void anyTextIsRead(@ForAll @StringLength(max = 2000) String global, @ForAll @StringLength(max = 2000) String mac) {
        readsCleanly(global, mac);
    }

    @Property(tries = 1000)
    void filesOfAastraPiecesAreRead(@ForAll("fragmentFiles") String global, @ForAll("fragmentFiles") String mac) {
        readsCleanly(global, mac);
    }

    @Property(tries = 1000)
    void mutatedRealFilesAreReadAndShowNoPassword(
            @ForAll("mutatedFiles") String global, @ForAll("mutatedFiles") String mac) {
        AastraParseResult r = readsCleanly(global, mac);
        for (String pw : PASSWORDS) {
            assertThat(r.toString()).doesNotContain(pw);
            for (Problem p : r.problems()) {
                assertThat(p.toString()).doesNotContain(pw);
            }
            for (LineConfig c : r.lines().values()) {
                assertThat(c.toString()).doesNotContain(pw);
            }
        }
    }

    /** Reads the pair within the deadline and checks what can be checked of any result. */
    private static AastraParseResult readsCleanly(String global, String mac) {
        return assertTimeoutPreemptively(DEADLINE, () -> {
            List<AastraFile> files =
                    List.of(AastraFile.parse("aastra.cfg", global), AastraFile.parse("00085D1A2B3C.cfg", mac));
            AastraParseResult r = READER.read("00085d1a2b3c", files);
            int longest = Math.max(lineCount(global), lineCount(mac));
            for (Problem p : r.problems()) {
                assertThat(p.file()).isIn("aastra.cfg", "00085D1A2B3C.cfg");
                assertThat(p.line()).isBetween(0, longest);
                assertThat(p.message()).isNotBlank();
            }
            for (Map.Entry<Integer, LineConfig> e : r.lines().entrySet()) {
                assertThat(e.getValue().id()).isEqualTo(AastraReader.lineId("00085d1a2b3c", e.getKey()));
                assertThat(e.getValue().policy()).isEqualTo("aastra");
                assertThat(r.failedLines()).doesNotContain(e.getKey());
            }
            // the same files read the same
            AastraParseResult again = READER.read("00085d1a2b3c", files);
            assertThat(again.lines()).isEqualTo(r.lines());
            assertThat(again.problems()).isEqualTo(r.problems());
            // and what was read can be written back, or is refused, never anything else
            if (!r.lines().isEmpty()) {
                try {
                    String text = EXPORT.export(new ArrayList<>(r.lines().values()));
                    assertThat(READER.read("00085d1a2b3c", "x.cfg", text).lines())
                            .isEqualTo(r.lines());
                } catch (IllegalArgumentException refused) {
                    assertThat(refused.getMessage()).isNotBlank();
                }
            }
            return r;
        });
    }

    private static int lineCount(String text) {
        return text.split("\r\n|\r|\n", -1).length;
    }

    /** A real file with a few of its lines damaged, moved, repeated, joined or cut. */
    static String mutate(Random r) {
        String source = CORPUS.get(r.nextInt(CORPUS.size()));
        List<String> lines = new ArrayList<>(Arrays.asList(source.split("\r\n|\r|\n", -1)));
        String junk = ":#\"!^ \t0123456789abcxyz.é\u0000";
        for (int m = Generators.between(r, 1, 6); m > 0 && !lines.isEmpty(); m--) {
            int i = r.nextInt(lines.size());
            String l = lines.get(i);
            switch (r.nextInt(8)) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(r.nextInt(lines.size() + 1), l);
                case 2 -> {
                    int j = r.nextInt(lines.size());
                    lines.set(i, lines.get(j));
                    lines.set(j, l);
                }
                case 3 -> {
                    if (i + 1 < lines.size()) {
                        lines.set(i, l + lines.remove(i + 1));
                    }
                }
                case 4 -> lines.set(i, l.substring(0, r.nextInt(l.length() + 1)));
                case 5 -> {
                    int at = r.nextInt(l.length() + 1);
                    lines.set(i, l.substring(0, at) + junk.charAt(r.nextInt(junk.length())) + l.substring(at));
                }
                case 6 -> {
                    if (!l.isEmpty()) {
                        int at = r.nextInt(l.length());
                        lines.set(i, l.substring(0, at) + junk.charAt(r.nextInt(junk.length())) + l.substring(at + 1));
                    }
                }
                default ->
                    lines.set(i, Generators.fragments(r).lines().findFirst().orElse(""));
            }
        }
        return String.join(r.nextBoolean() ? "\n" : "\r\n", lines);
    }
}
