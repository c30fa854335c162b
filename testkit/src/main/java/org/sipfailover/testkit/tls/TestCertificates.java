// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.tls;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and one server certificate signed by it, made with Debian's
 * {@code openssl} for TLS tests on loopback: the PEM files a server such as Kamailio's tls module reads, and a
 * PKCS12 trust store with the CA for Java clients.
 *
 * <p>The server certificate names its loopback addresses as {@code subjectAltName} IP entries, so that a client
 * that checks the server's identity (RFC 5922 §7.1 for SIP) accepts it when it connects to such an address. Keys
 * are EC P-256: quick to make. Everything is valid for {@value #VALIDITY_DAYS} days.
 *
 * <p>Files in the directory: {@value #CA_CERTIFICATE}, {@value #CA_KEY}, {@value #SERVER_CERTIFICATE},
 * {@value #SERVER_KEY}, {@value #TRUST_STORE} and openssl's intermediate files.
 */
public final class TestCertificates {

    /** Where Debian's openssl package puts the binary. */
    public static final Path OPENSSL = Path.of("/usr/bin/openssl");
    /** The CA's certificate (PEM) in the directory. */
    public static final String CA_CERTIFICATE = "ca.pem";
    /** The CA's private key (PEM) in the directory; nothing but {@link #create} needs it. */
    public static final String CA_KEY = "ca.key";
    /** The server's certificate (PEM) in the directory. */
    public static final String SERVER_CERTIFICATE = "server.pem";
    /** The server's private key (PEM, PKCS#8, unencrypted) in the directory. */
    public static final String SERVER_KEY = "server.key";
    /** The PKCS12 trust store with the CA in the directory. */
    public static final String TRUST_STORE = "truststore.p12";
    /** The trust store's type, for {@link KeyStore#getInstance(String)} and {@code javax.net.ssl.trustStoreType}. */
    public static final String TRUST_STORE_TYPE = "PKCS12";
    /** The trust store's password: a throw-away store needs no secret one. */
    public static final String TRUST_STORE_PASSWORD = "testkit";
    /** How long the certificates are valid, from now. */
    public static final int VALIDITY_DAYS = 2;

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern LOOPBACK = Pattern.compile("127(\\." + OCTET + "){3}");
    private static final long OPENSSL_TIMEOUT_SECONDS = 30;

    private final Path dir;
    private final List<String> ipAddresses;

    private TestCertificates(Path dir, List<String> ipAddresses) {
        this.dir = dir;
        this.ipAddresses = List.copyOf(ipAddresses);
    }

    /**
     * Makes a new CA and a server certificate for {@code serverIps} (loopback addresses such as
     * {@code "127.0.0.1"}, at least one; the first is also the subject's CN) in {@code dir}, replacing what a
     * former call left there.
     *
     * @throws IllegalStateException if openssl is missing or fails
     */
    public static TestCertificates create(Path dir, String... serverIps) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (serverIps.length == 0) {
            throw new IllegalArgumentException("no server address");
        }
        for (String ip : serverIps) {
            if (!LOOPBACK.matcher(Objects.requireNonNull(ip, "ip")).matches()) {
                throw new IllegalArgumentException("not an IPv4 loopback address: " + ip);
            }
        }
        if (!Files.isExecutable(OPENSSL)) {
            throw new IllegalStateException("openssl not installed: apt-get install openssl");
        }
        Path d = dir.toAbsolutePath();
        Files.createDirectories(d);
        TestCertificates certs = new TestCertificates(d, List.of(serverIps));
        certs.make();
        return certs;
    }

    /** The loopback addresses the server certificate is for. */
    public List<String> ipAddresses() {
        return ipAddresses;
    }

    /** The CA certificate, PEM. */
    public Path caCertificate() {
        return dir.resolve(CA_CERTIFICATE);
    }

    /** The server certificate, PEM; signed by the CA, {@code subjectAltName} = the IP addresses. */
    public Path serverCertificate() {
        return dir.resolve(SERVER_CERTIFICATE);
    }

    /** The server's private key, PEM (PKCS#8, unencrypted). */
    public Path serverKey() {
        return dir.resolve(SERVER_KEY);
    }

    /** A PKCS12 trust store ({@link #TRUST_STORE_PASSWORD}) whose one entry is the CA certificate. */
    public Path trustStore() {
        return dir.resolve(TRUST_STORE);
    }

    /** {@link #TRUST_STORE_PASSWORD}. */
    public String trustStorePassword() {
        return TRUST_STORE_PASSWORD;
    }

    /** The trust store, loaded. */
    public KeyStore loadTrustStore() throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(TRUST_STORE_TYPE);
        try (InputStream in = Files.newInputStream(trustStore())) {
            ks.load(in, TRUST_STORE_PASSWORD.toCharArray());
        }
        return ks;
    }

    /** A client-side TLS context that trusts this CA and nothing else (no client certificate). */
    public SSLContext clientContext() throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(loadTrustStore());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    @Override
    public String toString() {
        return "TestCertificates[" + dir + ", " + ipAddresses + "]";
    }

    private void make() throws IOException {
        Path ext = dir.resolve("server.ext");
        // an EC key signs (digitalSignature) in ECDHE_ECDSA and TLS 1.3; serverAuth limits it to servers
        Files.writeString(
                ext,
                String.join(
                        "\n",
                        "basicConstraints = critical, CA:FALSE",
                        "keyUsage = critical, digitalSignature",
                        "extendedKeyUsage = serverAuth",
                        "subjectAltName = "
                                + ipAddresses.stream().map(ip -> "IP:" + ip).collect(Collectors.joining(", ")),
                        ""),
                StandardCharsets.UTF_8);
        String days = Integer.toString(VALIDITY_DAYS);
        openssl(
                "req",
                "-x509",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                CA_KEY,
                "-out",
                CA_CERTIFICATE,
                "-days",
                days,
                "-sha256",
                "-subj",
                "/O=sip-failover testkit/CN=throw-away test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        openssl(
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                SERVER_KEY,
                "-out",
                "server.csr",
                "-subj",
                "/O=sip-failover testkit/CN=" + ipAddresses.get(0));
        // a random serial: a client that met an earlier CA of the same name must not see a repeated serial
        String serial = "0x"
                + new BigInteger(64, new SecureRandom()).add(BigInteger.ONE).toString(16);
        openssl(
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                CA_CERTIFICATE,
                "-CAkey",
                CA_KEY,
                "-set_serial",
                serial,
                "-days",
                days,
                "-sha256",
                "-extfile",
                ext.getFileName().toString(),
                "-out",
                SERVER_CERTIFICATE);
        writeTrustStore();
    }

    private void writeTrustStore() throws IOException {
        try (InputStream in = Files.newInputStream(caCertificate())) {
            X509Certificate ca =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore ks = KeyStore.getInstance(TRUST_STORE_TYPE);
            ks.load(null, null);
            ks.setCertificateEntry("sip-failover-test-ca", ca);
            Path tmp = dir.resolve(TRUST_STORE + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
            Files.move(tmp, trustStore(), StandardCopyOption.REPLACE_EXISTING);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store " + trustStore() + ": " + e, e);
        }
    }

    private void openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(OPENSSL.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            // openssl prints little; reading it all before waiting cannot block on a full pipe
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("openssl did not finish: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("openssl failed (" + p.exitValue() + "): " + cmd + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        } finally {
            p.destroyForcibly();
        }
    }
}
