// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.sipfailover.config.aastra.internal.AastraKeys.*;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.StaticSrvRecord;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.config.common.LineConfigFields;

/**
 * Writes the lines of one phone back as an Aastra/Mitel file (a {@code <MAC>.cfg} holding everything, global
 * settings included). The contract: {@link #export} returns a text that {@link AastraReader} reads back into
 * lines equal to the given ones, or throws. It checks this by reading its own output, so a setting that Aastra
 * files cannot express (a policy other than {@value AastraReader#POLICY}, a fraction of a second, a server with
 * its own transport, two lines disagreeing on a phone-wide setting, ...) is refused with the line and the
 * setting named, never silently lost. The text holds the passwords: it is a provisioning file, never a log.
 * Test code: the round trip it checks is the reader's contract, and no bundle writes Aastra files.
 */
public final class AastraExport {

    private static final Pattern ID = Pattern.compile("aastra-(.+)-line([1-9][0-9]?)");

    /** The family the BLF keys are written as: {@code softkeyN} exists on the 6700i/9400i ranges. */
    private static final String BLF_FAMILY = "softkey";

    /**
     * Writes lines whose ids are {@code aastra-<phone>-line<N>}, all of the same phone.
     *
     * @throws IllegalArgumentException naming the line and the setting when the lines cannot be written so
     *     that they read back equal; never showing a password
     */
    public String export(List<LineConfig> lines) {
        Objects.requireNonNull(lines, "lines");
        String phone = null;
        Map<Integer, LineConfig> byNumber = new TreeMap<>();
        for (LineConfig c : lines) {
            Matcher m = ID.matcher(c.id());
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "line " + c.id() + ": the id must be aastra-<phone>-line<N>, N 1.." + MAX_LINE);
            }
            if (phone != null && !phone.equals(m.group(1))) {
                throw new IllegalArgumentException(
                        "line " + c.id() + ": not of phone " + phone + "; one file holds one phone");
            }
            phone = m.group(1);
            if (byNumber.put(Integer.parseInt(m.group(2)), c) != null) {
                throw new IllegalArgumentException("line " + c.id() + " is given twice");
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("# Aastra/Mitel configuration written by sip-failover");
        out.append(phone == null ? "\n" : " for phone " + phone + "\n");
        if (byNumber.isEmpty()) {
            return out.toString();
        }
        phoneWide(out, byNumber);
        int softkey = 1;
        Set<Integer> usedSoftkeys = usedSoftkeys(byNumber.values());
        for (Map.Entry<Integer, LineConfig> e : byNumber.entrySet()) {
            softkey = line(out, e.getKey(), e.getValue(), softkey, usedSoftkeys);
        }
        check(phone, out.toString(), byNumber);
        return out.toString();
    }

    private static void phoneWide(StringBuilder out, Map<Integer, LineConfig> lines) {
        LineConfig first = lines.values().iterator().next();
        out.append("\n# phone-wide settings\n");
        put(out, TRANSPORT, Integer.toString(transport(first.transport().orElse(null))));
        put(out, PERSISTENT_TLS, first.persistentTls() ? "1" : "0");
        put(out, OUTBOUND_SUPPORT, first.sipOutbound() ? "1" : "0");
        // a line with a backup or an outbound proxy reads as non-symmetric whatever this says (A-R2x 6-43)
        boolean symmetric = lines.values().stream().noneMatch(c -> !randomPort(c) && !c.symmetricUdp());
        put(out, SYMMETRIC_UDP, symmetric ? "1" : "0");
        if (!first.keepAliveInterval().equals(LineConfig.DEFAULT_KEEP_ALIVE)) {
            put(out, PERSISTENT_TLS_KEEP_ALIVE, seconds(first.keepAliveInterval()));
        }
        put(out, RENEWAL_TIMER, seconds(first.registrationRenewal()));
        put(out, RETRY_TIMER, seconds(first.registrationRetry()));
        put(out, TIMEOUT_RETRY_TIMER, seconds(first.registrationTimeoutRetry()));
        first.transactionTimeout().ifPresent(t -> put(out, TRANSACTION_TIMER, millis(t)));
        SubscriptionConfig mwi = firstOf(lines, SubscriptionKind.MWI);
        put(out, EXPLICIT_MWI, mwi != null ? "1" : "0");
        if (mwi != null) {
            put(out, EXPLICIT_MWI_PERIOD, seconds(mwi.period()));
            boolean forBla =
                    lines.values().stream().anyMatch(c -> has(c, SubscriptionKind.BLA) && has(c, SubscriptionKind.MWI));
            if (forBla) {
                put(out, MWI_FOR_BLA, "1");
            }
        }
        SubscriptionConfig blf = firstOf(lines, SubscriptionKind.BLF);
        if (blf != null) {
            put(out, BLF_PERIOD, seconds(blf.period()));
        }
        SubscriptionConfig bla = firstOf(lines, SubscriptionKind.BLA);
        if (bla != null) {
            put(out, BLA_PERIOD, seconds(bla.period()));
        }
        int x = 1;
        for (StaticSrvRecord r : first.staticSrvRecords()) {
            String p = "sip dns srv" + x++ + " ";
            put(out, p + "name", r.name());
            put(out, p + "priority", Integer.toString(r.priority()));
            put(out, p + "weight", Integer.toString(r.weight()));
            put(out, p + "port", Integer.toString(r.port()));
            put(out, p + "target", r.target());
        }
        Map<String, String> phoneExtra = new TreeMap<>();
        for (LineConfig c : lines.values()) {
            c.extra().forEach((k, v) -> {
                if (lineOf(k) == 0) {
                    String before = phoneExtra.putIfAbsent(k, v);
                    if (before != null && !before.equals(v)) {
                        throw new IllegalArgumentException("line " + c.id() + ": extra " + k
                                + " differs from another line's, but it is a phone-wide key");
                    }
                }
            });
        }
        if (!phoneExtra.isEmpty()) {
            out.append("\n# kept as read\n");
            phoneExtra.forEach((k, v) -> put(out, k, v));
        }
    }

    private static int line(StringBuilder out, int n, LineConfig c, int softkey, Set<Integer> usedSoftkeys) {
        out.append("\n# line ").append(n).append('\n');
        put(out, perLine(n, USER_NAME), c.user());
        c.displayName().ifPresent(v -> put(out, perLine(n, DISPLAY_NAME), v));
        c.credentials().ifPresent(cr -> {
            put(out, perLine(n, AUTH_NAME), cr.authName());
            put(out, perLine(n, PASSWORD), cr.password());
        });
        for (SubscriptionConfig s : c.subscriptions()) {
            if (s.kind() == SubscriptionKind.BLA) {
                put(out, perLine(n, MODE), "3");
                put(out, perLine(n, BLA_NUMBER), s.target());
                break;
            }
        }
        server(out, n, c, ServerRole.PROXY, Rank.PRIMARY, PROXY_IP, PROXY_PORT);
        server(out, n, c, ServerRole.PROXY, Rank.BACKUP, BACKUP_PROXY_IP, BACKUP_PROXY_PORT);
        server(out, n, c, ServerRole.REGISTRAR, Rank.PRIMARY, REGISTRAR_IP, REGISTRAR_PORT);
        server(out, n, c, ServerRole.REGISTRAR, Rank.BACKUP, BACKUP_REGISTRAR_IP, BACKUP_REGISTRAR_PORT);
        server(out, n, c, ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, OUTBOUND_PROXY, OUTBOUND_PROXY_PORT);
        server(out, n, c, ServerRole.OUTBOUND_PROXY, Rank.BACKUP, BACKUP_OUTBOUND_PROXY, BACKUP_OUTBOUND_PROXY_PORT);
        put(out, perLine(n, REGISTRATION_PERIOD), seconds(c.registrationPeriod()));
        c.extra().forEach((k, v) -> {
            if (lineOf(k) != 0) {
                put(out, k, v);
            }
        });
        for (SubscriptionConfig s : c.subscriptions()) {
            if (s.kind() == SubscriptionKind.BLF) {
                while (usedSoftkeys.contains(softkey)) {
                    softkey++;
                }
                String p = BLF_FAMILY + softkey++ + " ";
                put(out, p + "type", "blf");
                put(out, p + "value", s.target());
                put(out, p + "line", Integer.toString(n));
            }
        }
        return softkey;
    }

    private static void server(
            StringBuilder out, int n, LineConfig c, ServerRole role, Rank rank, String ipKey, String portKey) {
        ServerAddress a = c.server(role, rank).orElse(null);
        if (a != null) {
            put(out, perLine(n, ipKey), a.host());
            put(out, perLine(n, portKey), Integer.toString(a.port()));
        }
    }

    /** Softkey numbers the lines' extra keys already use. */
    private static Set<Integer> usedSoftkeys(Iterable<LineConfig> lines) {
        Set<Integer> used = new TreeSet<>();
        for (LineConfig c : lines) {
            for (String k : c.extra().keySet()) {
                Matcher m = KEY_ATTRIBUTE.matcher(k);
                if (m.matches() && m.group(1).equals(BLF_FAMILY)) {
                    used.add(Integer.parseInt(m.group(2)));
                }
            }
        }
        return used;
    }

    /** One {@code key: value} line; the value quoted when it holds a {@code #} or quotes or outer blanks. */
    private static void put(StringBuilder out, String key, String value) {
        if (key.isEmpty()
                || !AastraFile.normaliseKey(key).equals(key)
                || key.indexOf(':') >= 0
                || key.indexOf('#') >= 0
                || key.indexOf('"') >= 0
                || key.startsWith("!")
                || key.startsWith("^")) {
            throw new IllegalArgumentException("key '" + key + "' cannot be written as an Aastra parameter name");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(key + ": a value with a line break cannot be written");
        }
        boolean quote = value.indexOf('#') >= 0
                || value.startsWith("\"")
                || !value.strip().equals(value);
        out.append(key).append(": ");
        if (quote) {
            out.append('"').append(value).append('"');
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    private static int transport(Transport t) {
        if (t == null) {
            return 0;
        }
        return switch (t) {
            case UDP -> 1;
            case TCP -> 2;
            case TLS -> 4;
        };
    }

    private static boolean randomPort(LineConfig c) {
        return c.server(ServerRole.PROXY, Rank.BACKUP).isPresent()
                || c.server(ServerRole.REGISTRAR, Rank.BACKUP).isPresent()
                || c.server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY).isPresent()
                || c.server(ServerRole.OUTBOUND_PROXY, Rank.BACKUP).isPresent();
    }

    private static boolean has(LineConfig c, SubscriptionKind kind) {
        return c.subscriptions().stream().anyMatch(s -> s.kind() == kind);
    }

    private static SubscriptionConfig firstOf(Map<Integer, LineConfig> lines, SubscriptionKind kind) {
        for (LineConfig c : lines.values()) {
            for (SubscriptionConfig s : c.subscriptions()) {
                if (s.kind() == kind) {
                    return s;
                }
            }
        }
        return null;
    }

    /** Whole seconds; a fraction is written truncated and then caught by {@link #check}. */
    private static String seconds(Duration d) {
        return Long.toString(d.getSeconds());
    }

    /** Whole milliseconds; a fraction is written truncated and then caught by {@link #check}. */
    private static String millis(Duration d) {
        return BigInteger.valueOf(d.getSeconds())
                .multiply(BigInteger.valueOf(1000))
                .add(BigInteger.valueOf(d.getNano() / 1_000_000))
                .toString();
    }

    // ---- the self-check ----

    private static void check(String phone, String text, Map<Integer, LineConfig> wanted) {
        AastraParseResult back = new AastraReader().read(phone, List.of(AastraFile.parse(phone + ".cfg", text)));
        for (Map.Entry<Integer, LineConfig> e : wanted.entrySet()) {
            LineConfig want = e.getValue();
            LineConfig got = back.lines().get(e.getKey());
            if (got == null) {
                List<String> why = new ArrayList<>();
                back.problems().forEach(p -> why.add(p.message()));
                throw new IllegalArgumentException(
                        "line " + want.id() + " cannot be expressed in Aastra files: " + why);
            }
            if (!got.equals(want)) {
                throw new IllegalArgumentException("line " + want.id() + ": " + difference(want, got, back)
                        + " cannot be expressed in Aastra files");
            }
        }
        if (back.lines().size() != wanted.size()) {
            throw new IllegalArgumentException(
                    "the written file would configure lines " + back.lines().keySet() + ", not " + wanted.keySet()
                            + " (an extra key of the form 'sip lineN ...'?)");
        }
    }

    private static String difference(LineConfig want, LineConfig got, AastraParseResult back) {
        for (Map.Entry<String, Function<LineConfig, Object>> f : LineConfigFields.FIELDS.entrySet()) {
            Object w = f.getValue().apply(want);
            Object g = f.getValue().apply(got);
            if (!w.equals(g)) {
                String name = f.getKey();
                if (name.equals("credentials")) {
                    return name; // never a password, not even masked
                }
                if (name.equals("extra")) {
                    Set<String> keys = new TreeSet<>(want.extra().keySet());
                    keys.addAll(got.extra().keySet());
                    keys.removeIf(
                            k -> Objects.equals(want.extra().get(k), got.extra().get(k)));
                    return "extra " + keys;
                }
                String problems = back.problems().isEmpty() ? "" : " (" + back.problems() + ")";
                return name + " " + w + " (would read back as " + g + ")" + problems;
            }
        }
        return "a setting";
    }
}
