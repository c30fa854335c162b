// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipfailover.config.aastra.internal.Golden.aastraLine;
import static org.sipfailover.config.aastra.internal.Golden.read;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.StaticSrvRecord;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.config.common.Problem;

/**
 * Golden file sets: one per row of the seeds' failover tables, the SRV rule, the vendor note's examples, the
 * set-wise override, precedence and syntax; each asserts the exact line configuration read.
 */
class GoldenTest {

    private static final ServerAddress PRIMARY = ServerAddress.of("192.0.2.10", 5060);
    private static final ServerAddress BACKUP = ServerAddress.of("192.0.2.20", 5060);
    private static final ServerAddress OUTBOUND = ServerAddress.of("192.0.2.30", 5060);
    private static final ServerAddress BACKUP_OUTBOUND = ServerAddress.of("192.0.2.40", 5060);

    private static LineConfig.Builder proxyAndRegistrar(LineConfig.Builder b, boolean backups) {
        b.server(ServerRole.PROXY, Rank.PRIMARY, PRIMARY).server(ServerRole.REGISTRAR, Rank.PRIMARY, PRIMARY);
        if (backups) {
            b.server(ServerRole.PROXY, Rank.BACKUP, BACKUP).server(ServerRole.REGISTRAR, Rank.BACKUP, BACKUP);
        }
        return b;
    }

    private static void assertOnlyLine(AastraParseResult r, LineConfig expected) {
        assertThat(r.problems()).isEmpty();
        assertThat(r.failedLines()).isEmpty();
        assertThat(r.lines()).containsOnlyKeys(1);
        assertThat(r.lines().get(1)).isEqualTo(expected);
    }

    @Test
    void outboundOffWithBackupProxyAndRegistrar() {
        LineConfig expected = proxyAndRegistrar(aastraLine("001122334401", 1), true)
                .user("2001")
                .credentials(new Credentials("2001", "pw-2001"))
                .sipOutbound(false)
                // a backup server makes the phone use a random source port (A-R2x 6-43)
                .symmetricUdp(false)
                .build();
        assertOnlyLine(read("outbound-off-backup-proxy-registrar"), expected);
    }

    @Test
    void outboundOnWithBackupProxyAndRegistrar() {
        LineConfig expected = proxyAndRegistrar(aastraLine("001122334402", 1), true)
                .user("2002")
                .credentials(new Credentials("2002", "pw-2002"))
                .sipOutbound(true)
                .transport(Transport.TCP)
                .symmetricUdp(false)
                .build();
        assertOnlyLine(read("outbound-on-backup-proxy-registrar"), expected);
    }

    @Test
    void outboundOffWithBackupProxyRegistrarAndOutboundProxy() {
        LineConfig expected = proxyAndRegistrar(aastraLine("001122334403", 1), true)
                .user("2003")
                .credentials(new Credentials("2003", "pw-2003"))
                .server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, OUTBOUND)
                .server(ServerRole.OUTBOUND_PROXY, Rank.BACKUP, BACKUP_OUTBOUND)
                .symmetricUdp(false)
                .build();
        assertOnlyLine(read("outbound-off-backup-outbound-proxy"), expected);
    }

    @Test
    void outboundOnWithBackupProxyRegistrarAndOutboundProxy() {
        LineConfig expected = proxyAndRegistrar(aastraLine("001122334404", 1), true)
                .user("2004")
                .credentials(new Credentials("2004", "pw-2004"))
                .server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, OUTBOUND)
                .server(ServerRole.OUTBOUND_PROXY, Rank.BACKUP, BACKUP_OUTBOUND)
                .sipOutbound(true)
                .transport(Transport.TCP)
                .symmetricUdp(false)
                .build();
        assertOnlyLine(read("outbound-on-backup-outbound-proxy"), expected);
    }

    @Test
    void backupOutboundProxyOnly() {
        LineConfig expected = proxyAndRegistrar(aastraLine("001122334405", 1), false)
                .user("2005")
                .credentials(new Credentials("2005", "pw-2005"))
                .server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, OUTBOUND)
                .server(ServerRole.OUTBOUND_PROXY, Rank.BACKUP, BACKUP_OUTBOUND)
                .sipOutbound(true)
                .transport(Transport.TCP)
                .symmetricUdp(false)
                .build();
        LineConfig line = read("backup-outbound-proxy-only").lines().get(1);
        assertOnlyLine(read("backup-outbound-proxy-only"), expected);
        assertThat(line.server(ServerRole.PROXY, Rank.BACKUP)).isEmpty();
        assertThat(line.server(ServerRole.REGISTRAR, Rank.BACKUP)).isEmpty();
    }

    @Test
    void srvRuleAndStaticSrvRecords() {
        AastraParseResult r = read("srv-rules");
        StaticSrvRecord srv1 = new StaticSrvRecord("_sip._udp.pbx.example.com", 10, 60, 5060, "pbx-a.example.com");
        StaticSrvRecord srv2 = new StaticSrvRecord("_sip._udp.pbx.example.com", 20, 0, 5080, "192.0.2.21");
        LineConfig expected = aastraLine("001122334406", 1)
                .user("2006")
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("pbx.example.com", 0))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.of("pbx.example.com", 5070))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.of("192.0.2.20", 0))
                .server(ServerRole.REGISTRAR, Rank.BACKUP, ServerAddress.of("192.0.2.20", 5062))
                .server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, ServerAddress.of("sbc.example.com", 0))
                // transport 0, "UDP and TCP": the model's "any"
                .transport(null)
                .symmetricUdp(false)
                .staticSrvRecord(srv1)
                .staticSrvRecord(srv2)
                .build();
        assertThat(r.lines().get(1)).isEqualTo(expected);
        LineConfig c = r.lines().get(1);
        assertThat(c.server(ServerRole.PROXY, Rank.PRIMARY).orElseThrow().usesSrv())
                .as("FQDN, port 0")
                .isTrue();
        assertThat(c.server(ServerRole.REGISTRAR, Rank.PRIMARY).orElseThrow().usesSrv())
                .as("FQDN, port")
                .isFalse();
        ServerAddress ipNoPort = c.server(ServerRole.PROXY, Rank.BACKUP).orElseThrow();
        assertThat(ipNoPort.usesSrv()).as("IP, port 0").isFalse();
        assertThat(ipNoPort.isIpLiteral()).isTrue();
        assertThat(c.server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY)
                        .orElseThrow()
                        .usesSrv())
                .isTrue();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("aastra.cfg");
            assertThat(p.line()).isEqualTo(26);
            assertThat(p.key()).isEqualTo("sip dns srv3");
            assertThat(p.message()).contains("needs a name, a target and a port");
        });
    }

    @Test
    void vendorNoteExample() {
        AastraParseResult r = read("vendor-example");
        Map<String, String> phoneWide = Map.of(
                "dns1",
                "192.0.2.53",
                "time server disabled",
                "0",
                "time server1",
                "pool.ntp.org",
                "sip dial plan",
                "x+#|xx+*",
                "topsoftkey1 label",
                "Reception",
                "topsoftkey1 locked",
                "1");
        LineConfig.Builder line1 = aastraLine("00085d1a2b3c", 1)
                .user("2101")
                .displayName("Front Desk")
                .credentials(new Credentials("2101", "s3cret-2101"))
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("pbx-a.example.com", 0))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.of("pbx-a.example.com", 0))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.of("198.51.100.20", 5060))
                .server(ServerRole.REGISTRAR, Rank.BACKUP, ServerAddress.of("198.51.100.20", 5060))
                .server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, ServerAddress.of("sbc1.example.com", 5060))
                .server(ServerRole.OUTBOUND_PROXY, Rank.BACKUP, ServerAddress.of("sbc2.example.com", 5060))
                .transport(Transport.TCP)
                .sipOutbound(true)
                .symmetricUdp(false)
                .registrationPeriod(Duration.ofSeconds(600))
                .registrationRenewal(Duration.ofSeconds(60))
                .registrationRetry(Duration.ofSeconds(60))
                .registrationTimeoutRetry(Duration.ofSeconds(30))
                .subscription(new SubscriptionConfig(SubscriptionKind.BLF, "2100", Duration.ofSeconds(1800)))
                .subscription(new SubscriptionConfig(SubscriptionKind.MWI, "2101", Duration.ofSeconds(3600)))
                .extra("sip line1 screen name", "2101 Front Desk");
        phoneWide.forEach(line1::extra);
        LineConfig.Builder line2 = aastraLine("00085d1a2b3c", 2)
                .user("7001")
                .credentials(new Credentials("7001", "s3cret-7001"))
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("203.0.113.10", 5060))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.of("203.0.113.10", 5060))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.of("203.0.113.11", 5060))
                .server(ServerRole.REGISTRAR, Rank.BACKUP, ServerAddress.of("203.0.113.11", 5060))
                .transport(Transport.TCP)
                .sipOutbound(true)
                .symmetricUdp(false)
                // per-line network set: its own period, never the global 600
                .registrationPeriod(Duration.ofSeconds(300))
                .registrationRenewal(Duration.ofSeconds(60))
                .registrationRetry(Duration.ofSeconds(60))
                .registrationTimeoutRetry(Duration.ofSeconds(30))
                .subscription(new SubscriptionConfig(SubscriptionKind.MWI, "7001", Duration.ofSeconds(3600)));
        phoneWide.forEach(line2::extra);

        assertThat(r.problems()).isEmpty();
        assertThat(r.lines()).containsOnlyKeys(1, 2);
        assertThat(r.lines().get(1)).isEqualTo(line1.build());
        assertThat(r.lines().get(2)).isEqualTo(line2.build());
        assertThat(r.lines().get(2).server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY))
                .as("0.0.0.0 = none")
                .isEmpty();
        assertThat(r.files()).containsExactly("aastra.cfg", "00085D1A2B3C.cfg");
    }

    @Test
    void perLineSetsReplaceTheWholeGlobalSet() {
        AastraParseResult r = read("set-wise-override");
        LineConfig line1 = aastraLine("001122334408", 1)
                .user("3000")
                .displayName("Site Default")
                .credentials(new Credentials("site-auth", "site-secret"))
                .server(ServerRole.PROXY, Rank.PRIMARY, PRIMARY)
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, PRIMARY)
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.of("192.0.2.20", 0))
                .server(ServerRole.REGISTRAR, Rank.BACKUP, ServerAddress.of("192.0.2.20", 0))
                .server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.30", 0))
                .registrationPeriod(Duration.ofSeconds(600))
                .symmetricUdp(false)
                .extra("sip line1 vmail", "*97")
                // the global screen name in force for the line, kept under the line's key
                .extra("sip line1 screen name", "Site Phone")
                .build();
        LineConfig line3 = aastraLine("001122334408", 3)
                .user("3003")
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("203.0.113.10", 0))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.of("203.0.113.10", 0))
                .build();

        assertThat(r.lines()).containsOnlyKeys(1, 3);
        assertThat(r.lines().get(1)).isEqualTo(line1);
        assertThat(r.lines().get(3)).isEqualTo(line3);
        // line 2 keeps no global registrar, so the phone does not register it
        assertThat(r.unregisteredLines()).containsExactly(2);
        assertThat(r.failedLines()).isEmpty();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("001122334408.cfg");
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.key()).isEqualTo("sip line2 registrar ip");
            assertThat(p.message()).contains("line 2 has no registrar");
        });
    }

    @Test
    void laterFilesWinKeysAreCaseInsensitiveAndPrefixesAreKept() {
        AastraParseResult r = read("precedence");
        LineConfig expected = aastraLine("00112233440a", 1)
                .user("4002")
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.2", 0))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.of("192.0.2.3", 0))
                .registrationPeriod(Duration.ofSeconds(250))
                .transport(Transport.TCP)
                .sipOutbound(false)
                .extra("dns1", "192.0.2.53")
                .build();
        assertThat(r.problems()).isEmpty();
        assertThat(r.files()).containsExactly("aastra.cfg", "6757i.cfg", "00112233440A.cfg");
        assertThat(r.lines().get(1)).isEqualTo(expected);
        // aastra.cfg locked the transport, but 6757i.cfg set it again without '!': the later file's status wins
        assertThat(r.lockedKeys(1)).isEmpty();
        assertThat(r.forcedKeys(1)).containsExactly("sip registrar ip");
    }

    @Test
    void commentsQuotesAndPrefixes() {
        AastraParseResult r = read("syntax");
        LineConfig expected = aastraLine("00112233440b", 1)
                .user("5001")
                .displayName("Sales # 1")
                .credentials(new Credentials("5001", "pa#ss"))
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.50", 0))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.of("192.0.2.50", 0))
                // one pair of quotes around the whole value goes, the inner ones stay
                .extra("sip line1 screen name", "Sales\" \"Team")
                // a quote without a partner protects nothing: the '#' starts a comment
                .extra("sip line1 screen name 2", "say \"hi")
                .extra("xml application uri", "http://192.0.2.9:8080/menu.xml")
                .extra("sip dial plan", "")
                .build();
        assertThat(r.lines().get(1)).isEqualTo(expected);
        assertThat(r.lockedKeys(1)).containsExactly("sip registrar ip");
        assertThat(r.forcedKeys(1)).containsExactly("sip registrar ip");
        assertThat(r.problems()).extracting(Problem::line).containsExactly(13, 14);
        assertThat(r.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo("00112233440B.cfg"));
    }

    @Test
    void theExamplePair() {
        AastraParseResult r = read(Golden.examples());
        Map<String, String> phoneWide = Map.of(
                "dns1",
                "127.0.0.53",
                "sip dial plan",
                "x+#|xx+*",
                "topsoftkey1 label",
                "Back Office",
                "topsoftkey1 locked",
                "1");
        ServerAddress primary = ServerAddress.of("127.0.0.1", 5060);
        ServerAddress backup = ServerAddress.of("127.0.0.2", 5060);
        LineConfig.Builder line1 = aastraLine("00085d1a2b3c", 1)
                .user("1001")
                .displayName("Front Desk")
                .credentials(new Credentials("1001", "s3cret-1001"))
                .server(ServerRole.PROXY, Rank.PRIMARY, primary)
                .server(ServerRole.PROXY, Rank.BACKUP, backup)
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, primary)
                .server(ServerRole.REGISTRAR, Rank.BACKUP, backup)
                .server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, primary)
                .server(ServerRole.OUTBOUND_PROXY, Rank.BACKUP, backup)
                .transport(Transport.TCP)
                .sipOutbound(true)
                .symmetricUdp(false)
                .registrationPeriod(Duration.ofSeconds(300))
                .registrationRenewal(Duration.ofSeconds(30))
                .registrationRetry(Duration.ofSeconds(60))
                .registrationTimeoutRetry(Duration.ofSeconds(30))
                .subscription(new SubscriptionConfig(SubscriptionKind.BLF, "1002", Duration.ofSeconds(600)))
                .subscription(new SubscriptionConfig(SubscriptionKind.MWI, "1001", Duration.ofSeconds(1800)))
                .extra("sip line1 screen name", "1001 Front Desk");
        phoneWide.forEach(line1::extra);
        LineConfig.Builder line2 = aastraLine("00085d1a2b3c", 2)
                .user("1002")
                .displayName("Back Office")
                .credentials(new Credentials("1002", "s3cret#1002"))
                .server(ServerRole.PROXY, Rank.PRIMARY, primary)
                .server(ServerRole.PROXY, Rank.BACKUP, backup)
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, primary)
                .server(ServerRole.REGISTRAR, Rank.BACKUP, backup)
                .transport(Transport.TCP)
                .sipOutbound(true)
                .symmetricUdp(false)
                .registrationPeriod(Duration.ofSeconds(600))
                .registrationRenewal(Duration.ofSeconds(30))
                .registrationRetry(Duration.ofSeconds(60))
                .registrationTimeoutRetry(Duration.ofSeconds(30))
                .subscription(new SubscriptionConfig(SubscriptionKind.MWI, "1002", Duration.ofSeconds(1800)));
        phoneWide.forEach(line2::extra);

        assertThat(r.problems()).isEmpty();
        assertThat(r.lines()).containsOnlyKeys(1, 2);
        assertThat(r.lines().get(1)).isEqualTo(line1.build());
        assertThat(r.lines().get(2)).isEqualTo(line2.build());
        assertThat(r.lockedKeys(1)).containsExactly("sip dial plan");
        assertThat(r.extraKeys()).contains("dns1", "sip dial plan", "sip line1 screen name");
    }

    @Test
    void aastraLinesUseTheAastraPolicy() {
        for (String s : List.of("outbound-off-backup-proxy-registrar", "vendor-example", "srv-rules")) {
            assertThat(read(s).lines().values())
                    .allSatisfy(c -> assertThat(c.policy()).isEqualTo("aastra"));
        }
    }
}
