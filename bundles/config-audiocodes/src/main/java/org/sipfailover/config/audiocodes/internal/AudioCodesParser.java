// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import java.io.IOException;
import java.nio.file.Path;
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
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.LineSetting;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.Ref;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.Setting;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.SrvField;
import org.sipfailover.config.common.Problem;
import org.sipfailover.config.common.Secrets;
import org.sipfailover.config.common.ValueParser;

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
 * ({@link AudioCodesParseResult#failedLines()}); the other lines are read as if nothing had happened.
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

    /** A LineConfig with every default, to read the defaults from the API instead of repeating them. */
    static final LineConfig DEFAULTS = LineConfig.builder("defaults")
            .user("defaults")
            .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("defaults.invalid", 0))
            .build();

    public AudioCodesParser() {}

    /**
     * Reads a file.
     *
     * @throws IOException when the file cannot be read at all (then nothing about it is known)
     */
    public AudioCodesParseResult parse(Path file) throws IOException {
        return parse(file.getFileName().toString(), AudioCodesFiles.decode(AudioCodesFiles.read(file)));
    }

    /**
     * Reads the text of a file.
     *
     * @param fileName the file's name: problems name it, and line ids are {@code audiocodes-<stem>-line<index>}
     *     where the stem is the name without {@code .cfg}
     */
    public AudioCodesParseResult parse(String fileName, String text) {
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
    record Entry(String file, int line, String key, String value) implements ValueParser.Value {}

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

    /** The state of reading one file. */
    private static final class Run {
        private final String file;
        private final String text;
        private final String stem;
        private final List<Problem> problems = new ArrayList<>();
        private final ValueParser values = new ValueParser(
                problems::add,
                (shown, accepted) -> shown + " is not accepted: expected " + accepted + "; the line is ignored");
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

        AudioCodesParseResult parse() {
            read();
            AudioCodesShared shared = AudioCodesShared.read(file, settings, srv, values, problems::add);
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
            return new AudioCodesParseResult(file, built, failed, disabled, all, unknown, hasVoipKeys);
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
                pos = end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n'
                        ? end + 2
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
            Entry e = new Entry(file, lineNo, key, value);
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
                case SRV_FIELD ->
                    srv.computeIfAbsent(ref.index(), i -> new EnumMap<>(SrvField.class))
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
            if (Secrets.isSecret(e.key)) {
                // an unknown secret (an admin or service password) has no use here and would sit in plain
                // ConfigAdmin properties: it is not kept
                unknown.add(e.key + " (line " + e.line + ", a secret: not kept)");
                return false;
            }
            String lower = e.key.toLowerCase(Locale.ROOT);
            String earlier = extraKeysLower.putIfAbsent(lower, e.key);
            if (earlier != null && !earlier.equals(e.key)) {
                problem(
                        e.line,
                        e.key,
                        "differs from the key '" + earlier + "' only by case, and line "
                                + "configurations cannot hold both; the line is ignored");
                return false;
            }
            if (ref.caseVariantOf() != null) {
                problem(
                        e.line,
                        e.key,
                        "differs from the known key '" + ref.caseVariantOf() + "' only by case; keys "
                                + "are case-sensitive, so it is kept as an unknown key and does not set "
                                + ref.caseVariantOf());
            }
            unknown.add(e.key + " (line " + e.line + ")");
            return true;
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
                    values.bad(e, "0 or 1");
                    linePlain(keys, "is not published: its " + LineSetting.ENABLED.key(keys.index) + " is malformed");
                    yield null;
                }
            };
        }

        private LineConfig build(LineKeys keys, AudioCodesShared s) {
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
                if (Character.isWhitespace(c)
                        || Character.isISOControl(c)
                        || c == '@'
                        || c == '<'
                        || c == '>'
                        || c == '=') {
                    values.bad(userEntry, "a SIP user part without blanks, '=', '@', '<' or '>'");
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
                values.bad(authName, "a user name without '=' or control characters");
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
            b.failback(
                    s.symmetric ? FailbackMode.NEVER : FailbackMode.IMMEDIATE,
                    DEFAULTS.failbackHoldOff(),
                    DEFAULTS.failbackTimeout(),
                    DEFAULTS.failbackWhenIdle());
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

        // ---- problems ------------------------------------------------------------------------------------------

        private void problem(int line, String key, String message) {
            problems.add(new Problem(file, line, key, message));
        }

        private void linePlain(LineKeys keys, String message) {
            lineProblems.add(new Problem(
                    file,
                    keys.firstLine == Integer.MAX_VALUE ? 0 : keys.firstLine,
                    AudioCodesKeys.LINE + keys.index,
                    "phone line " + keys.index + " (" + AudioCodesFiles.lineId(stem, keys.index) + ") " + message));
        }
    }
}
