// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.StaticSrvRecord;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;

/**
 * Random phones whose lines Aastra files can express: what {@link AastraReader} could have produced, with the
 * phone-wide settings shared by every line, and random text for the parser.
 */
final class Generators {

    private Generators() {}

    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String TEXT = ALNUM + "  #|*+.-/_,;=@éü\"";
    private static final String[] PHONE_EXTRA = {
        "dns1",
        "time server1",
        "sip dial plan",
        "xml application uri",
        "sip vmail",
        "softkey2 label",
        "sip session timer"
    };
    private static final String[] LINE_EXTRA = {"vmail", "call waiting", "screen name", "screen name 2", "dtmf method"};

    static int between(Random r, int min, int max) {
        return min + r.nextInt(max - min + 1);
    }

    static String alnum(Random r, int min, int max) {
        StringBuilder b = new StringBuilder();
        int n = between(r, min, max);
        for (int i = 0; i < n; i++) {
            b.append(ALNUM.charAt(r.nextInt(ALNUM.length())));
        }
        return b.toString();
    }

    /** Text that Aastra files can hold: no line break, and never both a quote and a '#'. */
    static String text(Random r, int min, int max) {
        StringBuilder b = new StringBuilder();
        int n = between(r, min, max);
        for (int i = 0; i < n; i++) {
            b.append(TEXT.charAt(r.nextInt(TEXT.length())));
        }
        String s = b.toString();
        return s.indexOf('#') >= 0 ? s.replace("\"", "") : s;
    }

    static String host(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> between(r, 1, 223) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + between(r, 1, 254);
            case 1 -> "2001:db8::" + Integer.toHexString(between(r, 1, 0xffff));
            default -> alnum(r, 1, 8).toLowerCase() + "." + (r.nextBoolean() ? "example.com" : "pbx.example.net");
        };
    }

    static ServerAddress server(Random r) {
        return ServerAddress.of(host(r), r.nextInt(3) == 0 ? 0 : between(r, 1, 65535));
    }

    static Duration seconds(Random r, int min, int max) {
        return Duration.ofSeconds(between(r, min, max));
    }

    static String hex12(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            b.append(Character.forDigit(r.nextInt(16), 16));
        }
        return b.toString();
    }

    /** One phone: 1..4 lines sharing the phone-wide settings. */
    static List<LineConfig> phone(Random r) {
        String phone = hex12(r);
        Transport[] transports = {null, Transport.UDP, Transport.TCP, Transport.TLS};
        Transport transport = transports[r.nextInt(4)];
        boolean persistent = transport == Transport.TLS && r.nextBoolean();
        boolean outbound = r.nextBoolean();
        boolean symmetric = r.nextBoolean();
        Duration keepAlive = r.nextInt(3) == 0 ? LineConfig.DEFAULT_KEEP_ALIVE : seconds(r, 1, 3600);
        Duration renewal = seconds(r, 0, 100000);
        Duration retry = seconds(r, 30, 1800);
        Duration timeoutRetry = seconds(r, 30, 100000);
        Duration transactionTimeout = Duration.ofMillis(between(r, 4000, 64000));
        boolean mwi = r.nextBoolean();
        boolean mwiForBla = r.nextBoolean();
        Duration mwiPeriod = seconds(r, 1, 100000);
        Duration blfPeriod = seconds(r, 120, 100000);
        Duration blaPeriod = seconds(r, 1, 100000);
        List<StaticSrvRecord> srv = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            srv.add(new StaticSrvRecord(
                    "_sip._udp." + alnum(r, 1, 6).toLowerCase() + ".example.com",
                    r.nextInt(65536),
                    r.nextInt(65536),
                    between(r, 1, 65535),
                    host(r)));
        }
        Map<String, String> phoneExtra = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            phoneExtra.put(PHONE_EXTRA[r.nextInt(PHONE_EXTRA.length)], text(r, 0, 20));
        }
        TreeSet<Integer> numbers = new TreeSet<>();
        for (int i = between(r, 1, 4); i > 0; i--) {
            numbers.add(between(r, 1, 12));
        }
        List<LineConfig> lines = new ArrayList<>();
        for (int n : numbers) {
            String user = alnum(r, 1, 10);
            LineConfig.Builder b = LineConfig.builder(AastraReader.lineId(phone, n))
                    .policy("aastra")
                    .user(user)
                    .transport(transport)
                    .persistentTls(persistent)
                    .sipOutbound(outbound)
                    .keepAliveInterval(keepAlive)
                    .registrationRenewal(renewal)
                    .registrationRetry(retry)
                    .registrationTimeoutRetry(timeoutRetry)
                    .transactionTimeout(transactionTimeout)
                    .registrationPeriod(seconds(r, 0, 100000));
            if (r.nextBoolean()) {
                b.displayName(text(r, 1, 20));
            }
            if (r.nextBoolean()) {
                b.credentials(new Credentials(alnum(r, 1, 10), text(r, 0, 16)));
            }
            b.server(ServerRole.PROXY, Rank.PRIMARY, server(r));
            b.server(ServerRole.REGISTRAR, Rank.PRIMARY, server(r));
            boolean randomPort = false;
            if (r.nextBoolean()) {
                b.server(ServerRole.PROXY, Rank.BACKUP, server(r));
                randomPort = true;
            }
            if (r.nextBoolean()) {
                b.server(ServerRole.REGISTRAR, Rank.BACKUP, server(r));
                randomPort = true;
            }
            if (r.nextBoolean()) {
                b.server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, server(r));
                randomPort = true;
                if (r.nextBoolean()) {
                    b.server(ServerRole.OUTBOUND_PROXY, Rank.BACKUP, server(r));
                }
            }
            b.symmetricUdp(symmetric && !randomPort);
            for (int i = r.nextInt(3); i > 0; i--) {
                b.subscription(new SubscriptionConfig(SubscriptionKind.BLF, alnum(r, 1, 6), blfPeriod));
            }
            String bla = r.nextInt(4) == 0 ? alnum(r, 1, 6) : null;
            if (bla != null) {
                b.subscription(new SubscriptionConfig(SubscriptionKind.BLA, bla, blaPeriod));
            }
            if (mwi && (bla == null || mwiForBla)) {
                b.subscription(new SubscriptionConfig(SubscriptionKind.MWI, bla != null ? bla : user, mwiPeriod));
            }
            srv.forEach(b::staticSrvRecord);
            phoneExtra.forEach(b::extra);
            for (int i = r.nextInt(3); i > 0; i--) {
                b.extra(AastraKeys.perLine(n, LINE_EXTRA[r.nextInt(LINE_EXTRA.length)]), text(r, 0, 20));
            }
            lines.add(b.build());
        }
        return lines;
    }

    /** A phone with one change that Aastra files may or may not be able to say. */
    static List<LineConfig> perturbed(Random r) {
        List<LineConfig> lines = new ArrayList<>(phone(r));
        int i = r.nextInt(lines.size());
        LineConfig c = lines.get(i);
        LineConfig.Builder b = c.toBuilder();
        switch (r.nextInt(17)) {
            case 0 -> b.policy("audiocodes-" + alnum(r, 1, 5));
            case 1 -> b.keepAliveInterval(Duration.ofMillis(between(r, 1, 100000)));
            case 2 -> b.pongTimeout(seconds(r, 1, 100));
            case 3 ->
                b.failback(
                        org.sipfailover.api.config.FailbackMode.values()[r.nextInt(6)],
                        seconds(r, 0, 99),
                        seconds(r, 1, 9999),
                        r.nextBoolean());
            case 4 ->
                b.server(ServerRole.REGISTRAR, Rank.PRIMARY, null).server(ServerRole.REGISTRAR, Rank.BACKUP, null);
            case 5 -> b.server(ServerRole.PROXY, Rank.PRIMARY, server(r).withTransport(Transport.TCP));
            case 6 -> b.displayName(r.nextBoolean() ? "" : "a\nb");
            case 7 -> b.credentials(new Credentials(r.nextBoolean() ? "" : alnum(r, 1, 4), "pw\"#" + alnum(r, 1, 5)));
            case 8 -> b.extra(r.nextBoolean() ? "sip proxy ip" : "sip line" + between(r, 1, 99) + " foo", "x");
            case 9 -> b.extra(text(r, 0, 12), text(r, 0, 12));
            case 10 -> b.transport(Transport.values()[r.nextInt(3)]);
            case 11 -> b.symmetricUdp(!c.symmetricUdp());
            case 12 ->
                b.subscription(new SubscriptionConfig(
                        SubscriptionKind.values()[r.nextInt(3)], alnum(r, 1, 4), seconds(r, 1, 100000)));
            case 13 -> b.registrationRetry(seconds(r, 1, 5000));
            case 14 -> b.user(text(r, 1, 10).strip().isEmpty() ? "x" : text(r, 1, 10));
            case 15 ->
                b.transactionTimeout(
                        r.nextInt(4) == 0
                                ? null
                                : Duration.ofNanos(
                                        between(r, 1000, 100000) * 1_000_000L + (r.nextBoolean() ? 0 : 500_000)));
            default -> b.registrationPeriod(Duration.ofMillis(between(r, 0, 100000)));
        }
        try {
            lines.set(i, b.build());
        } catch (IllegalArgumentException e) {
            // not even a valid line: keep the expressible one
        }
        if (r.nextInt(8) == 0) {
            lines.set(
                    i,
                    LineConfig.builder("line-" + alnum(r, 1, 4))
                            .user("u")
                            .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 0))
                            .build());
        }
        return lines;
    }

    private static final String[] KEYS = {
        "sip proxy ip",
        "sip proxy port",
        "sip backup proxy ip",
        "sip backup proxy port",
        "sip registrar ip",
        "sip registrar port",
        "sip backup registrar ip",
        "sip backup registrar port",
        "sip outbound proxy",
        "sip outbound proxy port",
        "sip backup outbound proxy",
        "sip backup outbound proxy port",
        "sip registration period",
        "sip user name",
        "sip auth name",
        "sip password",
        "sip display name",
        "sip screen name",
        "sip mode",
        "sip bla number",
        "sip transport protocol",
        "sips persistent tls",
        "sip persistent tls keep alive",
        "sip outbound support",
        "sip symmetric udp signaling",
        "sip registration renewal timer",
        "sip registration retry timer",
        "sip registration timeout retry timer",
        "sip transaction timer",
        "sip explicit mwi subscription",
        "sip explicit mwi subscription period",
        "sip mwi for bla account",
        "sip blf subscription period",
        "sip bla subscription period",
        "sip dns srv1 name",
        "sip dns srv1 port",
        "sip dns srv2 target",
        "sip dns srv1 target",
        "sip dns srv2 priority",
        "softkey1 type",
        "softkey1 value",
        "softkey1 line",
        "topsoftkey7 type",
        "prgkey2 value",
        "expmod1 key3 type",
        "dns1",
        "unknown thing"
    };

    private static final String[] VALUES = {
        "0",
        "1",
        "2",
        "3",
        "4",
        "4000",
        "5060",
        "64000",
        "65535",
        "65536",
        "-1",
        "99999999999999999999999",
        "0.0.0.0",
        "192.0.2.1",
        "pbx.example.com",
        "::1",
        "blf",
        "blfxfer",
        "\"x#y\"",
        "\"",
        "\"\"",
        "#",
        "a b",
        "",
        " ",
        "1e3",
        "٣",
        "ＡＢ",
        "\u0000",
        "\t9"
    };

    /** A file built from the pieces Aastra files are made of, most of them wrong somewhere. */
    static String fragments(Random r) {
        StringBuilder b = new StringBuilder();
        String[] ends = {"\n", "\r\n", "\r", "\n\n"};
        String[] prefixes = {"", "", "", "!", "^", "!^", "  ", "#", "\uFEFF", "::"};
        String[] seps = {": ", ":", "", "::", " : ", ":\"", "#:"};
        for (int i = r.nextInt(60); i > 0; i--) {
            String key = KEYS[r.nextInt(KEYS.length)];
            if (key.startsWith("sip ") && r.nextInt(3) == 0) {
                int n = r.nextInt(12) == 0 ? between(r, 0, 1000) : between(r, 1, 9);
                key = "sip line" + n + key.substring(3);
            }
            if (r.nextInt(10) == 0) {
                key = key.toUpperCase();
            }
            String value = r.nextInt(4) == 0 ? text(r, 0, 30) : VALUES[r.nextInt(VALUES.length)];
            b.append(prefixes[r.nextInt(prefixes.length)])
                    .append(key)
                    .append(seps[r.nextInt(seps.length)])
                    .append(value);
            if (r.nextInt(5) == 0) {
                b.append(" # ").append(text(r, 0, 10));
            }
            b.append(ends[r.nextInt(ends.length)]);
        }
        return b.toString();
    }
}
