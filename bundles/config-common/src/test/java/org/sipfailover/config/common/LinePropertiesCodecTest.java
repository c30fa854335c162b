// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.StaticSrvRecord;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;

/** The ConfigAdmin form of a line: written properties read back equal; bad values are named, passwords never. */
class LinePropertiesCodecTest {

    private static LineConfig full() {
        return LineConfig.builder("alice")
                .user("1001")
                .displayName("Alice")
                .credentials(new Credentials("1001", "s3cret"))
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("pbx.example.test"))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.parse("127.0.0.2:5060;transport=tcp"))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.parse("pbx.example.test:5070"))
                .server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, ServerAddress.parse("[2001:db8::1]:5060"))
                .transport(Transport.TCP)
                .sipOutbound(true)
                .symmetricUdp(true)
                .keepAliveInterval(Duration.ofMillis(2500))
                .transactionTimeout(Duration.ofMillis(2500))
                .probeInterval(Duration.ofSeconds(5))
                .policy("redundant-asymmetric")
                .failback(FailbackMode.DNS_TTL, Duration.ZERO, Duration.ofSeconds(60), false)
                .subscription(
                        new SubscriptionConfig(SubscriptionKind.BLF, "sip:bob@example.test", Duration.ofSeconds(600)))
                .staticSrvRecord(new StaticSrvRecord("_sip._tcp.example.test", 10, 60, 5060, "a.example.test"))
                .extra("sip line1 screen name", "Alice")
                .build();
    }

    @Test
    void writtenPropertiesReadBackToAnEqualLine() {
        LineConfig line = full();
        Map<String, Object> p = LinePropertiesCodec.write(line);

        assertThat(LinePropertiesCodec.read(p, null)).isEqualTo(line);
        assertThat(p)
                .containsEntry(".password", "s3cret")
                .containsEntry("keepAlive", "2.5")
                .containsEntry("transactionTimeout", "2.5")
                .containsEntry("failbackMode", "dns-ttl")
                .containsEntry("proxy.backup", "127.0.0.2:5060;transport=tcp");
    }

    @Test
    void stringsAsInACfgFileAreRead() {
        Map<String, Object> p = new HashMap<>();
        p.put("user", "1001");
        p.put("proxy", "127.0.0.1:5060");
        p.put("proxy.backup", "127.0.0.2:5060");
        p.put("sipOutbound", "true");
        p.put("keepAlive", "PT3S");
        p.put("subscriptions", "mwi sip:vm@example.test, blf sip:bob@example.test 120");
        LineConfig c = LinePropertiesCodec.read(p, "line-from-pid");

        assertThat(c.id()).isEqualTo("line-from-pid");
        assertThat(c.sipOutbound()).isTrue();
        assertThat(c.keepAliveInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.transactionTimeout()).as("absent: the flow manager's").isEmpty();
        assertThat(LinePropertiesCodec.write(c)).doesNotContainKey("transactionTimeout");
        assertThat(c.subscriptions())
                .extracting(SubscriptionConfig::kind)
                .containsExactly(SubscriptionKind.MWI, SubscriptionKind.BLF);
        assertThat(c.subscriptions().get(1).period()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.server(ServerRole.PROXY, Rank.BACKUP)).hasValue(ServerAddress.of("127.0.0.2", 5060));
    }

    @Test
    void aBadValueNamesTheLineAndTheKeyButNeverThePassword() {
        for (Map.Entry<String, String> bad : List.of(
                Map.entry("keepAlive", "soon"),
                Map.entry("transport", "sctp"),
                Map.entry("proxy", "bad host!"),
                Map.entry("sipOutbound", "maybe"),
                Map.entry("failbackMode", "later"),
                Map.entry("subscriptions", "presence sip:x@y"),
                Map.entry("transactionTimeout", "0.5"),
                Map.entry("transactionTimeout", "later"))) {
            Map<String, Object> p = new HashMap<>(Map.of("user", "1001", "proxy", "127.0.0.1", ".password", "s3cret"));
            p.put(bad.getKey(), bad.getValue());
            assertThatThrownBy(() -> LinePropertiesCodec.read(p, "l7"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("line l7")
                    .hasMessageContaining(bad.getKey())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
        }
        assertThatThrownBy(() -> LinePropertiesCodec.read(Map.of("user", "1001"), "l8"))
                .hasMessageContaining("line l8")
                .hasMessageContaining("proxy");
        assertThatThrownBy(() -> LinePropertiesCodec.read(
                        Map.of("user", "1", "proxy", "a.test", "registrar.backup", "b.test"), "l9"))
                .hasMessageContaining("line l9")
                .hasMessageContaining("backup registrar");
    }
}
