// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.testkit.RealServers;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

@RealServers
class DnsmasqTest {

    private static final DnsZone ZONE = DnsZone.builder()
            .ttl(42)
            .srv("_sip._udp.example.test", "sip1.example.test", 5060, 10, 60)
            .host("sip1.example.test", "192.0.2.1", "2001:db8::1")
            .noService("_sip._tcp.example.test")
            .naptr("example.test", 10, 50, "S", "SIP+D2U", "", "_sip._udp.example.test")
            .cname("alias.example.test", "sip1.example.test")
            .cname("dangling.example.test", "nowhere.example.test")
            .build();

    @TempDir
    Path dir;

    private Dnsmasq dnsmasq;

    @AfterEach
    void stop() {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }

    private Dig dig() {
        return Dig.at(dnsmasq.socketAddress());
    }

    @Test
    void servesSrvAndAddressesWithTheZoneTtl() throws IOException {
        dnsmasq = Dnsmasq.start(ZONE, dir);
        assertThat(dnsmasq.address()).isEqualTo("127.0.0.1:" + dnsmasq.port());

        Message srv = dig().query("_sip._udp.example.test", Type.SRV);
        assertThat(srv.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(srv.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
            SRVRecord s = (SRVRecord) r;
            assertThat(s.getTTL()).isEqualTo(42);
            assertThat(s.getTarget()).isEqualTo(Dig.name("sip1.example.test"));
            assertThat(List.of(s.getPort(), s.getPriority(), s.getWeight())).containsExactly(5060, 10, 60);
        });

        Message a = dig().query("sip1.example.test", Type.A);
        assertThat(a.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
            assertThat(r.getTTL()).isEqualTo(42);
            assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("192.0.2.1");
        });
        Message aaaa = dig().tcp().query("sip1.example.test", Type.AAAA);
        assertThat(aaaa.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
            assertThat(r.getTTL()).isEqualTo(42);
            assertThat(((AAAARecord) r).getAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        });
    }

    @Test
    void servesNaptrCnameNoServiceAndNegativeAnswers() throws IOException {
        dnsmasq = Dnsmasq.start(ZONE, dir);

        NAPTRRecord naptr = (NAPTRRecord) dig().query("example.test", Type.NAPTR)
                .getSection(Section.ANSWER)
                .get(0);
        assertThat(naptr.getTTL()).isEqualTo(42);
        assertThat(naptr.getOrder()).isEqualTo(10);
        assertThat(naptr.getPreference()).isEqualTo(50);
        assertThat(naptr.getFlags()).isEqualTo("S");
        assertThat(naptr.getService()).isEqualTo("SIP+D2U");
        assertThat(naptr.getRegexp()).isEmpty();
        assertThat(naptr.getReplacement()).isEqualTo(Dig.name("_sip._udp.example.test"));

        SRVRecord none = (SRVRecord) dig().query("_sip._tcp.example.test", Type.SRV)
                .getSection(Section.ANSWER)
                .get(0);
        assertThat(none.getTarget()).isEqualTo(Name.root);

        List<Record> viaAlias = dig().query("alias.example.test", Type.A).getSection(Section.ANSWER);
        assertThat(viaAlias).extracting(r -> Type.string(r.getType())).containsExactly("CNAME", "A");
        assertThat(viaAlias).allMatch(r -> r.getTTL() == 42);
        assertThat(dig().query("dangling.example.test", Type.A).getSection(Section.ANSWER))
                .extracting(r -> Type.string(r.getType()))
                .containsExactly("CNAME");

        assertThat(dig().query("nothere.example.test", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        Message nodata = dig().query("_sip._udp.example.test", Type.A);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void queryLogShowsQueriesButNotTheReadinessProbe() throws IOException {
        dnsmasq = Dnsmasq.start(ZONE, dir);
        assertThat(dnsmasq.queriesFor("_sip._udp.example.test")).isZero();
        assertThat(dnsmasq.queryLog()).noneMatch(l -> l.contains("query["));

        dig().query("_sip._udp.example.test", Type.SRV);
        dig().query("_sip._udp.example.test.", Type.SRV);
        dig().query("SIP1.example.test", Type.A);

        assertThat(dnsmasq.queriesFor("_sip._udp.example.test")).isEqualTo(2);
        assertThat(dnsmasq.queriesFor("_sip._udp.example.test.", Type.SRV)).isEqualTo(2);
        assertThat(dnsmasq.queriesFor("_sip._udp.example.test", Type.A)).isZero();
        assertThat(dnsmasq.queriesFor("sip1.example.test")).isEqualTo(1);
        assertThat(dnsmasq.queryLog()).anyMatch(l -> l.contains("query[SRV] _sip._udp.example.test from 127.0.0.1"));
    }

    @Test
    void restartServesTheNewZoneOnTheSamePort() throws IOException {
        dnsmasq = Dnsmasq.start(ZONE, dir);
        int port = dnsmasq.port();
        long pid = dnsmasq.pid();
        dig().query("sip1.example.test", Type.A);

        dnsmasq.restart(
                DnsZone.builder().ttl(7).host("sip1.example.test", "192.0.2.99").build());

        assertThat(dnsmasq.port()).isEqualTo(port);
        assertThat(dnsmasq.pid()).isNotEqualTo(pid);
        Record a = dig().query("sip1.example.test", Type.A)
                .getSection(Section.ANSWER)
                .get(0);
        assertThat(((ARecord) a).getAddress().getHostAddress()).isEqualTo("192.0.2.99");
        assertThat(a.getTTL()).isEqualTo(7);
        assertThat(dig().query("_sip._udp.example.test", Type.SRV).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(dnsmasq.queriesFor("sip1.example.test"))
                .as("the log goes on across restarts")
                .isEqualTo(2);
    }

    @Test
    void killMakesQueriesFailAndRestartBringsItBack() throws IOException {
        dnsmasq = Dnsmasq.start(ZONE, dir);
        dnsmasq.kill();
        assertThat(dnsmasq.isAlive()).isFalse();
        // on loopback the kernel answers for the dead port: UDP fails at once (ICMP port unreachable), TCP is refused
        assertThatThrownBy(() -> dig().timeout(Duration.ofSeconds(2)).query("sip1.example.test", Type.A))
                .isInstanceOf(PortUnreachableException.class);
        assertThatThrownBy(() -> dig().tcp().timeout(Duration.ofSeconds(2)).query("sip1.example.test", Type.A))
                .isInstanceOf(ConnectException.class);

        dnsmasq.restart(ZONE);
        assertThat(dig().query("sip1.example.test", Type.A).getSection(Section.ANSWER))
                .hasSize(1);
    }

    @Test
    void pauseMakesQueriesTimeOutUntilResume() throws IOException {
        dnsmasq = Dnsmasq.start(ZONE, dir);
        dnsmasq.pause();
        assertThatThrownBy(() -> dig().timeout(Duration.ofMillis(300)).query("sip1.example.test", Type.A))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Timed out");
        dnsmasq.resume();
        assertThat(dig().query("sip1.example.test", Type.A).getSection(Section.ANSWER))
                .hasSize(1);

        dnsmasq.pause();
        dnsmasq.close(); // must not hang on a stopped process
        assertThat(dnsmasq.isAlive()).isFalse();
    }

    @Test
    void zoneBuilderWritesDnsmasqDirectivesAndRejectsInjection() {
        assertThat(ZONE.directives())
                .contains(
                        "srv-host=_sip._udp.example.test,sip1.example.test,5060,10,60",
                        "host-record=sip1.example.test,192.0.2.1",
                        "host-record=sip1.example.test,2001:db8::1",
                        "srv-host=_sip._tcp.example.test",
                        "naptr-record=example.test,10,50,S,SIP+D2U,,_sip._udp.example.test",
                        "cname=alias.example.test,sip1.example.test");
        assertThatThrownBy(() -> DnsZone.builder().host("a.test\nport=53", "192.0.2.1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsZone.builder().host("a.test", "not-an-ip"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsZone.builder().srv("_s._udp.test", "t.test", 70000, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
