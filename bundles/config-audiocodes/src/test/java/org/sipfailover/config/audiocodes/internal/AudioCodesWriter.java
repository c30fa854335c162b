// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.StaticSrvRecord;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.Kind;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.LineSetting;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.Ref;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.Setting;
import org.sipfailover.config.audiocodes.internal.AudioCodesKeys.SrvField;
import org.sipfailover.config.common.LineConfigFields;

/**
 * Writes line configurations as one AudioCodes 400HD file, such that {@link AudioCodesParser} reads back
 * equal configurations (ids aside, which come from the file name: a line with the id
 * {@code audiocodes-<stem>-line<index>} is written as {@code voip/line/<index>/...}, and read back with
 * the same id from a file named {@code <stem>.cfg}; a line with any other id is written at its position in
 * the list).
 *
 * <p>An AudioCodes file cannot say everything a {@link LineConfig} can: all lines of a file share their
 * servers, transport, timers and policy, there is no backup outbound proxy, no RFC 5626 outbound, no
 * subscriptions, and port 65535 means "look up SRV". {@link #write(List)} refuses what it cannot write
 * faithfully, naming the line and the setting, rather than writing a file that means something else.
 * A plain class, safe to share. Test code: the round trip it checks is the parser's contract, and no bundle
 * writes AudioCodes files.
 */
public final class AudioCodesWriter {

    private static final Pattern INDEXED_ID = Pattern.compile(".*-line(\\d{1,2})");

    private final AudioCodesParser parser = new AudioCodesParser();

    public AudioCodesWriter() {}

    /**
     * The file text for these lines.
     *
     * @throws IllegalArgumentException naming the line and the setting when the lines cannot be written
     *     faithfully (never showing a password)
     */
    public String write(List<LineConfig> lines) {
        Map<Integer, LineConfig> byIndex = indexes(lines);
        StringBuilder out = new StringBuilder();
        out.append("# AudioCodes 400HD configuration written by sip-failover\n");
        if (byIndex.isEmpty()) {
            return out.toString();
        }
        LineConfig first = byIndex.values().iterator().next();
        List<String> shared = shared(first);
        for (LineConfig c : byIndex.values()) {
            List<String> other = shared(c);
            if (!other.equals(shared)) {
                throw new IllegalArgumentException("lines " + first.id() + " and " + c.id() + " differ in "
                        + firstDifference(shared, other) + ", but the lines of one AudioCodes file share every "
                        + "setting outside voip/line/<index>/");
            }
        }
        shared.forEach(l -> out.append(l).append('\n'));
        for (Map.Entry<Integer, LineConfig> e : byIndex.entrySet()) {
            out.append('\n');
            line(e.getKey(), e.getValue()).forEach(l -> out.append(l).append('\n'));
        }
        String text = out.toString();
        check(byIndex, text);
        return text;
    }

    /** Line index by line: from {@code ...-line<index>} ids when every id has one, else by position. */
    private static Map<Integer, LineConfig> indexes(List<LineConfig> lines) {
        Map<Integer, LineConfig> byId = new TreeMap<>();
        boolean indexed = true;
        for (LineConfig c : lines) {
            Matcher m = INDEXED_ID.matcher(c.id());
            int index = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            if (index < 0 || index > AudioCodesKeys.MAX_LINE_INDEX || byId.putIfAbsent(index, c) != null) {
                indexed = false;
                break;
            }
        }
        if (indexed) {
            return byId;
        }
        Map<Integer, LineConfig> byPosition = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            byPosition.put(i, lines.get(i));
        }
        if (byPosition.size() > AudioCodesKeys.MAX_LINE_INDEX + 1) {
            throw new IllegalArgumentException("an AudioCodes file holds at most " + (AudioCodesKeys.MAX_LINE_INDEX + 1)
                    + " lines, not " + lines.size());
        }
        return byPosition;
    }

    /** The shared part of the file, as this line would have it. */
    private static List<String> shared(LineConfig c) {
        List<String> out = new ArrayList<>();
        Map<ServerRole, ServerAddress> primary = new LinkedHashMap<>();
        for (ServerRole role : ServerRole.values()) {
            for (Rank rank : Rank.values()) {
                c.server(role, rank).ifPresent(a -> {
                    if (a.transport() != null) {
                        throw refused(
                                c,
                                role.name().toLowerCase().replace('_', ' ') + " " + a
                                        + " names its own transport; an AudioCodes file gives one transport for all servers");
                    }
                });
            }
            c.server(role, Rank.PRIMARY).ifPresent(a -> primary.put(role, a));
        }
        ServerAddress proxy = primary.get(ServerRole.PROXY);
        put(out, Setting.USE_PROXY, "1");
        put(out, Setting.PROXY_ADDRESS, proxy.host());
        put(out, Setting.PROXY_PORT, port(c, proxy));
        ServerAddress registrar = primary.get(ServerRole.REGISTRAR);
        put(out, Setting.REGISTRAR_IS_PROXY, registrar == null ? "1" : "0");
        put(out, Setting.REGISTRAR_ENABLED, registrar == null ? "0" : "1");
        if (registrar != null) {
            put(out, Setting.REGISTRAR_ADDRESS, registrar.host());
            put(out, Setting.REGISTRAR_PORT, port(c, registrar));
        }
        ServerAddress outbound = primary.get(ServerRole.OUTBOUND_PROXY);
        put(out, Setting.OUTBOUND_ENABLED, outbound == null ? "0" : "1");
        if (outbound != null) {
            put(out, Setting.OUTBOUND_ADDRESS, outbound.host());
            put(out, Setting.OUTBOUND_PORT, port(c, outbound));
        }
        ServerAddress redundant = c.server(ServerRole.PROXY, Rank.BACKUP).orElse(null);
        put(out, Setting.REDUNDANT_ENABLED, redundant == null ? "0" : "1");
        if (redundant != null) {
            put(out, Setting.REDUNDANT_ADDRESS, redundant.host());
            put(out, Setting.REDUNDANT_PORT, port(c, redundant));
        }
        put(
                out,
                Setting.REDUNDANT_KEEP_ALIVE,
                seconds(c, "probeInterval", c.probeInterval(), 1, AudioCodesParser.MAX_PROBE));
        String symmetric = switch (c.policy()) {
            case AudioCodesParser.ASYMMETRIC -> "0";
            case AudioCodesParser.SYMMETRIC -> "1";
            default ->
                throw refused(
                        c,
                        "policy " + c.policy() + " has no AudioCodes equivalent: accepted are "
                                + AudioCodesParser.ASYMMETRIC + " and " + AudioCodesParser.SYMMETRIC);
        };
        put(out, Setting.REDUNDANT_SYMMETRIC, symmetric);
        put(
                out,
                Setting.TRANSPORT,
                c.transport()
                        .map(t -> t.name())
                        .orElseThrow(() -> refused(
                                c,
                                "transport any (DNS decides) has no AudioCodes value: accepted are "
                                        + "udp, tcp and tls")));
        put(
                out,
                Setting.REGISTRATION_PERIOD,
                seconds(c, "registrationPeriod", c.registrationPeriod(), 0, AudioCodesParser.MAX_REGISTRATION_PERIOD));
        LineConfig d = AudioCodesParser.DEFAULTS;
        if (c.registrationRetry().equals(c.registrationTimeoutRetry())) {
            put(
                    out,
                    Setting.REGISTRATION_RETRY,
                    seconds(c, "registrationRetry", c.registrationRetry(), 1, AudioCodesParser.MAX_RETRY));
        } else if (!c.registrationRetry().equals(d.registrationRetry())
                || !c.registrationTimeoutRetry().equals(d.registrationTimeoutRetry())) {
            throw refused(
                    c,
                    "registrationRetry and registrationTimeoutRetry differ, but AudioCodes has one timer "
                            + "for both (" + Setting.REGISTRATION_RETRY.key + ")");
        }
        if (c.keepAliveInterval().equals(d.keepAliveInterval())) {
            put(out, Setting.REGISTRAR_KA_ENABLED, "0");
        } else {
            put(out, Setting.REGISTRAR_KA_ENABLED, "1");
            put(
                    out,
                    Setting.REGISTRAR_KA_PERIOD,
                    seconds(
                            c,
                            "keepAliveInterval",
                            c.keepAliveInterval(),
                            AudioCodesParser.MIN_REGISTRAR_KA,
                            AudioCodesParser.MAX_REGISTRAR_KA));
        }
        c.transactionTimeout()
                .ifPresent(t -> put(
                        out,
                        Setting.TRANSACTION_TIMEOUT,
                        millis(
                                c,
                                "transactionTimeout",
                                t,
                                AudioCodesParser.MIN_TRANSACTION_TIMEOUT_MS,
                                AudioCodesParser.MAX_TRANSACTION_TIMEOUT_MS)));
        List<StaticSrvRecord> srv = c.staticSrvRecords();
        if (srv.size() > AudioCodesKeys.MAX_SRV_INDEX + 1) {
            throw refused(c, "more than " + (AudioCodesKeys.MAX_SRV_INDEX + 1) + " static SRV records");
        }
        for (int i = 0; i < srv.size(); i++) {
            StaticSrvRecord r = srv.get(i);
            out.add(SrvField.NAME.key(i) + "=" + value(c, "staticSrvRecords", r.name()));
            out.add(SrvField.PRIORITY.key(i) + "=" + r.priority());
            out.add(SrvField.WEIGHT.key(i) + "=" + r.weight());
            out.add(SrvField.PORT.key(i) + "=" + r.port());
            out.add(SrvField.TARGET.key(i) + "=" + value(c, "staticSrvRecords", r.target()));
        }
        new TreeMap<>(c.extra()).forEach((k, v) -> {
            Ref ref = extraKey(c, k);
            if (ref.kind() == Kind.EXTRA) {
                out.add(k + "=" + value(c, "extra " + k, v));
            }
        });
        return out;
    }

    /** The phone line's own part of the file. */
    private static List<String> line(int index, LineConfig c) {
        List<String> out = new ArrayList<>();
        out.add(LineSetting.ENABLED.key(index) + "=1");
        out.add(LineSetting.ID.key(index) + "=" + value(c, "user", c.user()));
        c.displayName().ifPresent(v -> out.add(LineSetting.DESCRIPTION.key(index) + "=" + value(c, "displayName", v)));
        c.credentials().ifPresent(cr -> {
            out.add(LineSetting.AUTH_NAME.key(index) + "=" + value(c, "credentials", cr.authName()));
            if (!cr.password().isEmpty()) {
                out.add(LineSetting.AUTH_PASSWORD.key(index) + "=" + value(c, "credentials", cr.password()));
            }
        });
        new TreeMap<>(c.extra()).forEach((k, v) -> {
            Ref ref = extraKey(c, k);
            if (ref.kind() == Kind.LINE_EXTRA) {
                if (ref.index() != index) {
                    throw refused(
                            c,
                            "extra key " + k + " belongs to line " + ref.index() + ", but this line is "
                                    + "written as line " + index);
                }
                out.add(k + "=" + value(c, "extra " + k, v));
            }
        });
        return out;
    }

    /** Checks that an extra key is one the parser would keep as an unknown key. */
    private static Ref extraKey(LineConfig c, String k) {
        if (!k.equals(k.strip())
                || k.isEmpty()
                || k.startsWith("#")
                || k.indexOf('=') >= 0
                || k.chars().anyMatch(ch -> ch == '\n' || ch == '\r' || Character.isISOControl(ch))) {
            throw refused(c, "extra key '" + k + "' cannot be written as an AudioCodes key");
        }
        Ref ref = AudioCodesKeys.classify(k);
        if (!ref.isExtra()) {
            throw refused(c, "extra key " + k + " is a key this adapter reads as a setting; set the setting instead");
        }
        return ref;
    }

    /** A value as written: one line, without surrounding blanks (the parser strips them). */
    private static String value(LineConfig c, String field, String v) {
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            throw refused(c, field + " contains a line break");
        }
        return v;
    }

    private static String port(LineConfig c, ServerAddress a) {
        if (a.port() == AudioCodesParser.SRV_PORT) {
            throw refused(c, "server " + a + ": port 65535 means \"look up SRV\" in AudioCodes files");
        }
        return Integer.toString(a.port() == 0 ? AudioCodesParser.SRV_PORT : a.port());
    }

    private static String seconds(LineConfig c, String field, Duration d, long min, long max) {
        if (d.getNano() != 0 || d.getSeconds() < min || d.getSeconds() > max) {
            throw refused(c, field + " " + d + ": AudioCodes accepts whole seconds " + min + ".." + max);
        }
        return Long.toString(d.getSeconds());
    }

    private static String millis(LineConfig c, String field, Duration d, long min, long max) {
        if (d.getNano() % 1_000_000 != 0
                || d.compareTo(Duration.ofMillis(min)) < 0
                || d.compareTo(Duration.ofMillis(max)) > 0) {
            throw refused(c, field + " " + d + ": AudioCodes accepts whole milliseconds " + min + ".." + max);
        }
        return Long.toString(d.toMillis());
    }

    private static void put(List<String> out, Setting s, String v) {
        out.add(s.key + "=" + v);
    }

    private static String firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return key(a.get(i)).equals(key(b.get(i))) ? key(a.get(i)) : key(a.get(i)) + " / " + key(b.get(i));
            }
        }
        return a.size() > b.size() ? key(a.get(b.size())) : key(b.get(a.size()));
    }

    private static String key(String assignment) {
        return assignment.substring(0, assignment.indexOf('='));
    }

    private static IllegalArgumentException refused(LineConfig c, String why) {
        return new IllegalArgumentException("line " + c.id() + " cannot be written as AudioCodes: " + why);
    }

    /** Reads the text back and insists on getting the lines it was written from. */
    private void check(Map<Integer, LineConfig> byIndex, String text) {
        AudioCodesParseResult back = parser.parse("export.cfg", text);
        for (Map.Entry<Integer, LineConfig> e : byIndex.entrySet()) {
            LineConfig read = back.lines().get(e.getKey());
            if (read == null) {
                throw refused(e.getValue(), "it does not read back: " + back.problems());
            }
            List<String> differences = LineConfigFields.differences(e.getValue(), read);
            if (!differences.isEmpty()) {
                throw refused(e.getValue(), "AudioCodes files cannot express its " + String.join(", ", differences));
            }
        }
    }
}
