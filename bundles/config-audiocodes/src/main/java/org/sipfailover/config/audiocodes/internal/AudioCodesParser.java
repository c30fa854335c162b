package org.sipfailover.config.audiocodes.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.StaticSrvRecord;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.LineSetting;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.Ref;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.Setting;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.SrvField;

/**
 * Reads AudioCodes 400HD configuration files ({@code path=value} lines) into one {@link LineConfig} per
 * enabled phone line. A plain class: no OSGi, no state, safe to share between threads.
 *
 * <p>The format: one {@code path=value} per line, split on the first {@code =}, key and value trimmed; a
 * line whose first non-blank character is {@code #} is a comment; blank lines are ignored; there is no
 * quoting and no trailing comment (a {@code #} after the {@code =} belongs to the value). When a key
 * appears twice the last one wins, and a legacy alias is the same setting as its current name. Line
 * endings may be LF, CRLF or CR. The keys and what they become are listed in this module's README.
 *
 * <p>Nothing in a file makes {@link #parse(String, String)} throw: a configuration line with a bad value is
 * ignored (the setting keeps its default) and reported as a {@link Problem} naming the file, the line
 * number, the key and what is accepted; a phone line that cannot be built is reported and left out
 * ({@link ParseResult#failedLines()}); the other lines are read as if nothing had happened.
 */
public final class AudioCodesParser {

    static final String ASYMMETRIC = "redundant-asymmetric";
    static final String SYMMETRIC = "redundant-symmetric";
    static final int DEFAULT_PORT = 5060;
    /** The port value meaning "not set": DNS SRV for a host name, the transport's port for an IP address. */
    static final int SRV_PORT = 65535;
    static final long MAX_REGISTRATION_PERIOD = 86400;
    static final long MAX_RETRY = 86400;
    static final long MIN_REGISTRAR_KA = 40;
    static final long MAX_REGISTRAR_KA = 65536;
    static final long DEFAULT_REGISTRAR_KA = 60;
    static final long MAX_PROBE = 300;
    static final long MIN_TRANSACTION_TIMEOUT_MS = LineConfig.MIN_TRANSACTION_TIMEOUT.toMillis();
    static final long MAX_TRANSACTION_TIMEOUT_MS = Integer.MAX_VALUE;
    private static final String PORT_ACCEPTED = "1..65535 (65535: look up DNS SRV records for a host name, the "
            + "transport's default port for an IP address)";

    /** A LineConfig with every default, to read the defaults from the API instead of repeating them. */
    static final LineConfig DEFAULTS = LineConfig.builder("defaults").user("defaults")
            .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("defaults.invalid", 0)).build();

    public AudioCodesParser() {
    }

    /**
     * Reads a file.
     *
     * @throws IOException when the file cannot be read at all (then nothing about it is known)
     */
    public ParseResult parse(Path file) throws IOException {
        return parse(file.getFileName().toString(), AudioCodesFiles.decode(AudioCodesFiles.read(file)));
    }

    /**
     * Reads the text of a file.
     *
     * @param fileName the file's name: problems name it, and line ids are {@code audiocodes-<stem>-line<index>}
     *     where the stem is the name without {@code .cfg}
     */
    public ParseResult parse(String fileName, String text) {
        return new Run(fileName, text).parse();
    }

    /** Without surrounding blanks: Unicode white space and every control character or space. */
    static String clean(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && blank(s.charAt(start))) {
            start++;
        }
        while (end > start && blank(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean blank(char c) {
        return c <= ' ' || Character.isWhitespace(c);
    }

    /** One configuration line: where it is and what it says. */
    private record Entry(int line, String key, String value) {
    }

    /** The keys of one phone line. */
    private static final class LineKeys {
        final int index;
        int firstLine = Integer.MAX_VALUE;
        final Map<LineSetting, Entry> settings = new EnumMap<>(LineSetting.class);
        final Map<String, Entry> extra = new LinkedHashMap<>();

        LineKeys(int index) {
            this.index = index;
        }

        void seen(int line) {
            firstLine = Math.min(firstLine, line);
        }
    }

    /** What every line of the file shares. */
    private static final class Shared {
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
    }

    /** The state of reading one file. */
    private static final class Run {
        private final String file;
        private final String text;
        private final String stem;
        private final List<Problem> problems = new ArrayList<>();
        private final List<Problem> lineProblems = new ArrayList<>();
        private final List<String> unknown = new ArrayList<>();
        private final Map<Setting, Entry> settings = new EnumMap<>(Setting.class);
        private final TreeMap<Integer, LineKeys> lines = new TreeMap<>();
        private final TreeMap<Integer, Map<SrvField, Entry>> srv = new TreeMap<>();
        private final Map<String, Entry> extra = new LinkedHashMap<>();
        /** Lower-cased unknown keys seen: ConfigAdmin keys are case-insensitive, two such keys cannot coexist. */
        private final Map<String, String> extraKeysLower = new HashMap<>();
        private boolean hasVoipKeys;

        Run(String file, String text) {
            this.file = file == null ? "(unnamed)" : file;
            this.text = text == null ? "" : text;
            this.stem = AudioCodesFiles.stem(this.file);
        }

        ParseResult parse() {
            read();
            Shared shared = shared();
            Map<Integer, LineConfig> built = new TreeMap<>();
            Set<Integer> failed = new TreeSet<>();
            Set<Integer> disabled = new TreeSet<>();
            for (LineKeys keys : lines.values()) {
                Boolean enabled = enabled(keys);
                if (enabled == null) {
                    failed.add(keys.index);
                } else if (!enabled) {
                    disabled.add(keys.index);
                } else {
                    LineConfig c = build(keys, shared);
                    if (c == null) {
                        failed.add(keys.index);
                    } else {
                        built.put(keys.index, c);
                    }
                }
            }
            List<Problem> all = new ArrayList<>(problems);
            all.sort(Comparator.comparingInt(Problem::line));
            all.addAll(lineProblems);
            return new ParseResult(file, built, failed, disabled, all, unknown, hasVoipKeys);
        }

        // ---- pass 1: configuration lines to entries -------------------------------------------------------

        private void read() {
            int n = text.length();
            int pos = 0;
            int lineNo = 0;
            while (pos < n) {
                int end = pos;
                while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                    end++;
                }
                lineNo++;
                line(lineNo, text.substring(pos, end));
                pos = end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n' ? end + 2
                        : end + 1;
            }
        }

        private void line(int lineNo, String raw) {
            String s = clean(raw);
            if (lineNo == 1 && s.startsWith("\ufeff")) {
                s = clean(s.substring(1));
            }
            if (s.isEmpty() || s.startsWith("#")) {
                return;
            }
            int eq = s.indexOf('=');
            if (eq < 0) {
                // the text is not echoed: it may be a password whose '=' was lost
                problem(lineNo, null, "expected <path>=<value>; the line is ignored");
                return;
            }
            String key = clean(s.substring(0, eq));
            String value = clean(s.substring(eq + 1));
            if (key.isEmpty()) {
                problem(lineNo, null, "the key before '=' is empty; the line is ignored");
                return;
            }
            if (key.chars().anyMatch(Character::isISOControl)) {
                problem(lineNo, null, "the key contains control characters; the line is ignored");
                return;
            }
            if (key.startsWith("voip/")) {
                hasVoipKeys = true;
            }
            Entry e = new Entry(lineNo, key, value);
            Ref ref = AudioCodesKeys.classify(key);
            switch (ref.kind()) {
                case SETTING -> settings.put(ref.setting(), e);
                case LINE_SETTING -> {
                    LineKeys lk = lines.computeIfAbsent(ref.index(), LineKeys::new);
                    lk.seen(lineNo);
                    lk.settings.put(ref.lineSetting(), e);
                }
                case LINE_EXTRA -> {
                    LineKeys lk = lines.computeIfAbsent(ref.index(), LineKeys::new);
                    lk.seen(lineNo);
                    if (keepExtra(ref, e)) {
                        lk.extra.put(key, e);
                    }
                }
                case SRV_FIELD -> srv.computeIfAbsent(ref.index(), i -> new EnumMap<>(SrvField.class))
                        .put(ref.srvField(), e);
                case EXTRA -> {
                    if (keepExtra(ref, e)) {
                        extra.put(key, e);
                    }
                }
                case MALFORMED -> problem(lineNo, key, ref.problem() + "; the line is ignored");
                default -> throw new IllegalStateException(ref.kind().toString());
            }
        }

        private boolean keepExtra(Ref ref, Entry e) {
            if (AudioCodesKeys.isSecret(e.key)) {
                // an unknown secret (an admin or service password) has no use here and would sit in plain
                // ConfigAdmin properties: it is not kept
                unknown.add(e.key + " (line " + e.line + ", a secret: not kept)");
                return false;
            }
            String lower = e.key.toLowerCase(Locale.ROOT);
            String earlier = extraKeysLower.putIfAbsent(lower, e.key);
            if (earlier != null && !earlier.equals(e.key)) {
                problem(e.line, e.key, "differs from the key '" + earlier + "' only by case, and line "
                        + "configurations cannot hold both; the line is ignored");
                return false;
            }
            if (ref.caseVariantOf() != null) {
                problem(e.line, e.key, "differs from the known key '" + ref.caseVariantOf() + "' only by case; keys "
                        + "are case-sensitive, so it is kept as an unknown key and does not set " + ref.caseVariantOf());
            }
            unknown.add(e.key + " (line " + e.line + ")");
            return true;
        }

        // ---- pass 2: shared settings ------------------------------------------------------------------------

        private Shared shared() {
            Shared s = new Shared();
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
                    problem(settings.get(Setting.REGISTRAR_ENABLED), "is 1 but " + Setting.REGISTRAR_ADDRESS.key
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
                    problem(settings.get(Setting.OUTBOUND_ENABLED), "is 1 but " + Setting.OUTBOUND_ADDRESS.key
                            + " is not set; no outbound proxy is used");
                } else {
                    s.outbound = address(outboundHost, outboundPort);
                }
            }

            boolean redundantEnabled = flag(Setting.REDUNDANT_ENABLED, false);
            String redundantHost = host(Setting.REDUNDANT_ADDRESS);
            int redundantPort = port(Setting.REDUNDANT_PORT);
            if (redundantEnabled) {
                if (redundantHost == null) {
                    problem(settings.get(Setting.REDUNDANT_ENABLED), "is 1 but " + Setting.REDUNDANT_ADDRESS.key
                            + " is not set; there is no redundant proxy");
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
            if (ka != null && !ka.value.isEmpty()) {
                long v = number(ka, 1, MAX_PROBE, "whole seconds 1.." + MAX_PROBE + " (0, no keep-alive, is not "
                        + "supported: the line then probes every " + DEFAULTS.probeInterval().toSeconds() + " s)");
                if (v > 0) {
                    s.probe = Duration.ofSeconds(v);
                }
            }
            Entry sym = settings.get(Setting.REDUNDANT_SYMMETRIC);
            if (sym != null && !sym.value.isEmpty()) {
                long v = number(sym, 0, 1, "0 (asymmetric: return to the primary proxy when it answers) or 1 "
                        + "(symmetric: stay on the proxy in use while it works)");
                s.symmetric = v == 1;
            }

            Entry t = settings.get(Setting.TRANSPORT);
            if (t != null && !t.value.isEmpty()) {
                switch (t.value.toUpperCase(Locale.ROOT)) {
                    case "UDP" -> s.transport = Transport.UDP;
                    case "TCP" -> s.transport = Transport.TCP;
                    case "TLS" -> s.transport = Transport.TLS;
                    default -> bad(t, "UDP, TCP or TLS");
                }
            }
            Entry period = settings.get(Setting.REGISTRATION_PERIOD);
            if (period != null && !period.value.isEmpty()) {
                long v = number(period, 0, MAX_REGISTRATION_PERIOD, "whole seconds 0.." + MAX_REGISTRATION_PERIOD
                        + " (0: the registrar decides)");
                if (v >= 0) {
                    s.registrationPeriod = Duration.ofSeconds(v);
                }
            }
            Entry retry = settings.get(Setting.REGISTRATION_RETRY);
            if (retry != null && !retry.value.isEmpty()) {
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
            if (kaTimeout != null && !kaTimeout.value.isEmpty()) {
                long v = number(kaTimeout, MIN_REGISTRAR_KA, MAX_REGISTRAR_KA, "whole seconds " + MIN_REGISTRAR_KA
                        + ".." + MAX_REGISTRAR_KA);
                if (v > 0) {
                    kaPeriod = v;
                }
            }
            if (kaEnabled) {
                s.keepAlive = Duration.ofSeconds(kaPeriod);
            }
            // absent: unset, not the phone's 32 s default, since the flow manager's own default (8 s) is shorter
            Entry noResponse = settings.get(Setting.TRANSACTION_TIMEOUT);
            if (noResponse != null && !noResponse.value.isEmpty()) {
                long v = number(noResponse, MIN_TRANSACTION_TIMEOUT_MS, MAX_TRANSACTION_TIMEOUT_MS, "whole "
                        + "milliseconds " + MIN_TRANSACTION_TIMEOUT_MS + ".." + MAX_TRANSACTION_TIMEOUT_MS);
                if (v > 0) {
                    s.transactionTimeout = Duration.ofMillis(v);
                }
            }
            srvRecords(s);
            return s;
        }

        private void srvRecords(Shared s) {
            for (Map.Entry<Integer, Map<SrvField, Entry>> r : srv.entrySet()) {
                int index = r.getKey();
                Map<SrvField, Entry> f = r.getValue();
                if (missing(f, SrvField.NAME) || missing(f, SrvField.PORT) || missing(f, SrvField.TARGET)) {
                    int first = f.values().stream().mapToInt(Entry::line).min().orElse(0);
                    problem(first, AudioCodesKeys.SRV + index, "a static SRV record needs a name, a port and a "
                            + "target; the record is ignored");
                    continue;
                }
                String name = token(f.get(SrvField.NAME));
                String target = token(f.get(SrvField.TARGET));
                long port = number(f.get(SrvField.PORT), 1, 65535, "1..65535");
                long priority = missing(f, SrvField.PRIORITY) ? 0
                        : number(f.get(SrvField.PRIORITY), 0, 65535, "0..65535");
                long weight = missing(f, SrvField.WEIGHT) ? 0 : number(f.get(SrvField.WEIGHT), 0, 65535, "0..65535");
                // a malformed field has been reported; the record is left out rather than guessed
                if (name != null && target != null && port > 0 && priority >= 0 && weight >= 0) {
                    s.srv.add(new StaticSrvRecord(name, (int) priority, (int) weight, (int) port, target));
                }
            }
        }

        private static boolean missing(Map<SrvField, Entry> fields, SrvField f) {
            Entry e = fields.get(f);
            return e == null || e.value.isEmpty();
        }

        /** A name or target: no blank, comma or control character (the ConfigAdmin form splits on them). */
        private String token(Entry e) {
            for (int i = 0; i < e.value.length(); i++) {
                char c = e.value.charAt(i);
                if (c <= ' ' || c == ',' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                    bad(e, "a DNS name without blanks or commas");
                    return null;
                }
            }
            return e.value;
        }

        // ---- pass 3: phone lines -----------------------------------------------------------------------------

        /** Whether a line is enabled; null when its {@code enabled} value is malformed. */
        private Boolean enabled(LineKeys keys) {
            Entry e = keys.settings.get(LineSetting.ENABLED);
            if (e == null || e.value.isEmpty()) {
                return keys.index == 0; // AC-228 p102: line 0 enabled by default, the others disabled
            }
            return switch (e.value) {
                case "1" -> true;
                case "0" -> false;
                default -> {
                    bad(e, "0 or 1");
                    linePlain(keys, "is not published: its " + LineSetting.ENABLED.key(keys.index) + " is malformed");
                    yield null;
                }
            };
        }

        private LineConfig build(LineKeys keys, Shared s) {
            String id = AudioCodesFiles.lineId(stem, keys.index);
            Entry userEntry = keys.settings.get(LineSetting.ID);
            String user = userEntry == null ? "" : userEntry.value;
            if (user.isEmpty()) {
                linePlain(keys, "is not published: " + LineSetting.ID.key(keys.index) + " (the SIP user) is missing");
                return null;
            }
            for (int i = 0; i < user.length(); i++) {
                char c = user.charAt(i);
                // '=' is legal in a SIP user part, but here it means two lines ran together
                if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '@' || c == '<' || c == '>'
                        || c == '=') {
                    bad(userEntry, "a SIP user part without blanks, '=', '@', '<' or '>'");
                    linePlain(keys, "is not published: its SIP user is malformed");
                    return null;
                }
            }
            if (s.proxy == null) {
                linePlain(keys, "is not published: no proxy (" + s.noProxyReason + ")");
                return null;
            }
            LineConfig.Builder b = LineConfig.builder(id).user(user);
            Entry description = keys.settings.get(LineSetting.DESCRIPTION);
            if (description != null && !description.value.isEmpty()) {
                b.displayName(description.value);
            }
            Entry authName = keys.settings.get(LineSetting.AUTH_NAME);
            Entry password = keys.settings.get(LineSetting.AUTH_PASSWORD);
            String an = authName == null ? "" : authName.value;
            if (an.chars().anyMatch(c -> c == '=' || Character.isISOControl(c))) {
                bad(authName, "a user name without '=' or control characters");
                linePlain(keys, "is not published: its authentication user name is malformed");
                return null;
            }
            String pw = password == null ? "" : password.value;
            if (!an.isEmpty() || !pw.isEmpty()) {
                b.credentials(new Credentials(an.isEmpty() ? user : an, pw));
            }
            b.server(ServerRole.PROXY, Rank.PRIMARY, s.proxy);
            b.server(ServerRole.PROXY, Rank.BACKUP, s.redundant);
            b.server(ServerRole.REGISTRAR, Rank.PRIMARY, s.registrar);
            b.server(ServerRole.REGISTRAR, Rank.BACKUP, s.registrarBackup);
            b.server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, s.outbound);
            b.transport(s.transport);
            b.registrationPeriod(s.registrationPeriod);
            b.registrationRetry(s.registrationRetry);
            b.registrationTimeoutRetry(s.registrationTimeoutRetry);
            b.keepAliveInterval(s.keepAlive);
            b.transactionTimeout(s.transactionTimeout);
            b.probeInterval(s.probe);
            b.policy(s.symmetric ? SYMMETRIC : ASYMMETRIC);
            b.failback(s.symmetric ? FailbackMode.NEVER : FailbackMode.IMMEDIATE, DEFAULTS.failbackHoldOff(),
                    DEFAULTS.failbackTimeout(), DEFAULTS.failbackWhenIdle());
            s.srv.forEach(b::staticSrvRecord);
            extra.forEach((k, e) -> b.extra(k, e.value));
            keys.extra.forEach((k, e) -> b.extra(k, e.value));
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                // the builder's messages name the line and the setting, never a password
                linePlain(keys, "is not published: " + e.getMessage());
                return null;
            }
        }

        // ---- values --------------------------------------------------------------------------------------------

        private boolean flag(Setting setting, boolean otherwise) {
            Entry e = settings.get(setting);
            if (e == null || e.value.isEmpty()) {
                return otherwise;
            }
            switch (e.value) {
                case "1":
                    return true;
                case "0":
                    return false;
                default:
                    bad(e, "0 or 1");
                    return otherwise;
            }
        }

        /** A host, or null when unset ({@code 0.0.0.0} or empty, the phone's "none") or malformed. */
        private String host(Setting setting) {
            Entry e = settings.get(setting);
            if (e == null || e.value.isEmpty() || e.value.equals("0.0.0.0")) {
                return null;
            }
            try {
                return ServerAddress.of(e.value, 0).host();
            } catch (IllegalArgumentException x) {
                bad(e, "an IPv4 address, an IPv6 address or a host name");
                return null;
            }
        }

        /** A port: 1..65535 as written, {@value #DEFAULT_PORT} when unset or malformed. */
        private int port(Setting setting) {
            Entry e = settings.get(setting);
            if (e == null || e.value.isEmpty()) {
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
            String v = e.value;
            boolean digits = !v.isEmpty() && v.length() <= 18;
            for (int i = 0; i < v.length() && digits; i++) {
                digits = v.charAt(i) >= '0' && v.charAt(i) <= '9';
            }
            if (digits) {
                long n = Long.parseLong(v);
                if (n >= min && n <= max) {
                    return n;
                }
            }
            bad(e, accepted);
            return -1;
        }

        // ---- problems ------------------------------------------------------------------------------------------

        private void bad(Entry e, String accepted) {
            problems.add(new Problem(file, e.line, e.key, shown(e) + " is not accepted: expected " + accepted
                    + "; the line is ignored"));
        }

        private void problem(Entry e, String message) {
            problems.add(new Problem(file, e.line, e.key, message));
        }

        private void problem(int line, String key, String message) {
            problems.add(new Problem(file, line, key, message));
        }

        private void linePlain(LineKeys keys, String message) {
            lineProblems.add(new Problem(file, keys.firstLine == Integer.MAX_VALUE ? 0 : keys.firstLine,
                    AudioCodesKeys.LINE + keys.index, "phone line " + keys.index + " (" + AudioCodesFiles.lineId(stem,
                            keys.index) + ") " + message));
        }

        /** The value as a message shows it: quoted, shortened, and never for a secret key. */
        private static String shown(Entry e) {
            // a value that mentions a secret key is two lines run together: its tail may be a password
            if (AudioCodesKeys.isSecret(e.key) || AudioCodesKeys.isSecret(e.value)) {
                return "the value";
            }
            String v = e.value.length() > 40 ? e.value.substring(0, 40) + "..." : e.value;
            StringBuilder sb = new StringBuilder("'");
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                sb.append(Character.isISOControl(c) ? '?' : c);
            }
            return sb.append('\'').toString();
        }
    }
}
