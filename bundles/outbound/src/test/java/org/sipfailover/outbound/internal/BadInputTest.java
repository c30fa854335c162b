// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BadInputTest {

    @Test
    void credentialsNeverReachTheLog() {
        String sanitized = BadInput.sanitize("Authorization: Digest username=\"alice\", realm=\"x\", "
                + "response=\"6629fae49393a05397450978507c4ef1\"\r\nProxy-Authorization: Digest response=abc\r\n"
                + "Contact: <sip:alice:secret@10.0.0.1>; response=\"deadbeef\"");

        assertThat(sanitized)
                .doesNotContain("6629fae4")
                .doesNotContain("abc")
                .doesNotContain("secret")
                .doesNotContain("deadbeef")
                .doesNotContain("username")
                .contains("Authorization: ****")
                .contains("Proxy-Authorization: ****")
                .contains("sip:alice:****@10.0.0.1")
                .contains("response=****");
    }

    @Test
    void lineBreaksAreEscapedAndAnythingButPrintableAsciiReplaced() {
        assertThat(BadInput.sanitize("a\r\nb\u0000c\u001b[31md\u00ffe")).isEqualTo("a\\r\\nb?c?[31md?e");
    }

    @Test
    void longTextIsCut() {
        assertThat(BadInput.sanitize("x".repeat(1000)))
                .hasSize(BadInput.MAX_DETAIL + 3)
                .endsWith("...");
        assertThat(BadInput.sanitize("x".repeat(BadInput.MAX_DETAIL))).hasSize(BadInput.MAX_DETAIL);
    }

    @Test
    void everythingIsCountedButEachKindLoggedAtMostOncePerInterval() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
        BadInput bad = new BadInput(now::get);

        assertThat(bad.report(BadInput.Kind.MALFORMED, "UDP", "127.0.0.1", "junk"))
                .isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(bad.report(BadInput.Kind.MALFORMED, "UDP", "127.0.0.1", "junk " + i))
                    .isFalse();
        }
        // another kind has its own interval
        assertThat(bad.report(BadInput.Kind.STRAY, "TCP", "127.0.0.1:5060", "200 to REGISTER"))
                .isTrue();
        now.set(now.get().plus(BadInput.LOG_INTERVAL).minus(Duration.ofMillis(1)));
        assertThat(bad.report(BadInput.Kind.MALFORMED, "UDP", "127.0.0.1", "junk"))
                .isFalse();
        now.set(now.get().plus(Duration.ofMillis(1)));
        assertThat(bad.report(BadInput.Kind.MALFORMED, "UDP", "127.0.0.1", "junk"))
                .isTrue();

        assertThat(bad.count(BadInput.Kind.MALFORMED)).isEqualTo(7);
        assertThat(bad.count(BadInput.Kind.STRAY)).isEqualTo(1);
    }
}
