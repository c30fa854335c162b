// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import java.time.Duration;
import java.util.Objects;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.Transport;

/**
 * What a flow connects to and how it is kept. Immutable; built with {@link #builder(String, ServerRef,
 * ServerAddress)} or derived from a line's configuration with {@link #forLine}.
 */
public final class FlowSpec {

    private final String lineId;
    private final ServerRef server;
    private final ServerAddress address;
    private final int regId;
    private final boolean outbound;
    private final Duration keepAliveInterval;
    private final Duration pongTimeout;
    private final Duration transactionTimeout;
    private final boolean persistentTls;
    private final boolean symmetricUdp;
    private final Duration recoveryBaseAllFailed;
    private final Duration recoveryBaseSomeOk;
    private final Duration recoveryMax;

    private FlowSpec(Builder b) {
        this.lineId = b.lineId;
        this.server = b.server;
        this.address = b.address;
        this.regId = b.regId;
        this.outbound = b.outbound;
        this.keepAliveInterval = b.keepAliveInterval;
        this.pongTimeout = b.pongTimeout;
        this.transactionTimeout = b.transactionTimeout;
        this.persistentTls = b.persistentTls;
        this.symmetricUdp = b.symmetricUdp;
        this.recoveryBaseAllFailed = b.recoveryBaseAllFailed;
        this.recoveryBaseSomeOk = b.recoveryBaseSomeOk;
        this.recoveryMax = b.recoveryMax;
    }

    public static Builder builder(String lineId, ServerRef server, ServerAddress address) {
        return new Builder(lineId, server, address);
    }

    /**
     * A flow to one of a line's servers, with the line's keep-alive, port and recovery settings. The
     * line's transport applies when the address names none.
     */
    public static Builder forLine(LineConfig line, ServerRef server, int regId) {
        ServerAddress address = line.server(server)
                .orElseThrow(
                        () -> new IllegalArgumentException("line " + line.id() + ": " + server + " is not configured"));
        if (address.transport() == null && line.transport().isPresent()) {
            address = address.withTransport(line.transport().get());
        }
        return new Builder(line.id(), server, address)
                .regId(regId)
                .outbound(line.sipOutbound())
                .keepAlive(line.keepAliveInterval(), line.pongTimeout())
                .transactionTimeout(line.transactionTimeout().orElse(null))
                .ports(line.persistentTls(), line.symmetricUdp())
                .recovery(line.recoveryBaseAllFailed(), line.recoveryBaseSomeOk(), line.recoveryMax());
    }

    public String lineId() {
        return lineId;
    }

    /** Which of the line's servers this flow goes to. */
    public ServerRef server() {
        return server;
    }

    /** The first hop, resolved through the {@code ServerResolver}. */
    public ServerAddress address() {
        return address;
    }

    /** The transport, UDP when the address names none and DNS does not choose another. */
    public Transport transportOrDefault() {
        return address.transport() != null ? address.transport() : Transport.UDP;
    }

    /** The RFC 5626 reg-id (1, 2, ...), or 0 for a plain RFC 3261 connection without outbound. */
    public int regId() {
        return regId;
    }

    /** Whether RFC 5626 is used: {@code +sip.instance} and {@code reg-id} in the Contact, keep-alives. */
    public boolean outbound() {
        return outbound;
    }

    /** The keep-alive interval when the registrar gives no Flow-Timer. */
    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }

    /** The deadline for a pong or STUN answer. */
    public Duration pongTimeout() {
        return pongTimeout;
    }

    /**
     * How long a request over this flow waits for its final answer before it times out; empty: the flow
     * manager's {@code transactionTimeoutMillis}.
     *
     * @since 1.3
     */
    public java.util.Optional<Duration> transactionTimeout() {
        return java.util.Optional.ofNullable(transactionTimeout);
    }

    /** One TLS connection from local port 5061, shared (Aastra persistent TLS). */
    public boolean persistentTls() {
        return persistentTls;
    }

    /** UDP from local port 5060 rather than a random port. */
    public boolean symmetricUdp() {
        return symmetricUdp;
    }

    public Duration recoveryBaseAllFailed() {
        return recoveryBaseAllFailed;
    }

    public Duration recoveryBaseSomeOk() {
        return recoveryBaseSomeOk;
    }

    public Duration recoveryMax() {
        return recoveryMax;
    }

    @Override
    public String toString() {
        return "FlowSpec[line=" + lineId + ", " + server + " " + address + ", reg-id=" + regId + ", outbound="
                + outbound + "]";
    }

    /** Builds a {@link FlowSpec}; not thread-safe. */
    public static final class Builder {
        private final String lineId;
        private final ServerRef server;
        private final ServerAddress address;
        private int regId = 1;
        private boolean outbound = true;
        private Duration keepAliveInterval = LineConfig.DEFAULT_KEEP_ALIVE;
        private Duration pongTimeout = LineConfig.DEFAULT_PONG_TIMEOUT;
        private Duration transactionTimeout;
        private boolean persistentTls;
        private boolean symmetricUdp;
        private Duration recoveryBaseAllFailed = Duration.ofSeconds(30);
        private Duration recoveryBaseSomeOk = Duration.ofSeconds(90);
        private Duration recoveryMax = Duration.ofSeconds(1800);

        private Builder(String lineId, ServerRef server, ServerAddress address) {
            this.lineId = Objects.requireNonNull(lineId, "lineId");
            this.server = Objects.requireNonNull(server, "server");
            this.address = Objects.requireNonNull(address, "address");
        }

        public Builder regId(int v) {
            this.regId = v;
            return this;
        }

        public Builder outbound(boolean v) {
            this.outbound = v;
            return this;
        }

        public Builder keepAlive(Duration interval, Duration pong) {
            this.keepAliveInterval = interval;
            this.pongTimeout = pong;
            return this;
        }

        /**
         * @param v at least {@link LineConfig#MIN_TRANSACTION_TIMEOUT}, or {@code null} for the flow manager's
         * @since 1.3
         */
        public Builder transactionTimeout(Duration v) {
            this.transactionTimeout = v;
            return this;
        }

        public Builder ports(boolean persistentTls, boolean symmetricUdp) {
            this.persistentTls = persistentTls;
            this.symmetricUdp = symmetricUdp;
            return this;
        }

        public Builder recovery(Duration baseAllFailed, Duration baseSomeOk, Duration max) {
            this.recoveryBaseAllFailed = baseAllFailed;
            this.recoveryBaseSomeOk = baseSomeOk;
            this.recoveryMax = max;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting when it is unusable
         */
        public FlowSpec build() {
            if (regId < 0) {
                throw new IllegalArgumentException("flow for line " + lineId + ": reg-id " + regId + " is negative");
            }
            if (outbound && regId == 0) {
                throw new IllegalArgumentException(
                        "flow for line " + lineId + ": SIP outbound needs a reg-id of 1 or more");
            }
            if (persistentTls && address.transport() != null && address.transport() != Transport.TLS) {
                throw new IllegalArgumentException("flow for line " + lineId + ": persistent TLS needs transport "
                        + "tls, not " + address.transport().name().toLowerCase());
            }
            for (Duration d : new Duration[] {
                keepAliveInterval, pongTimeout, recoveryBaseAllFailed, recoveryBaseSomeOk, recoveryMax
            }) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException(
                            "flow for line " + lineId + ": keep-alive and recovery times must be positive, got " + d);
                }
            }
            if (transactionTimeout != null && transactionTimeout.compareTo(LineConfig.MIN_TRANSACTION_TIMEOUT) < 0) {
                throw new IllegalArgumentException("flow for line " + lineId + ": transaction time-out must be at "
                        + "least 1 s, got " + transactionTimeout);
            }
            return new FlowSpec(this);
        }
    }
}
