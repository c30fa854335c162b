// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import static org.sipfailover.config.audiocodes.internal.AudioCodesParser.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.sipfailover.api.config.StaticSrvRecord;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.Setting;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.SrvField;
import org.sipfailover.config.audiocodes.internal.AudioCodesParser.Entry;
import org.sipfailover.config.common.Problem;
import org.sipfailover.config.common.ValueParser;

/**
 * What every line of an AudioCodes file shares (AudioCodes has no per-line proxy keys): the servers, transport,
 * timers, policy and static SRV records, read from the file's shared settings. Bad values are reported and the
 * phone's default applies.
 */
final class AudioCodesShared {

    private static final String PORT_ACCEPTED = "1..65535 (65535: look up DNS SRV records for a host name, the "
            + "transport's default port for an IP address)";

    ServerAddress proxy;
    String noProxyReason;
    ServerAddress redundant;
    ServerAddress registrar;
    ServerAddress registrarBackup;
    ServerAddress outbound;
    Transport transport = Transport.UDP;
    Duration registrationPeriod = DEFAULTS.registrationPeriod();
    Duration registrationRetry = DEFAULTS.registrationRetry();
    Duration registrationTimeoutRetry = DEFAULTS.registrationTimeoutRetry();
    Duration keepAlive = DEFAULTS.keepAliveInterval();
    Duration probe = DEFAULTS.probeInterval();
    /** Null when the file does not say: the flow manager's default applies. */
    Duration transactionTimeout;

    boolean symmetric;
    final List<StaticSrvRecord> srv = new ArrayList<>();

    private AudioCodesShared() {}

    /**
     * Reads the shared settings of one file.
     *
     * @param problems where problems go, each naming {@code file}
     */
    static AudioCodesShared read(
            String file,
            Map<Setting, Entry> settings,
            TreeMap<Integer, Map<SrvField, Entry>> srv,
            ValueParser values,
            Consumer<Problem> problems) {
        return new Reading(file, settings, srv, values, problems).read();
    }

    /** One reading of the shared settings. */
    private static final class Reading {
        private final String file;
        private final Map<Setting, Entry> settings;
        private final TreeMap<Integer, Map<SrvField, Entry>> srv;
        private final ValueParser values;
        private final Consumer<Problem> problems;

        Reading(
                String file,
                Map<Setting, Entry> settings,
                TreeMap<Integer, Map<SrvField, Entry>> srv,
                ValueParser values,
                Consumer<Problem> problems) {
            this.file = file;
            this.settings = settings;
            this.srv = srv;
            this.values = values;
            this.problems = problems;
        }

        private AudioCodesShared read() {
            AudioCodesShared s = new AudioCodesShared();
            boolean useProxy = flag(Setting.USE_PROXY, true);
            String proxyHost = host(Setting.PROXY_ADDRESS);
            int proxyPort = port(Setting.PROXY_PORT);
            if (!useProxy) {
                s.noProxyReason = Setting.USE_PROXY.key + " is 0";
            } else if (proxyHost == null) {
                s.noProxyReason = Setting.PROXY_ADDRESS.key + " is not set";
            } else {
                s.proxy = address(proxyHost, proxyPort);
            }

            boolean registrarIsProxy = flag(Setting.REGISTRAR_IS_PROXY, false);
            boolean registrarEnabled = flag(Setting.REGISTRAR_ENABLED, false);
            String registrarHost = host(Setting.REGISTRAR_ADDRESS);
            int registrarPort = port(Setting.REGISTRAR_PORT);
            if (!registrarIsProxy && registrarEnabled) {
                if (registrarHost == null) {
                    problem(
                            settings.get(Setting.REGISTRAR_ENABLED),
                            "is 1 but " + Setting.REGISTRAR_ADDRESS.key
                                    + " is not set; the lines register at the proxy");
                } else {
                    s.registrar = address(registrarHost, registrarPort);
                }
            }

            boolean outboundEnabled = flag(Setting.OUTBOUND_ENABLED, false);
            String outboundHost = host(Setting.OUTBOUND_ADDRESS);
            int outboundPort = port(Setting.OUTBOUND_PORT);
            if (outboundEnabled) {
                if (outboundHost == null) {
                    problem(
                            settings.get(Setting.OUTBOUND_ENABLED),
                            "is 1 but " + Setting.OUTBOUND_ADDRESS.key + " is not set; no outbound proxy is used");
                } else {
                    s.outbound = address(outboundHost, outboundPort);
                }
            }

            boolean redundantEnabled = flag(Setting.REDUNDANT_ENABLED, false);
            String redundantHost = host(Setting.REDUNDANT_ADDRESS);
            int redundantPort = port(Setting.REDUNDANT_PORT);
            if (redundantEnabled) {
                if (redundantHost == null) {
                    problem(
                            settings.get(Setting.REDUNDANT_ENABLED),
                            "is 1 but " + Setting.REDUNDANT_ADDRESS.key + " is not set; there is no redundant proxy");
                } else {
                    s.redundant = address(redundantHost, redundantPort);
                    // the redundant proxy takes over registration too: the 2008 firmware switches "the
                    // registrar" to it, and with a separate registrar there is no other backup for REGISTER
                    if (s.registrar != null) {
                        s.registrarBackup = s.redundant;
                    }
                }
            }
            Entry ka = settings.get(Setting.REDUNDANT_KEEP_ALIVE);
            if (ka != null && !ka.value().isEmpty()) {
                long v = number(
                        ka,
                        1,
                        MAX_PROBE,
                        "whole seconds 1.." + MAX_PROBE + " (0, no keep-alive, is not "
                                + "supported: the line then probes every "
                                + DEFAULTS.probeInterval().toSeconds() + " s)");
                if (v > 0) {
                    s.probe = Duration.ofSeconds(v);
                }
            }
            Entry sym = settings.get(Setting.REDUNDANT_SYMMETRIC);
            if (sym != null && !sym.value().isEmpty()) {
                long v = number(
                        sym,
                        0,
                        1,
                        "0 (asymmetric: return to the primary proxy when it answers) or 1 "
                                + "(symmetric: stay on the proxy in use while it works)");
                s.symmetric = v == 1;
            }

            Entry t = settings.get(Setting.TRANSPORT);
            if (t != null && !t.value().isEmpty()) {
                switch (t.value().toUpperCase(Locale.ROOT)) {
                    case "UDP" -> s.transport = Transport.UDP;
                    case "TCP" -> s.transport = Transport.TCP;
                    case "TLS" -> s.transport = Transport.TLS;
                    default -> values.bad(t, "UDP, TCP or TLS");
                }
            }
            Entry period = settings.get(Setting.REGISTRATION_PERIOD);
            if (period != null && !period.value().isEmpty()) {
                long v = number(
                        period,
                        0,
                        MAX_REGISTRATION_PERIOD,
                        "whole seconds 0.." + MAX_REGISTRATION_PERIOD + " (0: the registrar decides)");
                if (v >= 0) {
                    s.registrationPeriod = Duration.ofSeconds(v);
                }
            }
            Entry retry = settings.get(Setting.REGISTRATION_RETRY);
            if (retry != null && !retry.value().isEmpty()) {
                long v = number(retry, 1, MAX_RETRY, "whole seconds 1.." + MAX_RETRY);
                if (v > 0) {
                    // one AudioCodes timer for every failed REGISTER, rejected or unanswered
                    s.registrationRetry = Duration.ofSeconds(v);
                    s.registrationTimeoutRetry = Duration.ofSeconds(v);
                }
            }
            boolean kaEnabled = flag(Setting.REGISTRAR_KA_ENABLED, false);
            long kaPeriod = DEFAULT_REGISTRAR_KA;
            Entry kaTimeout = settings.get(Setting.REGISTRAR_KA_PERIOD);
            if (kaTimeout != null && !kaTimeout.value().isEmpty()) {
                long v = number(
                        kaTimeout,
                        MIN_REGISTRAR_KA,
                        MAX_REGISTRAR_KA,
                        "whole seconds " + MIN_REGISTRAR_KA + ".." + MAX_REGISTRAR_KA);
                if (v > 0) {
                    kaPeriod = v;
                }
            }
            if (kaEnabled) {
                s.keepAlive = Duration.ofSeconds(kaPeriod);
            }
            // absent: unset, not the phone's 32 s default, since the flow manager's own default (8 s) is shorter
            Entry noResponse = settings.get(Setting.TRANSACTION_TIMEOUT);
            if (noResponse != null && !noResponse.value().isEmpty()) {
                long v = number(
                        noResponse,
                        MIN_TRANSACTION_TIMEOUT_MS,
                        MAX_TRANSACTION_TIMEOUT_MS,
                        "whole " + "milliseconds " + MIN_TRANSACTION_TIMEOUT_MS + ".." + MAX_TRANSACTION_TIMEOUT_MS);
                if (v > 0) {
                    s.transactionTimeout = Duration.ofMillis(v);
                }
            }
            srvRecords(s);
            return s;
        }

        private void srvRecords(AudioCodesShared s) {
            for (Map.Entry<Integer, Map<SrvField, Entry>> r : srv.entrySet()) {
                int index = r.getKey();
                Map<SrvField, Entry> f = r.getValue();
                if (missing(f, SrvField.NAME) || missing(f, SrvField.PORT) || missing(f, SrvField.TARGET)) {
                    int first = f.values().stream().mapToInt(Entry::line).min().orElse(0);
                    problem(
                            first,
                            AudioCodesKeys.SRV + index,
                            "a static SRV record needs a name, a port and a " + "target; the record is ignored");
                    continue;
                }
                String name = token(f.get(SrvField.NAME));
                String target = token(f.get(SrvField.TARGET));
                long port = number(f.get(SrvField.PORT), 1, 65535, "1..65535");
                long priority =
                        missing(f, SrvField.PRIORITY) ? 0 : number(f.get(SrvField.PRIORITY), 0, 65535, "0..65535");
                long weight = missing(f, SrvField.WEIGHT) ? 0 : number(f.get(SrvField.WEIGHT), 0, 65535, "0..65535");
                // a malformed field has been reported; the record is left out rather than guessed
                if (name != null && target != null && port > 0 && priority >= 0 && weight >= 0) {
                    s.srv.add(new StaticSrvRecord(name, (int) priority, (int) weight, (int) port, target));
                }
            }
        }

        private static boolean missing(Map<SrvField, Entry> fields, SrvField f) {
            Entry e = fields.get(f);
            return e == null || e.value().isEmpty();
        }

        /** A name or target: no blank, comma or control character (the ConfigAdmin form splits on them). */
        private String token(Entry e) {
            for (int i = 0; i < e.value().length(); i++) {
                char c = e.value().charAt(i);
                if (c <= ' ' || c == ',' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                    values.bad(e, "a DNS name without blanks or commas");
                    return null;
                }
            }
            return e.value();
        }

        private boolean flag(Setting setting, boolean otherwise) {
            Entry e = settings.get(setting);
            if (e == null || e.value().isEmpty()) {
                return otherwise;
            }
            switch (e.value()) {
                case "1":
                    return true;
                case "0":
                    return false;
                default:
                    values.bad(e, "0 or 1");
                    return otherwise;
            }
        }

        /** A host, or null when unset ({@code 0.0.0.0} or empty, the phone's "none") or malformed. */
        private String host(Setting setting) {
            Entry e = settings.get(setting);
            if (e == null || e.value().isEmpty() || e.value().equals("0.0.0.0")) {
                return null;
            }
            try {
                return ServerAddress.of(e.value(), 0).host();
            } catch (IllegalArgumentException x) {
                values.bad(e, "an IPv4 address, an IPv6 address or a host name");
                return null;
            }
        }

        /** A port: 1..65535 as written, {@value AudioCodesParser#DEFAULT_PORT} when unset or malformed. */
        private int port(Setting setting) {
            Entry e = settings.get(setting);
            if (e == null || e.value().isEmpty()) {
                return DEFAULT_PORT;
            }
            long v = number(e, 1, 65535, PORT_ACCEPTED);
            return v > 0 ? (int) v : DEFAULT_PORT;
        }

        private static ServerAddress address(String host, int port) {
            return ServerAddress.of(host, port == SRV_PORT ? 0 : port);
        }

        /** A whole number in min..max; -1 (after reporting) when it is not one. */
        private long number(Entry e, long min, long max, String accepted) {
            Long v = values.number(e, min, max, accepted);
            return v == null ? -1 : v;
        }

        private void problem(Entry e, String message) {
            problems.accept(new Problem(file, e.line(), e.key(), message));
        }

        private void problem(int line, String key, String message) {
            problems.accept(new Problem(file, line, key, message));
        }
    }
}
