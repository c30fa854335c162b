// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.sipfailover.config.aastra.internal.AastraKeys.*;
import static org.sipfailover.config.common.ValueParser.value;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.config.common.Problem;
import org.sipfailover.config.common.Secrets;
import org.sipfailover.config.common.ValueParser;

/**
 * Reads one phone's Aastra/Mitel files into line configurations, as the phone reads them (VENDOR.md 1):
 * the files in precedence order ({@code aastra.cfg} or {@code startup.cfg}, then {@code <model>.cfg}, then
 * {@code <MAC>.cfg}), the last value of a key winning; then, for each line, the per-line network set and the
 * per-line authentication set each replace the whole global set as soon as one of their members is set for
 * the line (A-R14 p4-39, A-R331 p4-57). Keys the phone does not have default to the firmware's values.
 *
 * <p>Nothing in the files makes reading fail: a bad value is reported as a {@link Problem} naming the file, the
 * line number, the key and what is accepted, and is ignored (the firmware default applies); a phone line that
 * cannot be built is reported and left out, and the other lines are built. A plain class: thread-safe, no OSGi.
 */
public final class AastraReader {

    /** The {@code policy.name} of the failover policy every Aastra line uses. */
    public static final String POLICY = "aastra";

    /** Firmware defaults (VENDOR.md 1.2, 1.3). */
    static final int DEFAULT_RETRY = 1800;

    static final int DEFAULT_TIMEOUT_RETRY = 120;
    static final int MIN_TIMEOUT_RETRY = 30;
    /** {@code sip transaction timer}, in milliseconds (A-R322 4-87). */
    static final int DEFAULT_TRANSACTION_TIMER = 4000;

    static final int MIN_TRANSACTION_TIMER = 4000;
    static final int MAX_TRANSACTION_TIMER = 64000;
    static final int DEFAULT_RENEWAL = 15;
    static final int DEFAULT_BLF_PERIOD = 3600;
    static final int MIN_BLF_PERIOD = 120;
    /** [G]: no default was found for the explicit MWI subscription period. */
    static final int DEFAULT_MWI_PERIOD = 3600;
    /** The web UI's default BLA subscription period, also used for its 0 ("use the server's value"). */
    static final int DEFAULT_BLA_PERIOD = 300;

    private static final String PORT = "0 (DNS SRV lookup for a host name, 5060 for an IP address) or 1..65535";
    private static final String HOST = "an IPv4 address, an IPv6 address or a host name (0.0.0.0 or empty: none)";
    private static final long INT_MAX = Integer.MAX_VALUE;

    private static final String SIP_USER =
            "a SIP user part: letters, digits and - _ . ! ~ * ' ( ) & = + $ , ; ? / " + "or %XX escapes";

    /** RFC 3261 §25.1 {@code user}: unreserved, escaped and user-unreserved characters. */
    static boolean isSipUser(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-_.!~*'()&=+$,;?/".indexOf(c) >= 0;
            if (c == '%') {
                ok = i + 2 < v.length() && isHex(v.charAt(i + 1)) && isHex(v.charAt(i + 2));
                i += 2;
            }
            if (!ok) {
                return false;
            }
        }
        return !v.isEmpty();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    /** A digest user name the phone can send: no blanks, colons (RFC 2617 A1), quotes or control characters. */
    static boolean isAuthName(String v) {
        return v.chars()
                .noneMatch(c -> c == ':'
                        || c == '"'
                        || c == '\\'
                        || Character.isWhitespace(c)
                        || Character.isISOControl(c)
                        || Character.isSpaceChar(c));
    }

    /** The line id, also the name of its factory configuration: {@code aastra-<phone>-line<N>}. */
    public static String lineId(String phone, int line) {
        return "aastra-" + phone + "-line" + line;
    }

    /**
     * Reads one phone's files.
     *
     * @param phone the phone: its MAC address in lower case, or a file stem; part of every line id
     * @param files the files, lowest precedence first
     */
    public AastraParseResult read(String phone, List<AastraFile> files) {
        Objects.requireNonNull(phone, "phone");
        return new Run(phone, List.copyOf(files)).run();
    }

    /** Reads one file as a phone's only file. */
    public AastraParseResult read(String phone, String fileName, String text) {
        return read(phone, List.of(AastraFile.parse(fileName, text)));
    }

    /** One reading: not thread-safe, used once. */
    private static final class Run {
        private final String phone;
        private final List<AastraFile> files;
        private final Map<String, Entry> merged = new LinkedHashMap<>();
        private final List<Problem> problems = new ArrayList<>();
        /** Reports each bad value once: a global value is checked once per line that uses it. */
        private final ValueParser values = new ValueParser(
                problems::add,
                (shown, accepted) -> shown + " is not accepted, so the key is ignored: expected " + accepted);

        private final AastraBlfKeys blf = new AastraBlfKeys(values, problems);
        private final AastraExtras extras = new AastraExtras(merged, blf);

        Run(String phone, List<AastraFile> files) {
            this.phone = phone;
            this.files = files;
        }

        AastraParseResult run() {
            List<String> names = new ArrayList<>();
            for (AastraFile f : files) {
                names.add(f.name());
                problems.addAll(f.problems());
                for (Entry e : f.entries()) {
                    // the last value read wins, and its lock status with it (A-R322 p1-43)
                    merged.put(e.key(), e);
                }
            }
            for (Entry e : merged.values()) {
                if (ANY_LINE.matcher(e.key()).matches() && lineOf(e.key()) == 0) {
                    problems.add(new Problem(
                            e.file(),
                            e.line(),
                            e.key(),
                            "the line number is not accepted, so the " + "key is ignored: expected 1.." + MAX_LINE
                                    + " without leading zeros (1..9 documented)"));
                }
            }
            SortedSet<Integer> lineNumbers = lineNumbers();
            AastraPhone p = AastraPhone.read(merged, values, problems);
            blf.read(merged, lineNumbers, p.blfPeriod);
            Map<Integer, LineConfig> lines = new TreeMap<>();
            Set<Integer> failed = new TreeSet<>();
            Set<Integer> unregistered = new TreeSet<>();
            Map<Integer, SortedSet<String>> locked = new HashMap<>();
            Map<Integer, SortedSet<String>> forced = new HashMap<>();
            for (int n : lineNumbers) {
                try {
                    LineConfig c = line(n, p);
                    if (c != null) {
                        lines.put(n, c);
                    } else {
                        unregistered.add(n);
                    }
                } catch (LineFailure f) {
                    failed.add(n);
                    problems.add(f.problem);
                }
                locked.put(n, flagged(n, true));
                forced.put(n, flagged(n, false));
            }
            return new AastraParseResult(
                    phone, names, lines, failed, unregistered, problems, extras.keys(), locked, forced);
        }

        /** Lines are those with a {@code sip lineN} key; without any, line 1 when a global user name is set. */
        private SortedSet<Integer> lineNumbers() {
            SortedSet<Integer> out = new TreeSet<>();
            for (String k : merged.keySet()) {
                int n = lineOf(k);
                if (n > 0) {
                    out.add(n);
                }
            }
            if (out.isEmpty() && !value(merged.get(global(USER_NAME))).isEmpty()) {
                out.add(1);
            }
            return out;
        }

        private SortedSet<String> flagged(int n, boolean lockedFlag) {
            SortedSet<String> out = new TreeSet<>();
            for (Entry e : merged.values()) {
                int m = lineOf(e.key());
                if ((m == 0 || m == n) && (lockedFlag ? e.locked() : e.forced())) {
                    out.add(e.key());
                }
            }
            return out;
        }

        // ---- one line ----

        /** @return the line, or null when the phone would not register it (no registrar) */
        private LineConfig line(int n, AastraPhone p) throws LineFailure {
            boolean netLocal = NETWORK_SET.stream()
                    .anyMatch(m -> !value(merged.get(perLine(n, m))).isEmpty());
            boolean authLocal = AUTH_SET.stream()
                    .anyMatch(m -> !value(merged.get(perLine(n, m))).isEmpty());
            Function<String, Entry> net = m -> merged.get(netLocal ? perLine(n, m) : global(m));
            Function<String, Entry> auth = m -> merged.get(authLocal ? perLine(n, m) : global(m));
            String id = lineId(phone, n);

            Entry userEntry = auth.apply(USER_NAME);
            String user = value(userEntry);
            if (user.isEmpty()) {
                throw failure(
                        n,
                        authLocal ? perLine(n, USER_NAME) : global(USER_NAME),
                        "line " + n + " has no user name; not built");
            }
            if (!isSipUser(user)) {
                throw failure(
                        n,
                        userEntry.key(),
                        Secrets.shown(userEntry.key(), userEntry.value())
                                + " is not accepted as user name: expected "
                                + SIP_USER + "; line " + n + " not built");
            }
            LineConfig.Builder b = LineConfig.builder(id).user(user).policy(POLICY);
            String display = value(auth.apply(DISPLAY_NAME));
            if (!display.isEmpty()) {
                b.displayName(display);
            }
            Entry authEntry = auth.apply(AUTH_NAME);
            String authName = value(authEntry);
            if (!authName.isEmpty() && !isAuthName(authName)) {
                values.bad(
                        authEntry,
                        "a name without blanks, colons, quotes or control characters (empty: the user name)");
                authName = "";
            }
            String password = value(auth.apply(PASSWORD));
            if (!authName.isEmpty() || !password.isEmpty()) {
                b.credentials(new Credentials(authName.isEmpty() ? user : authName, password));
            }

            Map<ServerRole, Map<Rank, ServerAddress>> servers = new HashMap<>();
            server(servers, ServerRole.PROXY, Rank.PRIMARY, net.apply(PROXY_IP), net.apply(PROXY_PORT));
            server(servers, ServerRole.PROXY, Rank.BACKUP, net.apply(BACKUP_PROXY_IP), net.apply(BACKUP_PROXY_PORT));
            server(servers, ServerRole.REGISTRAR, Rank.PRIMARY, net.apply(REGISTRAR_IP), net.apply(REGISTRAR_PORT));
            server(
                    servers,
                    ServerRole.REGISTRAR,
                    Rank.BACKUP,
                    net.apply(BACKUP_REGISTRAR_IP),
                    net.apply(BACKUP_REGISTRAR_PORT));
            server(
                    servers,
                    ServerRole.OUTBOUND_PROXY,
                    Rank.PRIMARY,
                    net.apply(OUTBOUND_PROXY),
                    net.apply(OUTBOUND_PROXY_PORT));
            server(
                    servers,
                    ServerRole.OUTBOUND_PROXY,
                    Rank.BACKUP,
                    net.apply(BACKUP_OUTBOUND_PROXY),
                    net.apply(BACKUP_OUTBOUND_PROXY_PORT));
            String netPrefix = netLocal ? "sip line" + n + " " : "sip ";
            if (!servers.getOrDefault(ServerRole.PROXY, Map.of()).containsKey(Rank.PRIMARY)) {
                throw failure(
                        n,
                        netPrefix + PROXY_IP,
                        "line " + n + " has no proxy ("
                                + netPrefix + PROXY_IP + " is " + (netLocal ? "not set for the line" : "not set")
                                + (netLocal ? "; a per-line network key makes the line ignore every global one" : "")
                                + "); not built");
            }
            Map<Rank, ServerAddress> outbound = servers.getOrDefault(ServerRole.OUTBOUND_PROXY, Map.of());
            if (outbound.containsKey(Rank.BACKUP) && !outbound.containsKey(Rank.PRIMARY)) {
                throw failure(
                        n,
                        netPrefix + BACKUP_OUTBOUND_PROXY,
                        netPrefix + BACKUP_OUTBOUND_PROXY + " is set but " + netPrefix + OUTBOUND_PROXY
                                + " is not; line " + n + " not built");
            }
            // a backup registrar without a primary is a line without registrar: reported just below
            if (!servers.getOrDefault(ServerRole.REGISTRAR, Map.of()).containsKey(Rank.PRIMARY)) {
                Entry e = net.apply(REGISTRAR_IP);
                String key = netPrefix + REGISTRAR_IP;
                problems.add(
                        e != null
                                ? new Problem(e.file(), e.line(), key, unregistered(n))
                                : locate(n, key, unregistered(n)));
                return null;
            }
            servers.forEach((role, pair) -> pair.forEach((rank, a) -> b.server(role, rank, a)));

            b.transport(p.transport)
                    .persistentTls(p.persistentTls)
                    .sipOutbound(p.outbound)
                    .keepAliveInterval(p.keepAlive)
                    .registrationRenewal(p.renewal)
                    .registrationRetry(p.retry)
                    .registrationTimeoutRetry(p.timeoutRetry)
                    .transactionTimeout(p.transactionTimeout)
                    .registrationPeriod(values.seconds(
                            net.apply(REGISTRATION_PERIOD),
                            0,
                            INT_MAX,
                            Duration.ZERO,
                            "0 (the registrar decides) or a number of seconds"));
            // the phone leaves port 5060 for a random one whenever a backup proxy, a backup registrar or an
            // outbound proxy is configured (A-R2x 6-43)
            boolean randomPort = servers.getOrDefault(ServerRole.PROXY, Map.of())
                            .containsKey(Rank.BACKUP)
                    || servers.getOrDefault(ServerRole.REGISTRAR, Map.of()).containsKey(Rank.BACKUP)
                    || servers.containsKey(ServerRole.OUTBOUND_PROXY);
            b.symmetricUdp(p.symmetric && !randomPort);

            Map<String, String> extra = new LinkedHashMap<>();
            Entry modeEntry = auth.apply(MODE);
            Long mode = values.number(modeEntry, 0, 3, "0 (generic), 1 (BroadSoft SCA), 2 (Nortel) or 3 (BLA)");
            Entry blaEntry = auth.apply(BLA_NUMBER);
            String blaNumber = value(blaEntry);
            if (!blaNumber.isEmpty() && !isSipUser(blaNumber)) {
                values.bad(blaEntry, SIP_USER);
                blaNumber = "";
            }
            boolean bla = mode != null && mode == 3;
            // not modelled: kept, under the line's own key like every member of the authentication set
            if (mode != null && (mode == 1 || mode == 2)) {
                extra.put(perLine(n, MODE), modeEntry.value());
            }
            if (!bla && !blaNumber.isEmpty()) {
                extra.put(perLine(n, BLA_NUMBER), blaEntry.value());
            }
            for (SubscriptionConfig s : blf.forLine(n)) {
                b.subscription(s);
            }
            if (bla) {
                if (blaNumber.isEmpty()) {
                    problems.add(new Problem(
                            modeEntry.file(),
                            modeEntry.line(),
                            modeEntry.key(),
                            "mode 3 (BLA) needs a bla number; line " + n + " keeps no BLA subscription"));
                } else {
                    b.subscription(new SubscriptionConfig(SubscriptionKind.BLA, blaNumber, p.blaPeriod));
                }
            }
            if (p.explicitMwi && (!bla || p.mwiForBla)) {
                String mailbox = bla ? blaNumber : user;
                if (!mailbox.isEmpty()) {
                    b.subscription(new SubscriptionConfig(SubscriptionKind.MWI, mailbox, p.mwiPeriod));
                }
            }
            p.srv.forEach(b::staticSrvRecord);

            extras.collect(n, authLocal, extra);
            extra.forEach(b::extra);
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                // the builder names the line and the setting, never a value
                throw failure(n, null, e.getMessage() + "; line " + n + " not built");
            }
        }

        private static String unregistered(int n) {
            return "line " + n + " has no registrar (0.0.0.0 or not set): the phone does not register it, so it "
                    + "is not published";
        }

        private void server(
                Map<ServerRole, Map<Rank, ServerAddress>> servers, ServerRole role, Rank rank, Entry ip, Entry port) {
            String host = value(ip);
            if (host.isEmpty() || host.equals("0.0.0.0")) {
                return;
            }
            Long p = values.number(port, 0, 65535, PORT);
            try {
                servers.computeIfAbsent(role, r -> new HashMap<>())
                        .put(rank, new ServerAddress(host, p == null ? 0 : p.intValue(), null));
            } catch (IllegalArgumentException e) {
                values.bad(ip, HOST);
            }
        }

        private LineFailure failure(int n, String key, String message) {
            Entry e = key == null ? null : merged.get(key);
            return new LineFailure(e != null ? new Problem(e.file(), e.line(), key, message) : locate(n, key, message));
        }

        /** A line's problem located at the line's first key, or at the last file when the line has none. */
        private Problem locate(int n, String key, String message) {
            for (Entry e : merged.values()) {
                if (lineOf(e.key()) == n) {
                    return new Problem(e.file(), e.line(), key, message);
                }
            }
            String file = files.isEmpty() ? phone : files.get(files.size() - 1).name();
            return new Problem(file, 0, key, message);
        }
    }

    /** A phone line that cannot be built. */
    private static final class LineFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Problem problem;

        LineFailure(Problem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }
    }
}
