// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.sip;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a {@link Kamailio} registrar is: where it listens and which RFC 5626 behaviour it shows. Immutable;
 * built fluently:
 *
 * <pre>{@code
 * KamailioConfig cfg = KamailioConfig.builder().address("127.0.0.2").flowTimer(25).outboundMode(1)
 *         .domain("backup.test").requireAuth("alice", "secret").build();
 * }</pre>
 *
 * Port 0 means a free port picked at start; {@link Kamailio#config()} tells the ports in use.
 */
public final class KamailioConfig {

    /** The address of a config whose builder was not given one. */
    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    /** The domain of a config whose builder was not given one. */
    public static final String DEFAULT_DOMAIN = "example.test";
    /** The outbound mode of a config whose builder was not given one: RFC 5626 when the client asks. */
    public static final int DEFAULT_OUTBOUND_MODE = 1;
    /** {@link #tlsPort()} of a config without TLS. */
    public static final int NO_TLS = -1;

    private final String address;
    private final int port;
    private final int tlsPort;
    private final Path tlsCertificate;
    private final Path tlsPrivateKey;
    private final int flowTimer;
    private final int outboundMode;
    private final String domain;
    private final String authUser;
    private final String authPassword;
    private final int minExpires;

    private KamailioConfig(Builder b) {
        this.address = b.address;
        this.port = b.port;
        this.tlsPort = b.tlsPort;
        this.tlsCertificate = b.tlsCertificate;
        this.tlsPrivateKey = b.tlsPrivateKey;
        this.flowTimer = b.flowTimer;
        this.outboundMode = b.outboundMode;
        this.domain = b.domain;
        this.authUser = b.authUser;
        this.authPassword = b.authPassword;
        this.minExpires = b.minExpires;
    }

    /** A builder with the defaults: 127.0.0.1, free port, no TLS, no Flow-Timer, outbound mode 1, no auth. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.address = address;
        b.port = port;
        b.tlsPort = tlsPort;
        b.tlsCertificate = tlsCertificate;
        b.tlsPrivateKey = tlsPrivateKey;
        b.flowTimer = flowTimer;
        b.outboundMode = outboundMode;
        b.domain = domain;
        b.authUser = authUser;
        b.authPassword = authPassword;
        b.minExpires = minExpires;
        return b;
    }

    /** The loopback address it listens on, e.g. {@code "127.0.0.1"}. */
    public String address() {
        return address;
    }

    /** The port of UDP and TCP; 0 = pick a free one at start. */
    public int port() {
        return port;
    }

    /** Whether it listens for TLS too. */
    public boolean tls() {
        return tlsPort != NO_TLS;
    }

    /** The TLS port; 0 = pick a free one at start; {@link #NO_TLS} without TLS. */
    public int tlsPort() {
        return tlsPort;
    }

    /** The server certificate (PEM) for TLS. */
    public Optional<Path> tlsCertificate() {
        return Optional.ofNullable(tlsCertificate);
    }

    /** The server's private key (PEM) for TLS. */
    public Optional<Path> tlsPrivateKey() {
        return Optional.ofNullable(tlsPrivateKey);
    }

    /** The Flow-Timer in seconds the registrar tells outbound clients (RFC 5626 §4.4.1); 0 = none. */
    public int flowTimer() {
        return flowTimer;
    }

    /** The registrar's outbound_mode: 0 = outbound only if required, 1 = supported, 2 = required. */
    public int outboundMode() {
        return outboundMode;
    }

    /** The domain it is registrar for (besides its address); AORs are {@code user@domain}. */
    public String domain() {
        return domain;
    }

    /** The one user REGISTER must authenticate as, if auth is required. */
    public Optional<String> authUser() {
        return Optional.ofNullable(authUser);
    }

    /** That user's password, if auth is required. */
    public Optional<String> authPassword() {
        return Optional.ofNullable(authPassword);
    }

    /** Whether REGISTER is challenged with 401. */
    public boolean requiresAuth() {
        return authUser != null;
    }

    /** The shortest registration accepted in seconds (a shorter one gets 423 with Min-Expires); 0 = any. */
    public int minExpires() {
        return minExpires;
    }

    @Override
    public String toString() {
        return "KamailioConfig[" + address + ":" + port + (tls() ? ", tls " + tlsPort : "") + ", domain " + domain
                + ", outbound_mode " + outboundMode + ", flow_timer " + flowTimer
                + (requiresAuth() ? ", auth " + authUser : "") + (minExpires > 0 ? ", min_expires " + minExpires : "")
                + "]";
    }

    /** Builds a {@link KamailioConfig}; not thread-safe. */
    public static final class Builder {

        private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
        private static final Pattern LOOPBACK = Pattern.compile("127(\\." + OCTET + "){3}");
        private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*");
        // the credential goes into a quoted string of kamailio.cfg and into digest fields: no quotes, no blanks
        private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+-]+");

        private String address = DEFAULT_ADDRESS;
        private int port;
        private int tlsPort = NO_TLS;
        private Path tlsCertificate;
        private Path tlsPrivateKey;
        private int flowTimer;
        private int outboundMode = DEFAULT_OUTBOUND_MODE;
        private String domain = DEFAULT_DOMAIN;
        private String authUser;
        private String authPassword;
        private int minExpires;

        private Builder() {}

        /** The loopback address (127.0.0.0/8) to listen on. */
        public Builder address(String address) {
            if (!LOOPBACK.matcher(Objects.requireNonNull(address, "address")).matches()) {
                throw new IllegalArgumentException("not an IPv4 loopback address: " + address);
            }
            this.address = address;
            return this;
        }

        /** The port of UDP and TCP; 0 = a free one. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** Listen for TLS on {@code port} (0 = a free one) with this certificate and private key (PEM files). */
        public Builder tls(int port, Path certificatePem, Path privateKeyPem) {
            this.tlsPort = checkPort(port);
            this.tlsCertificate =
                    Objects.requireNonNull(certificatePem, "certificatePem").toAbsolutePath();
            this.tlsPrivateKey =
                    Objects.requireNonNull(privateKeyPem, "privateKeyPem").toAbsolutePath();
            return this;
        }

        /** No TLS listener. */
        public Builder noTls() {
            this.tlsPort = NO_TLS;
            this.tlsCertificate = null;
            this.tlsPrivateKey = null;
            return this;
        }

        /** The Flow-Timer header value in seconds (registrar flow_timer); 0 = none. */
        public Builder flowTimer(int seconds) {
            if (seconds < 0) {
                throw new IllegalArgumentException("negative flow timer: " + seconds);
            }
            this.flowTimer = seconds;
            return this;
        }

        /** The registrar's outbound_mode: 0, 1 or 2. */
        public Builder outboundMode(int mode) {
            if (mode < 0 || mode > 2) {
                throw new IllegalArgumentException("outbound mode must be 0, 1 or 2: " + mode);
            }
            this.outboundMode = mode;
            return this;
        }

        /** The domain it is registrar for. */
        public Builder domain(String domain) {
            if (!DOMAIN.matcher(Objects.requireNonNull(domain, "domain")).matches()) {
                throw new IllegalArgumentException("not a domain name: " + domain);
            }
            this.domain = domain;
            return this;
        }

        /**
         * Challenge every REGISTER with 401 (realm = the To domain) and accept only {@code user} with
         * {@code password} (letters, digits and {@code ._~+-}).
         */
        public Builder requireAuth(String user, String password) {
            this.authUser = token("user", user);
            this.authPassword = token("password", password);
            return this;
        }

        /** No authentication. */
        public Builder noAuth() {
            this.authUser = null;
            this.authPassword = null;
            return this;
        }

        /** The shortest registration accepted, in seconds; 0 = any. */
        public Builder minExpires(int seconds) {
            if (seconds < 0) {
                throw new IllegalArgumentException("negative min expires: " + seconds);
            }
            this.minExpires = seconds;
            return this;
        }

        /** The config. */
        public KamailioConfig build() {
            return new KamailioConfig(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port out of range 0..65535: " + port);
            }
            return port;
        }

        private static String token(String what, String value) {
            if (!TOKEN.matcher(Objects.requireNonNull(value, what)).matches()) {
                throw new IllegalArgumentException(what + " may hold only letters, digits and ._~+-");
            }
            return value;
        }
    }
}
