// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;

/**
 * Everything one line is configured with, independent of the vendor file or ConfigAdmin configuration it
 * came from. Immutable and thread-safe; built with {@link #builder(String)}. New settings are added as
 * new accessors with defaults, so code that builds or reads configurations keeps working.
 *
 * <p>The address of record is {@code sip:<user>@<proxy host>} for the proxy in use (Aastra: "registers
 * with the backup proxy's AOR"). The proxy and the registrar each have a primary and an optional backup;
 * the outbound proxy is optional, and so is its backup. {@link #toString()} never shows the password.
 *
 * <p>One piece on purpose, although over 500 lines: it is the API's whole contract for a line, about thirty
 * settings, each with its documented accessor here and its setter in the nested {@link Builder}; the checks
 * live apart ({@code LineConfigCheck}). Moving the builder out would rename a public type for no reader's gain.
 */
public final class LineConfig {

    /**
     * The ConfigAdmin factory PID of lines: one factory configuration per line ({@code
     * org.sipfailover.line~<line id>}), written by a vendor adapter or by hand.
     */
    public static final String FACTORY_PID = "org.sipfailover.line";

    /** The default keep-alive interval when the registrar sends no Flow-Timer. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
    /** The default pong (and STUN answer) deadline. */
    public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(10);
    /** The shortest transaction time-out a line may have: below it a live server over UDP may look silent. */
    public static final Duration MIN_TRANSACTION_TIMEOUT = Duration.ofSeconds(1);
    /** The default requested registration expiry. */
    public static final Duration DEFAULT_REGISTRATION_PERIOD = Duration.ofSeconds(3600);

    private final String id;
    private final String user;
    private final String displayName;
    private final Credentials credentials;
    private final Map<ServerRef, ServerAddress> servers;
    private final Transport transport;
    private final boolean sipOutbound;
    private final boolean persistentTls;
    private final boolean symmetricUdp;
    private final Duration keepAliveInterval;
    private final Duration pongTimeout;
    private final Duration transactionTimeout;
    private final Duration registrationPeriod;
    private final Duration registrationRenewal;
    private final Duration registrationRetry;
    private final Duration registrationTimeoutRetry;
    private final Duration recoveryBaseAllFailed;
    private final Duration recoveryBaseSomeOk;
    private final Duration recoveryMax;
    private final Duration probeInterval;
    private final String policy;
    private final FailbackMode failbackMode;
    private final Duration failbackHoldOff;
    private final Duration failbackTimeout;
    private final boolean failbackWhenIdle;
    private final List<SubscriptionConfig> subscriptions;
    private final List<StaticSrvRecord> staticSrvRecords;
    private final Map<String, String> extra;

    private LineConfig(Builder b) {
        this.id = b.id;
        this.user = b.user;
        this.displayName = b.displayName;
        this.credentials = b.credentials;
        this.servers = Collections.unmodifiableMap(LineConfigCheck.ordered(b.servers));
        this.transport = b.transport;
        this.sipOutbound = b.sipOutbound;
        this.persistentTls = b.persistentTls;
        this.symmetricUdp = b.symmetricUdp;
        this.keepAliveInterval = b.keepAliveInterval;
        this.pongTimeout = b.pongTimeout;
        this.transactionTimeout = b.transactionTimeout;
        this.registrationPeriod = b.registrationPeriod;
        this.registrationRenewal = b.registrationRenewal;
        this.registrationRetry = b.registrationRetry;
        this.registrationTimeoutRetry = b.registrationTimeoutRetry;
        this.recoveryBaseAllFailed = b.recoveryBaseAllFailed;
        this.recoveryBaseSomeOk = b.recoveryBaseSomeOk;
        this.recoveryMax = b.recoveryMax;
        this.probeInterval = b.probeInterval;
        this.policy = b.policy;
        this.failbackMode = b.failbackMode;
        this.failbackHoldOff = b.failbackHoldOff;
        this.failbackTimeout = b.failbackTimeout;
        this.failbackWhenIdle = b.failbackWhenIdle;
        this.subscriptions = List.copyOf(b.subscriptions);
        this.staticSrvRecords = List.copyOf(b.staticSrvRecords);
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
    }

    /** A builder for the line with this id. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = builder(id)
                .user(user)
                .displayName(displayName)
                .credentials(credentials)
                .transport(transport)
                .sipOutbound(sipOutbound)
                .persistentTls(persistentTls)
                .symmetricUdp(symmetricUdp)
                .keepAliveInterval(keepAliveInterval)
                .pongTimeout(pongTimeout)
                .transactionTimeout(transactionTimeout)
                .registrationPeriod(registrationPeriod)
                .registrationRenewal(registrationRenewal)
                .registrationRetry(registrationRetry)
                .registrationTimeoutRetry(registrationTimeoutRetry)
                .recovery(recoveryBaseAllFailed, recoveryBaseSomeOk, recoveryMax)
                .probeInterval(probeInterval)
                .policy(policy)
                .failback(failbackMode, failbackHoldOff, failbackTimeout, failbackWhenIdle);
        servers.forEach((ref, a) -> b.server(ref.role(), ref.rank(), a));
        subscriptions.forEach(b::subscription);
        staticSrvRecords.forEach(b::staticSrvRecord);
        extra.forEach(b::extra);
        return b;
    }

    /** The line's stable id: the name of its factory configuration, e.g. {@code 00085d1a2b3c-line1}. */
    public String id() {
        return id;
    }

    /** The user part of the address of record ("phone number"). */
    public String user() {
        return user;
    }

    /** The display name, or empty. */
    public Optional<String> displayName() {
        return Optional.ofNullable(displayName);
    }

    /** The digest credentials, if the line authenticates. */
    public Optional<Credentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    /** The configured server for a role and rank, if any. */
    public Optional<ServerAddress> server(ServerRef ref) {
        return Optional.ofNullable(servers.get(ref));
    }

    /** The configured server for a role and rank, if any. */
    public Optional<ServerAddress> server(ServerRole role, Rank rank) {
        return server(ServerRef.of(role, rank));
    }

    /** All configured servers. */
    public Map<ServerRef, ServerAddress> servers() {
        return servers;
    }

    /**
     * The address of record when the given proxy is in use: {@code sip:<user>@<proxy host>}.
     *
     * @throws IllegalStateException if that proxy is not configured
     */
    public String aor(Rank proxy) {
        ServerAddress p = server(ServerRole.PROXY, proxy)
                .orElseThrow(() -> new IllegalStateException(
                        "line " + id + ": no " + proxy.name().toLowerCase() + " proxy configured"));
        String host = p.host().indexOf(':') >= 0 ? "[" + p.host() + "]" : p.host();
        return "sip:" + user + "@" + host;
    }

    /** The transport, or empty to let DNS (NAPTR/SRV) choose. */
    public Optional<Transport> transport() {
        return Optional.ofNullable(transport);
    }

    /** Whether RFC 5626 SIP outbound is on (Aastra {@code sip outbound support}). */
    public boolean sipOutbound() {
        return sipOutbound;
    }

    /** Persistent TLS: one connection from local port 5061 reused for everything (Aastra). */
    public boolean persistentTls() {
        return persistentTls;
    }

    /** Symmetric UDP signalling: send from and listen on port 5060 rather than a random port. */
    public boolean symmetricUdp() {
        return symmetricUdp;
    }

    /** The keep-alive interval used when the registrar gives no Flow-Timer. */
    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }

    /** How long to wait for a CRLF pong or a STUN answer. */
    public Duration pongTimeout() {
        return pongTimeout;
    }

    /**
     * How long a request of this line (REGISTER, SUBSCRIBE, an OPTIONS probe) waits for its final answer
     * before the server counts as silent (Aastra {@code sip transaction timer}, AudioCodes
     * {@code outgoing_request_no_response_timeout_ms}); empty: the flow manager's {@code transactionTimeoutMillis}.
     *
     * @since 1.1
     */
    public Optional<Duration> transactionTimeout() {
        return Optional.ofNullable(transactionTimeout);
    }

    /** The requested registration expiry; zero lets the registrar decide. */
    public Duration registrationPeriod() {
        return registrationPeriod;
    }

    /** Renew at least this long before the registration expires (Aastra renewal timer). */
    public Duration registrationRenewal() {
        return registrationRenewal;
    }

    /** The wait before retrying a rejected REGISTER. */
    public Duration registrationRetry() {
        return registrationRetry;
    }

    /** The wait before retrying a REGISTER that timed out. */
    public Duration registrationTimeoutRetry() {
        return registrationTimeoutRetry;
    }

    /** RFC 5626 §4.5 base time when every flow has failed. */
    public Duration recoveryBaseAllFailed() {
        return recoveryBaseAllFailed;
    }

    /** RFC 5626 §4.5 base time when some flow still works. */
    public Duration recoveryBaseSomeOk() {
        return recoveryBaseSomeOk;
    }

    /** RFC 5626 §4.5 upper bound of the recovery wait. */
    public Duration recoveryMax() {
        return recoveryMax;
    }

    /** The OPTIONS probe period, when a policy probes (AudioCodes keep-alive period). */
    public Duration probeInterval() {
        return probeInterval;
    }

    /** The {@code policy.name} of the failover policy this line uses. */
    public String policy() {
        return policy;
    }

    public FailbackMode failbackMode() {
        return failbackMode;
    }

    /** How long a recovered primary must stay healthy before the line returns to it. */
    public Duration failbackHoldOff() {
        return failbackHoldOff;
    }

    /** For {@link FailbackMode#DURATION}: how long to stay on the backup before trying the primary. */
    public Duration failbackTimeout() {
        return failbackTimeout;
    }

    /** Whether a failback waits until no call is in progress. */
    public boolean failbackWhenIdle() {
        return failbackWhenIdle;
    }

    public List<SubscriptionConfig> subscriptions() {
        return subscriptions;
    }

    public List<StaticSrvRecord> staticSrvRecords() {
        return staticSrvRecords;
    }

    /** Settings this model has no field for, kept as read (vendor keys, lower case). */
    public Map<String, String> extra() {
        return extra;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LineConfig)) {
            return false;
        }
        return id.equals(((LineConfig) o).id) && values().equals(((LineConfig) o).values());
    }

    /** Every setting but the id, for {@link #equals}; some may be null. */
    private List<Object> values() {
        return Arrays.asList(
                user,
                displayName,
                credentials,
                servers,
                transport,
                sipOutbound,
                persistentTls,
                symmetricUdp,
                keepAliveInterval,
                pongTimeout,
                transactionTimeout,
                registrationPeriod,
                registrationRenewal,
                registrationRetry,
                registrationTimeoutRetry,
                recoveryBaseAllFailed,
                recoveryBaseSomeOk,
                recoveryMax,
                probeInterval,
                policy,
                failbackMode,
                failbackHoldOff,
                failbackTimeout,
                failbackWhenIdle,
                subscriptions,
                staticSrvRecords,
                extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, user, servers, transport, sipOutbound, policy);
    }

    @Override
    public String toString() {
        return "LineConfig[id=" + id + ", user=" + user + ", servers=" + servers + ", transport="
                + (transport == null ? "any" : transport) + ", sipOutbound=" + sipOutbound + ", policy=" + policy
                + ", credentials=" + credentials + ", subscriptions=" + subscriptions.size() + "]";
    }

    /** Builds a {@link LineConfig}; not thread-safe. */
    public static final class Builder {
        private final String id;
        private String user;
        private String displayName;
        private Credentials credentials;
        private final Map<ServerRef, ServerAddress> servers = new LinkedHashMap<>();
        private Transport transport = Transport.UDP;
        private boolean sipOutbound;
        private boolean persistentTls;
        private boolean symmetricUdp;
        private Duration keepAliveInterval = DEFAULT_KEEP_ALIVE;
        private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
        private Duration transactionTimeout;
        private Duration registrationPeriod = DEFAULT_REGISTRATION_PERIOD;
        private Duration registrationRenewal = Duration.ofSeconds(15);
        private Duration registrationRetry = Duration.ofSeconds(60);
        private Duration registrationTimeoutRetry = Duration.ofSeconds(30);
        private Duration recoveryBaseAllFailed = Duration.ofSeconds(30);
        private Duration recoveryBaseSomeOk = Duration.ofSeconds(90);
        private Duration recoveryMax = Duration.ofSeconds(1800);
        private Duration probeInterval = Duration.ofSeconds(60);
        private String policy = "aastra";
        private FailbackMode failbackMode = FailbackMode.IMMEDIATE;
        private Duration failbackHoldOff = Duration.ofSeconds(30);
        private Duration failbackTimeout = Duration.ofSeconds(3600);
        private boolean failbackWhenIdle = true;
        private final List<SubscriptionConfig> subscriptions = new ArrayList<>();
        private final List<StaticSrvRecord> staticSrvRecords = new ArrayList<>();
        private final Map<String, String> extra = new LinkedHashMap<>();

        private Builder(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("line id is missing");
            }
            this.id = id;
        }

        public Builder user(String v) {
            this.user = v;
            return this;
        }

        public Builder displayName(String v) {
            this.displayName = v;
            return this;
        }

        public Builder credentials(Credentials v) {
            this.credentials = v;
            return this;
        }

        /** Sets or, with {@code null}, removes a server. */
        public Builder server(ServerRole role, Rank rank, ServerAddress address) {
            if (address == null) {
                servers.remove(ServerRef.of(role, rank));
            } else {
                servers.put(ServerRef.of(role, rank), address);
            }
            return this;
        }

        /** The transport; {@code null} lets DNS choose. */
        public Builder transport(Transport v) {
            this.transport = v;
            return this;
        }

        public Builder sipOutbound(boolean v) {
            this.sipOutbound = v;
            return this;
        }

        public Builder persistentTls(boolean v) {
            this.persistentTls = v;
            return this;
        }

        public Builder symmetricUdp(boolean v) {
            this.symmetricUdp = v;
            return this;
        }

        public Builder keepAliveInterval(Duration v) {
            this.keepAliveInterval = v;
            return this;
        }

        public Builder pongTimeout(Duration v) {
            this.pongTimeout = v;
            return this;
        }

        /**
         * @param v at least {@link #MIN_TRANSACTION_TIMEOUT}, or {@code null} for the flow manager's
         * @since 1.1
         */
        public Builder transactionTimeout(Duration v) {
            this.transactionTimeout = v;
            return this;
        }

        public Builder registrationPeriod(Duration v) {
            this.registrationPeriod = v;
            return this;
        }

        public Builder registrationRenewal(Duration v) {
            this.registrationRenewal = v;
            return this;
        }

        public Builder registrationRetry(Duration v) {
            this.registrationRetry = v;
            return this;
        }

        public Builder registrationTimeoutRetry(Duration v) {
            this.registrationTimeoutRetry = v;
            return this;
        }

        public Builder recovery(Duration baseAllFailed, Duration baseSomeOk, Duration max) {
            this.recoveryBaseAllFailed = baseAllFailed;
            this.recoveryBaseSomeOk = baseSomeOk;
            this.recoveryMax = max;
            return this;
        }

        public Builder probeInterval(Duration v) {
            this.probeInterval = v;
            return this;
        }

        public Builder policy(String v) {
            this.policy = v;
            return this;
        }

        public Builder failback(FailbackMode mode, Duration holdOff, Duration timeout, boolean whenIdle) {
            this.failbackMode = mode;
            this.failbackHoldOff = holdOff;
            this.failbackTimeout = timeout;
            this.failbackWhenIdle = whenIdle;
            return this;
        }

        public Builder subscription(SubscriptionConfig v) {
            this.subscriptions.add(Objects.requireNonNull(v, "subscription"));
            return this;
        }

        public Builder staticSrvRecord(StaticSrvRecord v) {
            this.staticSrvRecords.add(Objects.requireNonNull(v, "staticSrvRecord"));
            return this;
        }

        public Builder extra(String key, String value) {
            this.extra.put(key, value);
            return this;
        }

        /**
         * Checks the configuration and builds it.
         *
         * @throws IllegalArgumentException naming the line and the setting when the configuration is
         *     incomplete or contradicts itself (no user, a backup without its primary, a non-positive
         *     interval, ...)
         */
        public LineConfig build() {
            return LineConfigCheck.checked(new LineConfig(this));
        }
    }
}
