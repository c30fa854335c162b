// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.StaticSrvRecord;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.LineSetting;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.Setting;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.SrvField;
import org.sipfailover.config.common.LinePropertiesCodec;
import org.sipfailover.config.common.Problem;
import org.sipfailover.config.common.Secrets;

/**
 * Generated lines written and read back; random and mutated files thrown at the parser. Every try has a
 * deadline: a parse that hangs fails the property instead of the build.
 */
class ParserPropertiesTest {

    /** Every password in the generated files; no message or toString may ever show it. */
    private static final String SECRET = "pw-Zq8Xs3cr3tMarker";
    /** Enough of it to notice a shortened echo of it, should a message ever cut a value instead of hiding it. */
    private static final String SECRET_START = SECRET.substring(0, 7);

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final AudioCodesParser parser = new AudioCodesParser();
    private final AudioCodesWriter writer = new AudioCodesWriter();

    // ---- read(write(lines)) == lines ---------------------------------------------------------------------

    @Property(tries = 300)
    void writtenLinesReadBackEqual(@ForAll("lineSets") LineSet set) {
        String text = assertTimeoutPreemptively(DEADLINE, () -> writer.write(set.lines()));
        AudioCodesParseResult back = assertTimeoutPreemptively(DEADLINE, () -> parser.parse(set.stem() + ".cfg", text));

        assertThat(back.problems()).isEmpty();
        assertThat(new ArrayList<>(back.lines().values())).isEqualTo(set.lines());
        for (LineConfig c : back.lines().values()) {
            assertThat(LinePropertiesCodec.read(LinePropertiesCodec.write(c), null))
                    .isEqualTo(c);
        }
    }

    record LineSet(String stem, List<LineConfig> lines) {}

    /** What the lines of one file share. */
    record Shared(
            ServerAddress proxy,
            Optional<ServerAddress> redundant,
            Optional<ServerAddress> registrar,
            Optional<ServerAddress> outbound,
            Transport transport,
            Tuple.Tuple6<Integer, Optional<Integer>, Optional<Integer>, Integer, Boolean, Optional<Integer>> timers,
            List<StaticSrvRecord> srv,
            Map<String, String> extra) {}

    /** What one line has of its own. */
    record Own(
            String user, Optional<String> displayName, Optional<Credentials> credentials, Map<String, String> extra) {}

    @Provide
    Arbitrary<LineSet> lineSets() {
        Arbitrary<String> stem = Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .withChars("-_.")
                .ofMinLength(1)
                .ofMaxLength(12);
        Arbitrary<List<Integer>> indexes = Arbitraries.integers()
                .between(0, 29)
                .set()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(s -> s.stream().sorted().toList());
        Arbitrary<List<Own>> owns = own().list().ofSize(4);
        return Combinators.combine(stem, shared(), indexes, owns).as((st, sh, idx, ow) -> {
            List<LineConfig> lines = new ArrayList<>();
            for (int k = 0; k < idx.size(); k++) {
                lines.add(build(st, idx.get(k), sh, ow.get(k)));
            }
            return new LineSet(st, lines);
        });
    }

    private static LineConfig build(String stem, int index, Shared sh, Own own) {
        LineConfig.Builder b = LineConfig.builder(AudioCodesFiles.lineId(stem, index))
                .user(own.user())
                .transport(sh.transport());
        own.displayName().ifPresent(b::displayName);
        own.credentials().ifPresent(b::credentials);
        b.server(ServerRole.PROXY, Rank.PRIMARY, sh.proxy());
        sh.redundant().ifPresent(a -> b.server(ServerRole.PROXY, Rank.BACKUP, a));
        sh.registrar().ifPresent(a -> {
            b.server(ServerRole.REGISTRAR, Rank.PRIMARY, a);
            sh.redundant().ifPresent(r -> b.server(ServerRole.REGISTRAR, Rank.BACKUP, r));
        });
        sh.outbound().ifPresent(a -> b.server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, a));
        var t = sh.timers();
        b.registrationPeriod(Duration.ofSeconds(t.get1()));
        t.get2()
                .ifPresent(v ->
                        b.registrationRetry(Duration.ofSeconds(v)).registrationTimeoutRetry(Duration.ofSeconds(v)));
        t.get3().ifPresent(v -> b.keepAliveInterval(Duration.ofSeconds(v)));
        b.probeInterval(Duration.ofSeconds(t.get4()));
        t.get6().ifPresent(v -> b.transactionTimeout(Duration.ofMillis(v)));
        boolean symmetric = t.get5();
        b.policy(symmetric ? "redundant-symmetric" : "redundant-asymmetric");
        b.failback(
                symmetric ? FailbackMode.NEVER : FailbackMode.IMMEDIATE,
                Duration.ofSeconds(30),
                Duration.ofSeconds(3600),
                true);
        sh.srv().forEach(b::staticSrvRecord);
        sh.extra().forEach(b::extra);
        own.extra().forEach((k, v) -> b.extra(AudioCodesKeys.LINE + index + "/" + k, v));
        return b.build();
    }

    private Arbitrary<Shared> shared() {
        Arbitrary<Tuple.Tuple6<Integer, Optional<Integer>, Optional<Integer>, Integer, Boolean, Optional<Integer>>>
                timers = Combinators.combine(
                                Arbitraries.integers().between(0, 86400),
                                Arbitraries.integers().between(1, 86400).optional(),
                                Arbitraries.integers().between(40, 65536).optional(),
                                Arbitraries.integers().between(1, 300),
                                Arbitraries.of(true, false),
                                Arbitraries.integers()
                                        .between(1000, Integer.MAX_VALUE)
                                        .optional())
                        .as(Tuple::of);
        return Combinators.combine(
                        server(),
                        server().optional(),
                        server().optional(),
                        server().optional(),
                        Arbitraries.of(Transport.class),
                        timers,
                        srvRecord().list().ofMaxSize(3),
                        extras("x-vendor/"))
                .as(Shared::new);
    }

    private Arbitrary<Own> own() {
        Arbitrary<String> user = Arbitraries.strings()
                .alpha()
                .numeric()
                .withChars("._+-!~*'()&$,;?/")
                .ofMinLength(1)
                .ofMaxLength(20);
        Arbitrary<String> name = text(1, 30).filter(s -> !s.isEmpty());
        Arbitrary<Credentials> credentials = Combinators.combine(
                        Arbitraries.strings()
                                .alpha()
                                .numeric()
                                .withChars("._-@")
                                .ofMinLength(1)
                                .ofMaxLength(12),
                        text(0, 30))
                .as(Credentials::new);
        return Combinators.combine(user, name.optional(), credentials.optional(), extras("x_"))
                .as(Own::new);
    }

    /** One line of printable text without surrounding blanks: may hold '=', '#', quotes, non-ASCII. */
    private static Arbitrary<String> text(int min, int max) {
        return Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars("éß€中\u00a0")
                .ofMinLength(min)
                .ofMaxLength(max)
                .map(AudioCodesParser::clean);
    }

    private static Arbitrary<Map<String, String>> extras(String prefix) {
        Arbitrary<String> key = Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars("_/")
                .ofMinLength(1)
                .ofMaxLength(15)
                .map(k -> prefix + k)
                .filter(k -> !Secrets.isSecret(k) && !k.endsWith("/"));
        return Arbitraries.maps(key, text(0, 20)).ofMaxSize(3).map(TreeMap::new);
    }

    private static Arbitrary<ServerAddress> server() {
        Arbitrary<String> v4 = Arbitraries.integers()
                .between(1, 223)
                .list()
                .ofSize(4)
                .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
        Arbitrary<String> label =
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> name = label.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l) + ".example");
        Arbitrary<String> v6 =
                Arbitraries.integers().between(1, 0xffff).map(i -> "2001:db8::" + Integer.toHexString(i));
        Arbitrary<Integer> port =
                Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 65534));
        return Combinators.combine(Arbitraries.oneOf(v4, name, v6), port).as(ServerAddress::of);
    }

    private static Arbitrary<StaticSrvRecord> srvRecord() {
        Arbitrary<String> name =
                Arbitraries.of("_sip._udp.pbx.example", "_sip._tcp.pbx.example", "_sips._tcp.x.example");
        Arbitrary<String> target = Arbitraries.strings()
                .withCharRange('a', 'z')
                .ofMinLength(1)
                .ofMaxLength(8)
                .map(s -> s + ".example");
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 65535);
        return Combinators.combine(name, u16, u16, Arbitraries.integers().between(1, 65535), target)
                .as(StaticSrvRecord::new);
    }

    // ---- random and mutated files ------------------------------------------------------------------------

    @Property(tries = 500)
    void randomTextNeverBreaksTheParser(@ForAll("noise") String text) {
        checkInvariants(text);
    }

    @Property(tries = 1000)
    void mutatedFilesNeverBreakTheParser(@ForAll("mutants") String text) {
        checkInvariants(text);
    }

    private void checkInvariants(String text) {
        AudioCodesParseResult r = assertTimeoutPreemptively(DEADLINE, () -> parser.parse("fuzz.cfg", text));
        long lines = text.chars().filter(c -> c == '\n' || c == '\r').count() + 1;
        for (Problem p : r.problems()) {
            assertThat(p.file()).isEqualTo("fuzz.cfg");
            assertThat(p.line()).isBetween(0, (int) lines);
            assertThat(p.toString()).doesNotContain(SECRET_START);
        }
        assertThat(r.toString()).doesNotContain(SECRET_START);
        assertThat(String.join(" ", r.unknownKeys())).doesNotContain(SECRET_START);
        for (Map.Entry<Integer, LineConfig> e : r.lines().entrySet()) {
            LineConfig c = e.getValue();
            assertThat(c.id()).isEqualTo("audiocodes-fuzz-line" + e.getKey());
            assertThat(c.toString()).doesNotContain(SECRET_START);
            // the ConfigAdmin form the lines bundle reads gives the same line back
            assertThat(LinePropertiesCodec.read(LinePropertiesCodec.write(c), null))
                    .isEqualTo(c);
        }
        Set<Integer> both = new HashSet<>(r.lines().keySet());
        both.retainAll(new HashSet<>(r.failedLines()) {
            {
                addAll(r.disabledLines());
            }
        });
        assertThat(both).as("lines both built and failed or disabled").isEmpty();
    }

    @Provide
    Arbitrary<String> noise() {
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(400);
        Arbitrary<String> lines = assignment().list().ofMaxSize(40).map(l -> String.join("\n", l));
        Arbitrary<String> mixedEndings = Combinators.combine(
                        assignment().list().ofMaxSize(30), Arbitraries.of("\n", "\r\n", "\r", "\n\n", " \n# c\n"))
                .as((l, sep) -> String.join(sep, l));
        return Arbitraries.oneOf(anything, lines, mixedEndings);
    }

    private static Arbitrary<String> assignment() {
        List<String> keys = new ArrayList<>();
        for (Setting s : Setting.values()) {
            keys.add(s.key);
            if (s.legacyKey != null) {
                keys.add(s.legacyKey);
            }
        }
        for (LineSetting s : LineSetting.values()) {
            keys.add(s.key(0));
            keys.add(s.key(1));
            keys.add(s.key(99));
        }
        for (SrvField f : SrvField.values()) {
            keys.add(f.key(0));
            keys.add(f.key(3));
        }
        keys.addAll(List.of(
                "voip/line/100/id",
                "voip/line/-1/id",
                "voip/line//id",
                "voip/line/0/",
                "voip/line/x/",
                "VOIP/LINE/0/ID",
                "system/type",
                "voip/dns_cache_srv/0/",
                "=",
                "",
                "#",
                "voip/line/0/auth_password"));
        Arbitrary<String> key = Arbitraries.oneOf(
                Arbitraries.of(keys),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(20));
        Arbitrary<String> value = Arbitraries.oneOf(
                values(),
                Arbitraries.strings()
                        .all()
                        .ofMaxLength(30)
                        .map(s -> s.replace('\n', ' ').replace('\r', ' ')));
        Arbitrary<String> pad = Arbitraries.of("", " ", "\t", "  \u00a0", "\u000b");
        return Combinators.combine(pad, key, pad, Arbitraries.of("=", "=", "= ", ":", ""), value, pad)
                .as((a, k, b, eq, v, c) -> k.contains("password") ? a + k + "=" + SECRET + c : a + k + b + eq + v + c);
    }

    private static Arbitrary<String> values() {
        return Arbitraries.of(
                "",
                "0",
                "1",
                "2",
                "-1",
                "65535",
                "65536",
                "0.0.0.0",
                "192.0.2.1",
                "::1",
                "[::1]",
                "pbx.example.com",
                "UDP",
                "tcp",
                "TLS",
                "sctp",
                "300",
                "301",
                "40",
                "39",
                "86400",
                "86401",
                "999",
                "1000",
                "99999999999999999999",
                "1e3",
                "PT5S",
                " 5060 ",
                "5060#x",
                "a=b",
                "#",
                "é",
                "2101",
                "x y",
                "\u0000");
    }

    @Provide
    Arbitrary<String> mutants() {
        List<String> bases = new ArrayList<>();
        for (String name : Golden.FILES) {
            bases.add(withSecret(Golden.text(name)));
        }
        bases.add(withSecret(Golden.example()));
        Arbitrary<List<Tuple.Tuple3<Integer, Integer, String>>> edits = Combinators.combine(
                        Arbitraries.integers().between(0, 9),
                        Arbitraries.integers().between(0, 1_000_000),
                        Arbitraries.oneOf(
                                values(), Arbitraries.of("=", "#", "\n", "\r", "/", " ", "\u0000", "voip/line/")))
                .as(Tuple::of)
                .list()
                .ofMinSize(1)
                .ofMaxSize(6);
        return Combinators.combine(Arbitraries.of(bases), edits).as((base, list) -> {
            String s = base;
            for (var e : list) {
                s = mutate(s, e.get1(), e.get2(), e.get3());
            }
            return s;
        });
    }

    private static String withSecret(String text) {
        return text.replaceAll("(auth_password=).*", "$1" + SECRET);
    }

    private static String mutate(String s, int kind, int position, String payload) {
        List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
        int n = lines.size();
        int at = position % Math.max(1, s.length());
        int line = position % n;
        switch (kind) {
            case 0: // delete a character
                return s.isEmpty() ? s : s.substring(0, at) + s.substring(at + 1);
            case 1: // insert text
                return s.substring(0, at) + payload + s.substring(at);
            case 2: // duplicate a line
                lines.add(line, lines.get(line));
                break;
            case 3: // delete a line
                lines.remove(line);
                break;
            case 4: // swap two lines
                int other = (position / 7) % n;
                String tmp = lines.get(line);
                lines.set(line, lines.get(other));
                lines.set(other, tmp);
                break;
            case 5: // run a line into the next one
                if (line + 1 < n) {
                    lines.set(line, lines.get(line) + lines.remove(line + 1));
                }
                break;
            case 6: { // replace a value
                String l = lines.get(line);
                int eq = l.indexOf('=');
                if (eq >= 0 && !l.contains("password")) {
                    lines.set(line, l.substring(0, eq + 1) + payload);
                }
                break;
            }
            case 7: // cut the file short
                return s.substring(0, at);
            case 8: // another line index
                lines.set(line, lines.get(line).replace("/line/0/", "/line/" + (position % 120) + "/"));
                break;
            default: // CRLF or CR line endings
                return position % 2 == 0 ? s.replace("\n", "\r\n") : s.replace("\n", "\r");
        }
        return String.join("\n", lines);
    }
}
