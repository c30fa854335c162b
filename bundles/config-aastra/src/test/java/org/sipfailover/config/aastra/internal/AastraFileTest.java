// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.config.common.Problem;

class AastraFileTest {

    private static Entry only(String text) {
        AastraFile f = AastraFile.parse("t.cfg", text);
        assertThat(f.problems()).isEmpty();
        assertThat(f.entries()).hasSize(1);
        return f.entries().get(0);
    }

    @Test
    void nameColonValueWithOrWithoutASpace() {
        assertThat(only("sip proxy port:5060").value()).isEqualTo("5060");
        assertThat(only("sip proxy port:   5060   ").value()).isEqualTo("5060");
        assertThat(only("  SIP   Proxy\tPort : 5060").key()).isEqualTo("sip proxy port");
    }

    @Test
    void theValueRunsToTheEndOfTheLineAndMayHoldColons() {
        assertThat(only("xml application uri: http://h:80/a").value()).isEqualTo("http://h:80/a");
    }

    @Test
    void hashStartsACommentOutsideQuotes() {
        assertThat(only("sip digit timeout: 3 # set the inter-digit timeout").value())
                .isEqualTo("3");
        assertThat(only("live dialpad: 1 #enabled").value()).isEqualTo("1");
        assertThat(only("sip dial plan: \"x+#|xx+*\"").value()).isEqualTo("x+#|xx+*");
        assertThat(only("sip dial plan: \"x+#|xx+*\" # quoted").value()).isEqualTo("x+#|xx+*");
        assertThat(only("a: \"b\" # c \"d\"").value()).isEqualTo("b");
        assertThat(only("a: b\"c # d").value()).isEqualTo("b\"c");
        assertThat(AastraFile.parse("t.cfg", "# sip proxy ip: 1.2.3.4\n   #x: y")
                        .entries())
                .isEmpty();
    }

    @Test
    void onePairOfQuotesIsRemoved() {
        assertThat(only("a: \"\"b\"\"").value()).isEqualTo("\"b\"");
        assertThat(only("a: \"\"").value()).isEmpty();
        assertThat(only("a: \"").value()).isEqualTo("\"");
        assertThat(only("a: \" padded \"").value()).isEqualTo(" padded ");
    }

    @Test
    void lockedAndForcedPrefixes() {
        Entry locked = only("!sip proxy ip: 192.0.2.1");
        assertThat(locked.key()).isEqualTo("sip proxy ip");
        assertThat(locked.locked()).isTrue();
        assertThat(locked.forced()).isFalse();
        Entry forced = only("^ sip proxy ip: 192.0.2.1");
        assertThat(forced.forced()).isTrue();
        assertThat(forced.locked()).isFalse();
        Entry both = only("^!sip proxy ip: 192.0.2.1");
        assertThat(both.forced()).isTrue();
        assertThat(both.locked()).isTrue();
    }

    @Test
    void lineEndingsAndLineNumbers() {
        AastraFile f = AastraFile.parse("t.cfg", "\uFEFFa: 1\r\nb: 2\rc: 3\n\nd: 4");
        assertThat(f.entries()).extracting(Entry::key).containsExactly("a", "b", "c", "d");
        assertThat(f.entries()).extracting(Entry::line).containsExactly(1, 2, 3, 5);
    }

    @Test
    void badLinesAreReportedWithoutTheirText() {
        AastraFile f = AastraFile.parse("t.cfg", "ok: 1\nsip line1 password s3cret\n: nothing\n!: x\nok2: 2");
        assertThat(f.entries()).extracting(Entry::key).containsExactly("ok", "ok2");
        assertThat(f.problems()).extracting(Problem::line).containsExactly(2, 3, 4);
        assertThat(f.problems().toString()).doesNotContain("s3cret");
    }

    @Test
    void readsUtf8AndLatin1Files(@TempDir Path dir) throws IOException {
        Path utf8 = dir.resolve("a.cfg");
        Files.writeString(utf8, "sip line1 display name: Zoë\n", StandardCharsets.UTF_8);
        assertThat(AastraFile.read(utf8).entries().get(0).value()).isEqualTo("Zoë");
        Path latin1 = dir.resolve("b.cfg");
        Files.write(latin1, "sip line1 display name: Zoë\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(AastraFile.read(latin1).entries().get(0).value()).isEqualTo("Zoë");
    }

    @Test
    void aMissingFileCannotBeRead(@TempDir Path dir) {
        assertThatThrownBy(() -> AastraFile.read(dir.resolve("none.cfg"))).isInstanceOf(IOException.class);
    }
}
