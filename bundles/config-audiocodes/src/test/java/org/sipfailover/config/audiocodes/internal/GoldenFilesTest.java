// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipfailover.api.net.Rank.BACKUP;
import static org.sipfailover.api.net.Rank.PRIMARY;
import static org.sipfailover.api.net.ServerRole.OUTBOUND_PROXY;
import static org.sipfailover.api.net.ServerRole.PROXY;
import static org.sipfailover.api.net.ServerRole.REGISTRAR;
import static org.sipfailover.config.audiocodes.internal.Golden.line;
import static org.sipfailover.config.audiocodes.internal.Golden.parse;
import static org.sipfailover.config.audiocodes.internal.Golden.s;
import static org.sipfailover.config.audiocodes.internal.Golden.server;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.StaticSrvRecord;
import org.sipfailover.api.net.Transport;

/** Each golden file gives exactly these line configurations, and no problem. */
class GoldenFilesTest {

    @Test
    void seed004AsymmetricPrefersThePrimaryAndProbesItWithTheKeepAlivePeriod() {
        AudioCodesParseResult r = parse("seed004-asymmetric.cfg");

        LineConfig.Builder b = line("audiocodes-seed004-asymmetric-line0", "3001")
                .credentials(new Credentials("3001", "pw-3001"))
                .probeInterval(s(15));
        server(b, PROXY, PRIMARY, "192.0.2.10", 5060);
        server(b, PROXY, BACKUP, "192.0.2.20", 5070);
        assertThat(r.problems()).isEmpty();
        assertThat(r.lines()).containsOnlyKeys(0);
        assertThat(r.lines().get(0)).isEqualTo(b.build());
        assertThat(r.lines().get(0).policy()).isEqualTo("redundant-asymmetric");
        assertThat(r.lines().get(0).failbackMode()).isEqualTo(FailbackMode.IMMEDIATE);
    }

    @Test
    void seed004SymmetricStaysAndTheRedundantProxyAlsoBacksUpTheRegistrar() {
        AudioCodesParseResult r = parse("seed004-symmetric.cfg");

        LineConfig.Builder b = line("audiocodes-seed004-symmetric-line0", "3002")
                .displayName("Lobby")
                .credentials(new Credentials("lobby", "pw-3002"))
                .transport(Transport.TCP)
                .probeInterval(s(30))
                .policy("redundant-symmetric")
                .failback(FailbackMode.NEVER, Duration.ofSeconds(30), Duration.ofSeconds(3600), true);
        server(b, PROXY, PRIMARY, "192.0.2.10", 5060);
        server(b, PROXY, BACKUP, "192.0.2.20", 5060);
        server(b, REGISTRAR, PRIMARY, "192.0.2.11", 5060);
        server(b, REGISTRAR, BACKUP, "192.0.2.20", 5060);
        assertThat(r.problems()).isEmpty();
        assertThat(r.lines()).containsOnlyKeys(0);
        assertThat(r.lines().get(0)).isEqualTo(b.build());
    }

    @Test
    void seed004DisabledHasNoBackupWhateverTheRedundantAddress() {
        AudioCodesParseResult r = parse("seed004-disabled.cfg");

        // auth_name missing: the digest user is the line's user
        LineConfig.Builder b =
                line("audiocodes-seed004-disabled-line0", "3003").credentials(new Credentials("3003", "pw-3003"));
        server(b, PROXY, PRIMARY, "192.0.2.10", 5060);
        assertThat(r.problems()).isEmpty();
        assertThat(r.lines().get(0)).isEqualTo(b.build());
        assertThat(r.lines().get(0).server(PROXY, BACKUP)).isEmpty();
        assertThat(r.lines().get(0).probeInterval()).isEqualTo(s(60));
    }

    @Test
    void legacyRedundantProxyNamesAreAliases() {
        AudioCodesParseResult r = parse("legacy-aliases.cfg");

        LineConfig.Builder b = line("audiocodes-legacy-aliases-line0", "4001")
                .probeInterval(s(45))
                .policy("redundant-symmetric")
                .failback(FailbackMode.NEVER, Duration.ofSeconds(30), Duration.ofSeconds(3600), true)
                // runtime state of the old firmware (which proxy it was on), not a setting: kept as read
                .extra("voip/signalling/sip/redundant/is_redundant_proxy", "0");
        server(b, PROXY, PRIMARY, "192.0.2.10", 5060);
        server(b, PROXY, BACKUP, "192.0.2.20", 5062);
        assertThat(r.problems()).isEmpty();
        assertThat(r.lines().get(0)).isEqualTo(b.build());
    }

    @Test
    void port65535OnAHostNameMeansSrvAndStaticSrvRecordsAreShared() {
        AudioCodesParseResult r = parse("srv-records.cfg");

        StaticSrvRecord a = new StaticSrvRecord("_sips._tcp.pbx.example.com", 10, 60, 5061, "pbx-a.example.com");
        StaticSrvRecord c = new StaticSrvRecord("_sips._tcp.pbx.example.com", 20, 0, 5061, "pbx-b.example.com");
        assertThat(r.problems()).isEmpty();
        assertThat(r.lines()).containsOnlyKeys(0, 1);
        for (int i = 0; i < 2; i++) {
            LineConfig.Builder b = line("audiocodes-srv-records-line" + i, "500" + (i + 1))
                    .transport(Transport.TLS)
                    .staticSrvRecord(a)
                    .staticSrvRecord(c)
                    .extra("voip/dns_cache/mode", "DNS_QUERY_FIRST");
            server(b, PROXY, PRIMARY, "pbx.example.com", 0);
            server(b, OUTBOUND_PROXY, PRIMARY, "sbc.example.com", 0);
            assertThat(r.lines().get(i)).isEqualTo(b.build());
            assertThat(r.lines().get(i).server(PROXY, PRIMARY).orElseThrow().usesSrv())
                    .isTrue();
        }
    }

    @Test
    void theVendorNotesExampleGivesTwoLinesSharingEveryServer() {
        AudioCodesParseResult r = parse("vendor-00908f1a2b3c.cfg");

        assertThat(r.problems()).isEmpty();
        assertThat(r.lines()).containsOnlyKeys(0, 1);
        LineConfig.Builder first =
                vendorLine(0, "2101", "Front Desk", "s3cret-2101").extra("voip/line/0/line_mode", "PRIVATE");
        LineConfig.Builder second = vendorLine(1, "2102", "Front Desk 2", "s3cret-2102");
        assertThat(r.lines().get(0)).isEqualTo(first.build());
        assertThat(r.lines().get(1)).isEqualTo(second.build());
        assertThat(r.unknownKeys())
                .extracting(k -> k.substring(0, k.indexOf(' ')))
                .containsExactly(
                        "system/type",
                        "voip/line/0/line_mode",
                        "voip/services/msg_waiting_ind/enabled",
                        "voip/services/msg_waiting_ind/subscribe",
                        "voip/services/msg_waiting_ind/voice_mail_number");
    }

    private static LineConfig.Builder vendorLine(int index, String user, String name, String password) {
        LineConfig.Builder b = line("audiocodes-vendor-00908f1a2b3c-line" + index, user)
                .displayName(name)
                .credentials(new Credentials(user, password))
                .transport(Transport.TCP)
                .registrationPeriod(s(600))
                .registrationRetry(s(60))
                .registrationTimeoutRetry(s(60))
                .keepAliveInterval(s(60))
                .probeInterval(s(30))
                .transactionTimeout(Duration.ofMillis(8000))
                .extra("system/type", "440HD")
                .extra("voip/services/msg_waiting_ind/enabled", "1")
                .extra("voip/services/msg_waiting_ind/subscribe", "1")
                .extra("voip/services/msg_waiting_ind/voice_mail_number", "*97");
        server(b, PROXY, PRIMARY, "pbx-a.example.com", 5060);
        server(b, PROXY, BACKUP, "198.51.100.20", 5060);
        server(b, REGISTRAR, PRIMARY, "pbx-a.example.com", 5060);
        server(b, REGISTRAR, BACKUP, "198.51.100.20", 5060);
        server(b, OUTBOUND_PROXY, PRIMARY, "sbc1.example.com", 5060);
        return b;
    }

    @Test
    void theShippedExampleHasTwoLinesOnTheLoopbackPbxPairThroughTheSbcAndOneDisabledLine() {
        AudioCodesParseResult r = new AudioCodesParser().parse("00908f4c5d6e.cfg", Golden.example());

        assertThat(r.problems()).isEmpty();
        assertThat(r.lines()).containsOnlyKeys(0, 1);
        assertThat(r.disabledLines()).containsExactly(2);
        LineConfig.Builder b = line("audiocodes-00908f4c5d6e-line0", "2101")
                .displayName("Front Desk")
                .credentials(new Credentials("2101", "s3cret-2101"))
                .registrationPeriod(s(300))
                .registrationRetry(s(30))
                .registrationTimeoutRetry(s(30))
                .keepAliveInterval(s(45))
                .probeInterval(s(20))
                .transactionTimeout(Duration.ofMillis(4000))
                .extra("system/type", "440HD")
                .extra("system/user_name", "admin")
                .extra("voip/line/0/extension_display", "2101")
                .extra("voip/line/0/line_mode", "PRIVATE")
                .extra("voip/signalling/sip/sip_t1", "500")
                .extra("voip/services/msg_waiting_ind/enabled", "1")
                .extra("voip/services/msg_waiting_ind/subscribe", "1")
                .extra("voip/services/msg_waiting_ind/voice_mail_number", "*97");
        server(b, PROXY, PRIMARY, "127.0.0.1", 5060);
        server(b, PROXY, BACKUP, "127.0.0.2", 5060);
        server(b, OUTBOUND_PROXY, PRIMARY, "127.0.0.3", 5060);
        assertThat(r.lines().get(0)).isEqualTo(b.build());
        assertThat(r.lines().get(0).aor(BACKUP)).isEqualTo("sip:2101@127.0.0.2");
        assertThat(r.lines().get(1).user()).isEqualTo("2102");
        assertThat(r.lines().get(1).extra())
                .containsEntry("voip/line/1/line_mode", "PRIVATE")
                .doesNotContainKey("voip/line/0/line_mode");
    }
}
