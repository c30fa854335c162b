// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import static org.sipfailover.api.config.LineProperties.*;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.api.config.StaticSrvRecord;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;

/**
 * Reads and writes a {@link LineConfig} in its ConfigAdmin form, the properties of one factory configuration of
 * {@link LineConfig#FACTORY_PID} whose keys {@link LineProperties} names and documents: the vendor adapters write
 * them, the lines bundle reads them.
 */
public final class LinePropertiesCodec {

    private LinePropertiesCodec() {}

    /**
     * Reads a line configuration.
     *
     * @param properties the configuration's properties
     * @param defaultId the id when {@value LineProperties#ID} is absent (the factory configuration's name), may be null
     * @throws IllegalArgumentException naming the line and the key when a value is missing or malformed,
     *     or the configuration contradicts itself; never containing the password
     */
    public static LineConfig read(Map<String, ?> properties, String defaultId) {
        Objects.requireNonNull(properties, "properties");
        String id = string(properties, ID);
        if (id == null) {
            id = defaultId;
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("line configuration: " + ID + " is missing");
        }
        Reader r = new Reader(id, properties);
        LineConfig.Builder b =
                LineConfig.builder(id).user(string(properties, USER)).displayName(string(properties, DISPLAY_NAME));
        String authName = string(properties, AUTH_NAME);
        Object password = properties.get(PASSWORD);
        if (authName != null || password != null) {
            b.credentials(new Credentials(
                    authName != null ? authName : Objects.toString(string(properties, USER), ""),
                    password == null ? "" : password.toString()));
        }
        for (ServerRole role : ServerRole.values()) {
            for (Rank rank : Rank.values()) {
                String key = serverKey(role, rank);
                String v = string(properties, key);
                if (v != null) {
                    b.server(role, rank, r.server(key, v));
                }
            }
        }
        String transport = string(properties, TRANSPORT);
        if (transport != null) {
            b.transport(transport.equalsIgnoreCase("any") ? null : r.transport(transport));
        }
        r.bool(SIP_OUTBOUND, b::sipOutbound);
        r.bool(PERSISTENT_TLS, b::persistentTls);
        r.bool(SYMMETRIC_UDP, b::symmetricUdp);
        LineConfig defaults = LineConfig.builder(id)
                .user("x")
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("x.invalid", 0))
                .build();
        b.keepAliveInterval(r.duration(KEEP_ALIVE, defaults.keepAliveInterval()));
        b.pongTimeout(r.duration(PONG_TIMEOUT, defaults.pongTimeout()));
        b.transactionTimeout(r.duration(TRANSACTION_TIMEOUT, null));
        b.registrationPeriod(r.duration(REGISTRATION_PERIOD, defaults.registrationPeriod()));
        b.registrationRenewal(r.duration(REGISTRATION_RENEWAL, defaults.registrationRenewal()));
        b.registrationRetry(r.duration(REGISTRATION_RETRY, defaults.registrationRetry()));
        b.registrationTimeoutRetry(r.duration(REGISTRATION_TIMEOUT_RETRY, defaults.registrationTimeoutRetry()));
        b.recovery(
                r.duration(RECOVERY_BASE_ALL_FAILED, defaults.recoveryBaseAllFailed()),
                r.duration(RECOVERY_BASE_SOME_OK, defaults.recoveryBaseSomeOk()),
                r.duration(RECOVERY_MAX, defaults.recoveryMax()));
        b.probeInterval(r.duration(PROBE_INTERVAL, defaults.probeInterval()));
        String policy = string(properties, POLICY);
        if (policy != null) {
            b.policy(policy);
        }
        FailbackMode mode = defaults.failbackMode();
        String m = string(properties, FAILBACK_MODE);
        if (m != null) {
            mode = r.failbackMode(m);
        }
        boolean[] whenIdle = {defaults.failbackWhenIdle()};
        r.bool(FAILBACK_WHEN_IDLE, v -> whenIdle[0] = v);
        b.failback(
                mode,
                r.duration(FAILBACK_HOLD_OFF, defaults.failbackHoldOff()),
                r.duration(FAILBACK_TIMEOUT, defaults.failbackTimeout()),
                whenIdle[0]);
        for (String s : strings(properties, SUBSCRIPTIONS)) {
            b.subscription(r.subscription(s));
        }
        for (String s : strings(properties, SRV_RECORDS)) {
            b.staticSrvRecord(r.srvRecord(s));
        }
        properties.forEach((k, v) -> {
            if (k.startsWith(EXTRA_PREFIX) && v != null) {
                b.extra(k.substring(EXTRA_PREFIX.length()), v.toString());
            }
        });
        return b.build();
    }

    /**
     * Writes a line configuration as properties that {@link #read} turns back into an equal configuration.
     * Durations are written as seconds, lists as {@code String[]}, booleans as {@link Boolean}.
     */
    public static Map<String, Object> write(LineConfig c) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ID, c.id());
        p.put(USER, c.user());
        c.displayName().ifPresent(v -> p.put(DISPLAY_NAME, v));
        c.credentials().ifPresent(cr -> {
            p.put(AUTH_NAME, cr.authName());
            p.put(PASSWORD, cr.password());
        });
        c.servers().forEach((ref, a) -> p.put(serverKey(ref.role(), ref.rank()), a.toString()));
        p.put(
                TRANSPORT,
                c.transport().map(t -> t.name().toLowerCase(Locale.ROOT)).orElse("any"));
        p.put(SIP_OUTBOUND, c.sipOutbound());
        p.put(PERSISTENT_TLS, c.persistentTls());
        p.put(SYMMETRIC_UDP, c.symmetricUdp());
        p.put(KEEP_ALIVE, seconds(c.keepAliveInterval()));
        p.put(PONG_TIMEOUT, seconds(c.pongTimeout()));
        c.transactionTimeout().ifPresent(d -> p.put(TRANSACTION_TIMEOUT, seconds(d)));
        p.put(REGISTRATION_PERIOD, seconds(c.registrationPeriod()));
        p.put(REGISTRATION_RENEWAL, seconds(c.registrationRenewal()));
        p.put(REGISTRATION_RETRY, seconds(c.registrationRetry()));
        p.put(REGISTRATION_TIMEOUT_RETRY, seconds(c.registrationTimeoutRetry()));
        p.put(RECOVERY_BASE_ALL_FAILED, seconds(c.recoveryBaseAllFailed()));
        p.put(RECOVERY_BASE_SOME_OK, seconds(c.recoveryBaseSomeOk()));
        p.put(RECOVERY_MAX, seconds(c.recoveryMax()));
        p.put(PROBE_INTERVAL, seconds(c.probeInterval()));
        p.put(POLICY, c.policy());
        p.put(FAILBACK_MODE, c.failbackMode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        p.put(FAILBACK_HOLD_OFF, seconds(c.failbackHoldOff()));
        p.put(FAILBACK_TIMEOUT, seconds(c.failbackTimeout()));
        p.put(FAILBACK_WHEN_IDLE, c.failbackWhenIdle());
        if (!c.subscriptions().isEmpty()) {
            p.put(
                    SUBSCRIPTIONS,
                    c.subscriptions().stream()
                            .map(s -> s.kind().name().toLowerCase(Locale.ROOT) + " " + s.target() + " "
                                    + seconds(s.period()))
                            .toArray(String[]::new));
        }
        if (!c.staticSrvRecords().isEmpty()) {
            p.put(
                    SRV_RECORDS,
                    c.staticSrvRecords().stream()
                            .map(s -> s.name() + " " + s.priority() + " " + s.weight() + " " + s.port() + " "
                                    + s.target())
                            .toArray(String[]::new));
        }
        c.extra().forEach((k, v) -> p.put(EXTRA_PREFIX + k, v));
        return p;
    }

    /** A duration as seconds: a whole number when it is one, else a decimal. */
    private static String seconds(Duration d) {
        if (d.getNano() == 0) {
            return Long.toString(d.getSeconds());
        }
        return new java.math.BigDecimal(d.toNanos())
                .movePointLeft(9)
                .stripTrailingZeros()
                .toPlainString();
    }

    private static String string(Map<String, ?> p, String key) {
        Object v = p.get(key);
        if (v == null) {
            return null;
        }
        String s = v.toString().trim();
        return s.isEmpty() ? null : s;
    }

    private static List<String> strings(Map<String, ?> p, String key) {
        Object v = p.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof String[] a) {
            out.addAll(List.of(a));
        } else if (v instanceof Collection<?> c) {
            c.forEach(e -> out.add(String.valueOf(e)));
        } else if (v != null) {
            // a .cfg file gives one string: entries separated by commas
            for (String s : v.toString().split(",")) {
                out.add(s);
            }
        }
        out.replaceAll(String::trim);
        out.removeIf(String::isEmpty);
        return out;
    }

    /** Parses values, naming the line and the key in every error. */
    private static final class Reader {
        private final String id;
        private final Map<String, ?> p;

        Reader(String id, Map<String, ?> p) {
            this.id = id;
            this.p = p;
        }

        private IllegalArgumentException bad(String key, String value, String accepted) {
            return new IllegalArgumentException(
                    "line " + id + ": " + key + " '" + value + "' is malformed: " + accepted);
        }

        ServerAddress server(String key, String v) {
            try {
                return ServerAddress.parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + id + ": " + key + ": " + e.getMessage(), e);
            }
        }

        Transport transport(String v) {
            try {
                return Transport.parse(v);
            } catch (IllegalArgumentException e) {
                throw bad(TRANSPORT, v, "expected udp, tcp, tls or any");
            }
        }

        void bool(String key, java.util.function.Consumer<Boolean> to) {
            Object v = p.get(key);
            if (v == null) {
                return;
            }
            if (v instanceof Boolean bv) {
                to.accept(bv);
                return;
            }
            String s = v.toString().trim().toLowerCase(Locale.ROOT);
            switch (s) {
                case "true", "1", "yes", "on" -> to.accept(true);
                case "false", "0", "no", "off" -> to.accept(false);
                default -> throw bad(key, v.toString(), "expected true or false");
            }
        }

        Duration duration(String key, Duration otherwise) {
            Object v = p.get(key);
            if (v == null || v.toString().isBlank()) {
                return otherwise;
            }
            if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
                return Duration.ofSeconds(n.longValue());
            }
            String s = v.toString().trim();
            try {
                if (s.startsWith("P") || s.startsWith("p")) {
                    return Duration.parse(s);
                }
                java.math.BigDecimal secs = new java.math.BigDecimal(s);
                return Duration.ofNanos(secs.movePointRight(9).longValueExact());
            } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
                throw bad(key, s, "expected seconds (e.g. 30 or 0.5) or an ISO-8601 duration (PT30S)");
            }
        }

        FailbackMode failbackMode(String v) {
            try {
                return FailbackMode.valueOf(v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw bad(
                        FAILBACK_MODE,
                        v,
                        "expected immediate, new-requests, dns-ttl, registration, duration " + "or never");
            }
        }

        SubscriptionConfig subscription(String v) {
            String[] f = v.trim().split("\\s+");
            if (f.length < 2 || f.length > 3) {
                throw bad(SUBSCRIPTIONS, v, "expected 'blf|bla|mwi <target URI> [<period seconds>]'");
            }
            SubscriptionKind kind;
            try {
                kind = SubscriptionKind.valueOf(f[0].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(SUBSCRIPTIONS, v, "the kind must be blf, bla or mwi");
            }
            Duration period = Duration.ofSeconds(3600);
            if (f.length == 3) {
                try {
                    period = Duration.ofSeconds(Long.parseLong(f[2]));
                } catch (NumberFormatException e) {
                    throw bad(SUBSCRIPTIONS, v, "the period must be whole seconds");
                }
            }
            try {
                return new SubscriptionConfig(kind, f[1], period);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + id + ": " + SUBSCRIPTIONS + ": " + e.getMessage(), e);
            }
        }

        StaticSrvRecord srvRecord(String v) {
            String[] f = v.trim().split("\\s+");
            if (f.length != 5) {
                throw bad(SRV_RECORDS, v, "expected '<name> <priority> <weight> <port> <target>'");
            }
            try {
                return new StaticSrvRecord(
                        f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4]);
            } catch (NumberFormatException e) {
                throw bad(SRV_RECORDS, v, "priority, weight and port must be numbers");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + id + ": " + SRV_RECORDS + ": " + e.getMessage(), e);
            }
        }
    }
}
