// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sipfailover.config.common.Problem;
import org.sipfailover.config.common.ValueParser;

/** Keys without a field in the line model are kept as read, once per line; modelled keys and secrets never. */
class AastraExtrasTest {

    private final Map<String, Entry> merged = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final AastraBlfKeys blf =
            new AastraBlfKeys(new ValueParser(problems::add, (shown, accepted) -> shown + ": " + accepted), problems);
    private final AastraExtras extras = new AastraExtras(merged, blf);

    private void put(String... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            merged.put(
                    keyValues[i], new Entry(keyValues[i], keyValues[i + 1], "p.cfg", merged.size() + 1, false, false));
        }
    }

    private Map<String, String> collect(int n, boolean authLocal) {
        Map<String, String> extra = new LinkedHashMap<>();
        extras.collect(n, authLocal, extra);
        return extra;
    }

    @Test
    void keepsThisLinesUnmodelledKeysAndThePhoneWideOnes() {
        put(
                "sip line1 user name", "1001",
                "sip line1 proxy ip", "192.0.2.10",
                "sip line1 dial plan", "x+#",
                "sip line2 dial plan", "9x",
                "sip proxy ip", "192.0.2.20",
                "sip transport protocol", "1",
                "sip dns srv1 name", "_sip._udp.example.com",
                "sip line0 user name", "0",
                "dns1", "192.0.2.53",
                "admin password", "Top$ecret-4711",
                "sip line1 password", "Top$ecret-4711");

        assertThat(collect(1, true))
                .containsExactly(Map.entry("sip line1 dial plan", "x+#"), Map.entry("dns1", "192.0.2.53"));
        assertThat(collect(2, true))
                .containsExactly(Map.entry("sip line2 dial plan", "9x"), Map.entry("dns1", "192.0.2.53"));
        assertThat(extras.keys()).containsExactlyInAnyOrder("sip line1 dial plan", "sip line2 dial plan", "dns1");
    }

    @Test
    void aGlobalScreenNameInForceIsKeptUnderTheLinesKey() {
        put("sip screen name", "Reception", "sip line2 screen name", "Desk");

        assertThat(collect(1, false)).containsExactly(Map.entry("sip line1 screen name", "Reception"));
        assertThat(collect(2, true)).containsExactly(Map.entry("sip line2 screen name", "Desk"));
        assertThat(extras.keys()).containsExactly("sip line2 screen name", "sip screen name");
    }

    @Test
    void aValueAlreadySetForTheLineIsNotReplaced() {
        put("sip line1 dial plan", "x+#");
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("sip line1 dial plan", "9x");

        extras.collect(1, true, extra);

        assertThat(extra).containsExactly(Map.entry("sip line1 dial plan", "9x"));
    }

    @Test
    void theAttributesOfABlfKeyAreNoExtraButItsLabelIs() {
        put("sip line1 user name", "1001", "softkey1 type", "blf", "softkey1 value", "1002", "softkey1 label", "Bob");
        blf.read(merged, new TreeSet<>(List.of(1)), Duration.ofSeconds(600));

        assertThat(collect(1, true)).containsExactly(Map.entry("softkey1 label", "Bob"));
    }
}
