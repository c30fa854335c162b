// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipfailover.testkit.dns.Dig.name;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipfailover.testkit.dns.TestDnsServer.Mode;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class TestDnsServerTest {

    private TestDnsServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestDnsServer.start();
        server.add(a("sip1.example.test", "192.0.2.1", 300));
        server.add(new AAAARecord(name("sip1.example.test"), DClass.IN, 300, InetAddress.getByName("2001:db8::1")));
        server.add(a("sip2.example.test", "192.0.2.2", 300));
        server.add(
                new SRVRecord(name("_sip._udp.example.test"), DClass.IN, 120, 10, 60, 5060, name("sip1.example.test")));
        server.add(
                new SRVRecord(name("_sip._udp.example.test"), DClass.IN, 120, 20, 40, 5060, name("sip2.example.test")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ARecord a(String name, String ip, long ttl) throws IOException {
        return new ARecord(name(name), DClass.IN, ttl, InetAddress.getByName(ip));
    }

    private Dig dig() {
        return Dig.at(server.address());
    }

    @Test
    void listensOnLoopbackWithOnePortForUdpAndTcp() throws IOException {
        assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(server.address().getPort()).isEqualTo(server.port());
        assertThat(dig().query("sip1.example.test", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(dig().tcp().query("sip1.example.test", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(server.udpQueryCount()).isEqualTo(1);
        assertThat(server.tcpQueryCount()).isEqualTo(1);
    }

    @Test
    void answersAAuthoritatively() throws IOException {
        Message m = dig().query("SIP1.example.test", Type.A);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).containsExactly(a("sip1.example.test", "192.0.2.1", 300));
        assertThat(m.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(300);
    }

    @Test
    void answersSrvWithTargetAddressesInAdditionalUnlessSwitchedOff() throws IOException {
        Message m = dig().query("_sip._udp.example.test", Type.SRV);
        assertThat(m.getSection(Section.ANSWER)).hasSize(2).allMatch(r -> r.getType() == Type.SRV);
        assertThat(m.getSection(Section.ADDITIONAL))
                .filteredOn(r -> r.getType() != Type.OPT)
                .extracting(r -> r.getName() + " " + Type.string(r.getType()))
                .containsExactlyInAnyOrder("sip1.example.test. A", "sip1.example.test. AAAA", "sip2.example.test. A");

        server.setAdditional(false);
        m = dig().query("_sip._udp.example.test", Type.SRV);
        assertThat(m.getSection(Section.ANSWER)).hasSize(2);
        assertThat(m.getSection(Section.ADDITIONAL)).allMatch(r -> r.getType() == Type.OPT);
    }

    @Test
    void answersNaptr() throws IOException {
        NAPTRRecord naptr = new NAPTRRecord(
                name("example.test"), DClass.IN, 60, 10, 50, "S", "SIP+D2U", "", name("_sip._udp.example.test"));
        server.add(naptr);
        Message m = dig().query("example.test", Type.NAPTR);
        assertThat(m.getSection(Section.ANSWER)).containsExactly(naptr);
    }

    @Test
    void followsCnameChainsWithinItsData() throws IOException {
        server.add(new CNAMERecord(name("alias.example.test"), DClass.IN, 60, name("mid.example.test")));
        server.add(new CNAMERecord(name("mid.example.test"), DClass.IN, 60, name("sip2.example.test")));

        Message m = dig().query("alias.example.test", Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER))
                .extracting(r -> Type.string(r.getType()))
                .containsExactly("CNAME", "CNAME", "A");

        Message cnameOnly = dig().query("alias.example.test", Type.CNAME);
        assertThat(cnameOnly.getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void aCnameLoopDoesNotHangTheServer() throws IOException {
        server.add(new CNAMERecord(name("loop1.example.test"), DClass.IN, 60, name("loop2.example.test")));
        server.add(new CNAMERecord(name("loop2.example.test"), DClass.IN, 60, name("loop1.example.test")));
        Message m = dig().query("loop1.example.test", Type.A);
        assertThat(m.getSection(Section.ANSWER)).hasSizeBetween(1, 16).allMatch(r -> r.getType() == Type.CNAME);
        assertThat(dig().query("sip1.example.test", Type.A).getSection(Section.ANSWER))
                .hasSize(1);
    }

    @Test
    void nxdomainAndNodataCarryTheSoaOfTheMostSpecificZone() throws IOException {
        server.setSoa(name("test"), 3600, 900);
        server.setSoa(name("example.test"), 600, 30);

        Message nx = dig().query("nothere.example.test", Type.A);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(nx.getSection(Section.ANSWER)).isEmpty();
        assertThat(nx.getSection(Section.AUTHORITY)).singleElement().satisfies(r -> {
            assertThat(r.getName()).isEqualTo(name("example.test"));
            assertThat(r.getTTL()).isEqualTo(600);
            assertThat(((SOARecord) r).getMinimum()).isEqualTo(30);
        });

        Message nodata = dig().query("sip2.example.test", Type.AAAA);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getSection(Section.AUTHORITY))
                .singleElement()
                .extracting(Record::getType)
                .isEqualTo(Type.SOA);

        Message emptyNonTerminal = dig().query("_udp.example.test", Type.SRV);
        assertThat(emptyNonTerminal.getRcode())
                .as("a name with names below it exists")
                .isEqualTo(Rcode.NOERROR);

        Message outside = dig().query("example.org", Type.A);
        assertThat(outside.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(outside.getSection(Section.AUTHORITY)).isEmpty();
    }

    @Test
    void recordsCanBeRemovedAndCleared() throws IOException {
        assertThat(server.remove(name("sip1.example.test"), Type.A)).isTrue();
        assertThat(server.remove(name("sip1.example.test"), Type.A)).isFalse();
        assertThat(dig().query("sip1.example.test", Type.A).getRcode())
                .as("AAAA still there")
                .isEqualTo(Rcode.NOERROR);
        assertThat(dig().query("sip1.example.test", Type.A).getSection(Section.ANSWER))
                .isEmpty();

        server.clear();
        assertThat(dig().query("sip2.example.test", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void truncatedUdpMakesTheClientRetryOverTcp() throws IOException {
        server.setTruncateUdp(true);

        Message m = dig().query("sip1.example.test", Type.A);

        assertThat(m.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(m.getSection(Section.ANSWER)).hasSize(1);
        assertThat(server.udpQueryCount()).isEqualTo(1);
        assertThat(server.tcpQueryCount()).isEqualTo(1);

        Message truncated = dig().ignoreTruncation().query("sip1.example.test", Type.A);
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void udpAnswersOverTheSizeLimitAreTruncatedLikeARealServer() throws IOException {
        for (int i = 0; i < 10; i++) {
            server.add(new TXTRecord(name("big.example.test"), DClass.IN, 60, "x".repeat(100) + i));
        }

        Message plain = dig().noEdns().ignoreTruncation().query("big.example.test", Type.TXT);
        assertThat(plain.getHeader().getFlag(Flags.TC))
                .as("over 512 bytes without EDNS")
                .isTrue();
        assertThat(plain.getSection(Section.ANSWER)).isEmpty();

        Message edns = dig().edns(4096).ignoreTruncation().query("big.example.test", Type.TXT);
        assertThat(edns.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(edns.getSection(Section.ANSWER)).hasSize(10);
        assertThat(edns.getOPT()).isNotNull();

        Message retried = dig().noEdns().query("big.example.test", Type.TXT);
        assertThat(retried.getSection(Section.ANSWER)).hasSize(10);
        assertThat(server.tcpQueryCount()).isEqualTo(1);
    }

    @Test
    void silentServerReadsButNeverAnswers() throws IOException {
        server.setMode(Mode.SILENT);
        assertThatThrownBy(() -> dig().timeout(Duration.ofMillis(300)).query("sip1.example.test", Type.A))
                .isInstanceOf(IOException.class);
        assertThat(server.queryCount(name("sip1.example.test"), Type.A)).isPositive();

        server.setMode(Mode.NORMAL);
        assertThat(dig().query("sip1.example.test", Type.A).getSection(Section.ANSWER))
                .hasSize(1);
    }

    @Test
    void servfailAndRefusedModes() throws IOException {
        server.setMode(Mode.SERVFAIL);
        assertThat(dig().query("sip1.example.test", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
        server.setMode(Mode.REFUSED);
        assertThat(dig().tcp().query("sip1.example.test", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void answerDelayHoldsAnswersBack() throws IOException {
        server.setAnswerDelay(Duration.ofMillis(700));
        assertThatThrownBy(() -> dig().timeout(Duration.ofMillis(200)).query("sip1.example.test", Type.A))
                .isInstanceOf(IOException.class);
        assertThat(dig().timeout(Duration.ofSeconds(5))
                        .query("sip2.example.test", Type.A)
                        .getSection(Section.ANSWER))
                .hasSize(1);
    }

    @Test
    void countsQueriesPerQuestionAndTransport() throws IOException {
        dig().query("sip1.example.test", Type.A);
        dig().query("sip1.example.test", Type.A);
        dig().query("sip1.example.test", Type.AAAA);
        dig().tcp().query("_sip._udp.example.test", Type.SRV);

        assertThat(server.queryCount()).isEqualTo(4);
        assertThat(server.queryCount(name("SIP1.example.test"), Type.A)).isEqualTo(2);
        assertThat(server.queryCount(name("sip1.example.test"), Type.AAAA)).isEqualTo(1);
        assertThat(server.queryCount(name("_sip._udp.example.test"), Type.SRV)).isEqualTo(1);
        assertThat(server.udpQueryCount()).isEqualTo(3);
        assertThat(server.tcpQueryCount()).isEqualTo(1);

        server.resetCounts();
        assertThat(server.queryCount()).isZero();
        assertThat(server.queryCount(name("sip1.example.test"), Type.A)).isZero();
    }

    @Test
    void survivesMalformedPackets() throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] junk = {1, 2, 3, 4, 5};
            s.send(new DatagramPacket(junk, junk.length, server.address()));
        }
        try (Socket s = new Socket(server.address().getAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0, 3, 9, 9, 9});
            // a valid query on the same connection is still answered
            byte[] q = Message.newQuery(Record.newRecord(name("sip2.example.test"), Type.A, DClass.IN))
                    .toWire();
            out.write(new byte[] {(byte) (q.length >>> 8), (byte) q.length});
            out.write(q);
            out.flush();
            s.setSoTimeout(2000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            assertThat(new Message(answer).getSection(Section.ANSWER)).hasSize(1);
        }
        assertThat(dig().query("sip1.example.test", Type.A).getSection(Section.ANSWER))
                .hasSize(1);
        assertThat(server.queryCount()).isEqualTo(2);
    }
}
