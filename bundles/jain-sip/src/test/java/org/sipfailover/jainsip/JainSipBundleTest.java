// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.sipfailover.testkit.net.FreePorts;

/**
 * The classes this bundle holds (surefire leaves the plain jain-sip-ri jar off the class path) make a working
 * stack through {@link SipFactory}, the way a bundle using JAIN-SIP does it. OSGi resolution is tested in itests.
 */
class JainSipBundleTest {

    @Test
    void theManifestImportsOnlyLog4jSctpAndTheJreAndExportsTheApiAndTheRi() throws Exception {
        Manifest mf;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            mf = new Manifest(in);
        }
        Attributes a = mf.getMainAttributes();
        assertThat(a.getValue("Bundle-SymbolicName")).isEqualTo("org.sipfailover.jain-sip");
        assertThat(clauses(a.getValue("Import-Package")))
                .containsExactlyInAnyOrder(
                        "org.apache.log4j;version=\"[1.2,2)\"",
                        "com.sun.nio.sctp;resolution:=optional",
                        "javax.net",
                        "javax.net.ssl");
        List<String> exports = clauses(a.getValue("Export-Package"));
        assertThat(exports)
                .anyMatch(e -> e.startsWith("javax.sip;") && e.contains("version=\"1.2\""))
                .anyMatch(e -> e.startsWith("javax.sip.header;") && e.contains("version=\"1.2\""))
                .anyMatch(e -> e.startsWith("gov.nist.javax.sip;") && e.contains("version=\"1.3.0\""))
                .anyMatch(e -> e.startsWith("gov.nist.javax.sip.stack;") && e.contains("version=\"1.3.0\""));
    }

    /** The clauses of a manifest header: commas inside quotes do not separate. */
    private static List<String> clauses(String header) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?:[^,\"]|\"[^\"]*\")+").matcher(header);
        while (m.find()) {
            out.add(m.group().strip());
        }
        return out;
    }

    @Test
    void sipFactoryCreatesAStackListeningOnLoopback() throws Exception {
        // the bundle's copy, not a jar from the local repository
        assertThat(SipFactory.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .getPath())
                .endsWith("/target/classes/");

        String host = "127.0.0.1";
        int port = FreePorts.udpAndTcp(InetAddress.getByName(host));
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties props = new Properties();
        props.setProperty("javax.sip.STACK_NAME", "jain-sip-bundle-test");
        props.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        SipStack stack = factory.createSipStack(props);
        try {
            assertThat(stack.getClass().getName()).isEqualTo("gov.nist.javax.sip.SipStackImpl");
            ListeningPoint udp = stack.createListeningPoint(host, port, ListeningPoint.UDP);
            ListeningPoint tcp = stack.createListeningPoint(host, port, ListeningPoint.TCP);
            SipProvider provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            stack.start();

            assertThat(provider.getListeningPoints())
                    .extracting(ListeningPoint::getTransport)
                    .map(String::toUpperCase)
                    .containsExactlyInAnyOrder("UDP", "TCP");
            assertThat(FreePorts.isFreeForUdpAndTcp(InetAddress.getByName(host), port))
                    .isFalse();

            HeaderFactory headers = factory.createHeaderFactory();
            Request options = factory.createMessageFactory()
                    .createRequest("OPTIONS sip:probe@" + host + ":" + port + " SIP/2.0\r\n"
                            + "Via: SIP/2.0/UDP " + host + ":" + port + ";branch=z9hG4bK-test\r\n"
                            + "Max-Forwards: 70\r\nFrom: <sip:t@" + host + ">;tag=1\r\nTo: <sip:probe@" + host + ">\r\n"
                            + "Call-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
            options.addHeader(headers.createHeader("Supported", "outbound"));
            assertThat(options.getMethod()).isEqualTo(Request.OPTIONS);
            assertThat(options.getHeader("Supported").toString()).contains("outbound");
        } finally {
            stack.stop();
        }
    }
}
