// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.config.common.Problem;
import org.sipfailover.config.common.ValueParser;

/** Programmable keys of type blf or blfxfer become BLF subscriptions of their line, in key order. */
class AastraBlfKeysTest {

    private static final Duration PERIOD = Duration.ofSeconds(600);

    private final List<Problem> problems = new ArrayList<>();
    private final AastraBlfKeys blf =
            new AastraBlfKeys(new ValueParser(problems::add, (shown, accepted) -> shown + ": " + accepted), problems);

    private static Map<String, Entry> merged(String... keyValues) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put(keyValues[i], new Entry(keyValues[i], keyValues[i + 1], "p.cfg", i / 2 + 1, false, false));
        }
        return out;
    }

    private static SortedSet<Integer> lines(Integer... n) {
        return new TreeSet<>(List.of(n));
    }

    private static SubscriptionConfig sub(String target) {
        return new SubscriptionConfig(SubscriptionKind.BLF, target, PERIOD);
    }

    @Test
    void keysBecomeSubscriptionsOfTheirLineInFamilyThenIndexOrder() {
        blf.read(
                merged(
                        "softkey10 type", "blf",
                        "softkey10 value", "1010",
                        "softkey2 type", "BLFXfer",
                        "softkey2 value", "1002",
                        "softkey2 line", "2",
                        "topsoftkey3 type", "blf",
                        "topsoftkey3 value", "1003",
                        "softkey9 type", "blf",
                        "softkey9 value", "1009",
                        "softkey9 label", "Bob"),
                lines(1, 2),
                PERIOD);

        assertThat(problems).isEmpty();
        assertThat(blf.forLine(1)).containsExactly(sub("1003"), sub("1009"), sub("1010"));
        assertThat(blf.forLine(2)).containsExactly(sub("1002"));
        assertThat(blf.forLine(3)).isEmpty();
        assertThat(blf.claims("softkey2 line")).isTrue();
        assertThat(blf.claims("softkey9 value")).isTrue();
        assertThat(blf.claims("softkey9 label")).isFalse();
    }

    @Test
    void otherKeyTypesAreNeitherSubscribedNorClaimed() {
        blf.read(merged("prgkey1 type", "speeddial", "prgkey1 value", "1001"), lines(1), PERIOD);

        assertThat(problems).isEmpty();
        assertThat(blf.forLine(1)).isEmpty();
        assertThat(blf.claims("prgkey1 type")).isFalse();
    }

    @Test
    void aKeyWithoutValueIsReportedAndLeftAsExtra() {
        blf.read(merged("softkey1 type", "blf"), lines(1), PERIOD);

        assertThat(problems)
                .containsExactly(new Problem(
                        "p.cfg",
                        1,
                        "softkey1 type",
                        "a BLF key needs a value (the monitored extension); kept as extra"));
        assertThat(blf.forLine(1)).isEmpty();
        assertThat(blf.claims("softkey1 type")).isFalse();
    }

    @Test
    void aKeyOfALineTheFilesDoNotConfigureIsReportedAtItsLineKey() {
        blf.read(merged("softkey1 type", "blf", "softkey1 value", "1001", "softkey1 line", "3"), lines(1), PERIOD);

        assertThat(problems)
                .containsExactly(new Problem(
                        "p.cfg",
                        3,
                        "softkey1 line",
                        "line 3 is not configured on this phone; the BLF key is kept as extra"));
        assertThat(blf.forLine(3)).isEmpty();
        assertThat(blf.claims("softkey1 value")).isFalse();
    }

    @Test
    void aBadLineNumberIsReportedOnceAsABadValue() {
        blf.read(merged("softkey1 type", "blf", "softkey1 value", "1001", "softkey1 line", "one"), lines(1), PERIOD);

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).key()).isEqualTo("softkey1 line");
        assertThat(problems.get(0).message()).endsWith("a line number 1..9");
        assertThat(blf.forLine(1)).isEmpty();
    }
}
