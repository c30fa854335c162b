// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;

/**
 * How {@link LineConfig.Builder#build()} normalises and checks a configuration: the rules it must satisfy, and
 * the stable order of its servers; apart from the model so that {@link LineConfig} stays a plain value class.
 */
final class LineConfigCheck {

    private LineConfigCheck() {}

    /**
     * @return the configuration, when it is complete and consistent
     * @throws IllegalArgumentException naming the line and the setting, never a password
     */
    static LineConfig checked(LineConfig c) {
        if (c.user() == null || c.user().isBlank()) {
            throw invalid(c, "user", "is missing");
        }
        for (ServerRole role : ServerRole.values()) {
            if (c.server(role, Rank.BACKUP).isPresent()
                    && c.server(role, Rank.PRIMARY).isEmpty()) {
                throw invalid(
                        c, "backup " + role.name().toLowerCase().replace('_', ' '), "is set but the primary is not");
            }
        }
        if (c.server(ServerRole.PROXY, Rank.PRIMARY).isEmpty()) {
            throw invalid(c, "proxy", "is missing");
        }
        positive(c, "keepAliveInterval", c.keepAliveInterval());
        positive(c, "pongTimeout", c.pongTimeout());
        Duration transactionTimeout = c.transactionTimeout().orElse(null);
        if (transactionTimeout != null && transactionTimeout.compareTo(LineConfig.MIN_TRANSACTION_TIMEOUT) < 0) {
            throw invalid(c, "transactionTimeout", "must be at least 1 s, was " + transactionTimeout);
        }
        positive(c, "registrationRetry", c.registrationRetry());
        positive(c, "registrationTimeoutRetry", c.registrationTimeoutRetry());
        positive(c, "recoveryBaseAllFailed", c.recoveryBaseAllFailed());
        positive(c, "recoveryBaseSomeOk", c.recoveryBaseSomeOk());
        positive(c, "recoveryMax", c.recoveryMax());
        positive(c, "probeInterval", c.probeInterval());
        positive(c, "failbackTimeout", c.failbackTimeout());
        notNegative(c, "registrationPeriod", c.registrationPeriod());
        notNegative(c, "registrationRenewal", c.registrationRenewal());
        notNegative(c, "failbackHoldOff", c.failbackHoldOff());
        if (c.policy() == null || c.policy().isBlank()) {
            throw invalid(c, "policy", "is missing");
        }
        Objects.requireNonNull(c.failbackMode(), "failbackMode");
        Transport transport = c.transport().orElse(null);
        if (c.persistentTls() && transport != null && transport != Transport.TLS) {
            throw invalid(
                    c,
                    "persistentTls",
                    "needs transport tls, not " + transport.name().toLowerCase(Locale.ROOT));
        }
        return c;
    }

    private static void positive(LineConfig c, String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw invalid(c, key, "must be positive, was " + d);
        }
    }

    private static void notNegative(LineConfig c, String key, Duration d) {
        if (d == null || d.isNegative()) {
            throw invalid(c, key, "must not be negative, was " + d);
        }
    }

    private static IllegalArgumentException invalid(LineConfig c, String key, String what) {
        return new IllegalArgumentException("line " + c.id() + ": " + key + " " + what);
    }

    /** Copies a server map in a stable order: role, then rank. */
    static Map<ServerRef, ServerAddress> ordered(Map<ServerRef, ServerAddress> source) {
        Map<ServerRef, ServerAddress> out = new LinkedHashMap<>();
        for (ServerRole role : ServerRole.values()) {
            for (Rank rank : Rank.values()) {
                ServerAddress a = source.get(ServerRef.of(role, rank));
                if (a != null) {
                    out.put(ServerRef.of(role, rank), a);
                }
            }
        }
        return out;
    }
}
