// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

@RealServers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestCertificatesTest {

    private Path dir;
    private TestCertificates certs;
    private Kamailio kamailio;

    @BeforeAll
    void startKamailioWithTls(@TempDir Path tmp) throws Exception {
        dir = tmp;
        certs = TestCertificates.create(dir.resolve("certs"), "127.0.0.1", "127.0.0.2");
        kamailio = Kamailio.start(
                KamailioConfig.builder()
                        .tls(0, certs.serverCertificate(), certs.serverKey())
                        .build(),
                dir.resolve("kamailio"));
    }

    @AfterAll
    void stopKamailio() {
        if (kamailio != null) {
            kamailio.close();
        }
    }

    @Test
    void theServerCertificateNamesItsAddressesAndIsSignedByTheCa() throws Exception {
        X509Certificate ca = read(certs.caCertificate());
        X509Certificate server = read(certs.serverCertificate());
        server.verify(ca.getPublicKey());
        server.checkValidity();
        assertThat(ca.getBasicConstraints()).isNotNegative();
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(7, "127.0.0.1"), List.of(7, "127.0.0.2"));
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(Files.readString(certs.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");

        KeyStore trust = certs.loadTrustStore();
        assertThat(Collections.list(trust.aliases())).singleElement().satisfies(alias -> {
            assertThat(trust.isCertificateEntry(alias)).isTrue();
            assertThat(trust.getCertificate(alias)).isEqualTo(ca);
        });
        assertThat(certs.trustStorePassword()).isEqualTo(TestCertificates.TRUST_STORE_PASSWORD);
    }

    @Test
    void aClientTrustingTheStoreCompletesAHandshakeWithKamailioAndChecksTheIpAddress() throws Exception {
        try (SSLSocket s = connect(certs.clientContext())) {
            SSLParameters p = s.getSSLParameters();
            // the server's identity: its IP address must be in the certificate's subjectAltName
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
            assertThat(((X509Certificate) s.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal()
                            .getName())
                    .contains("CN=127.0.0.1");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaFailsTheHandshake() throws Exception {
        SSLContext defaultTrust = SSLContext.getInstance("TLS");
        defaultTrust.init(null, null, null); // the JDK's CA certificates, which know nothing of ours
        try (SSLSocket s = connect(defaultTrust)) {
            assertThatThrownBy(s::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }

        TestCertificates other = TestCertificates.create(dir.resolve("other"), "127.0.0.1");
        try (SSLSocket s = connect(other.clientContext())) {
            assertThatThrownBy(s::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void onlyLoopbackAddresses() {
        assertThatThrownBy(() -> TestCertificates.create(dir.resolve("bad"), "192.0.2.1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestCertificates.create(dir.resolve("bad")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private SSLSocket connect(SSLContext ctx) throws Exception {
        return (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), kamailio.tlsPort());
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
