// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Aastra/Mitel keys this adapter understands (VENDOR.md 1.2, 1.3), in their global form, and the two
 * per-line sets of the set-wise override rule (VENDOR.md 1.1: A-R14 p4-39, A-R331 p4-57).
 */
final class AastraKeys {

    private AastraKeys() {}

    // ---- per-line network set: global "sip <member>", per line "sip lineN <member>" ----
    static final String PROXY_IP = "proxy ip";
    static final String PROXY_PORT = "proxy port";
    static final String BACKUP_PROXY_IP = "backup proxy ip";
    static final String BACKUP_PROXY_PORT = "backup proxy port";
    static final String OUTBOUND_PROXY = "outbound proxy";
    static final String OUTBOUND_PROXY_PORT = "outbound proxy port";
    static final String BACKUP_OUTBOUND_PROXY = "backup outbound proxy";
    static final String BACKUP_OUTBOUND_PROXY_PORT = "backup outbound proxy port";
    static final String REGISTRAR_IP = "registrar ip";
    static final String REGISTRAR_PORT = "registrar port";
    static final String BACKUP_REGISTRAR_IP = "backup registrar ip";
    static final String BACKUP_REGISTRAR_PORT = "backup registrar port";
    static final String REGISTRATION_PERIOD = "registration period";

    /** The members of the network set, without the {@code sip } / {@code sip lineN } prefix. */
    static final List<String> NETWORK_SET = List.of(
            PROXY_IP,
            PROXY_PORT,
            BACKUP_PROXY_IP,
            BACKUP_PROXY_PORT,
            OUTBOUND_PROXY,
            OUTBOUND_PROXY_PORT,
            BACKUP_OUTBOUND_PROXY,
            BACKUP_OUTBOUND_PROXY_PORT,
            REGISTRAR_IP,
            REGISTRAR_PORT,
            BACKUP_REGISTRAR_IP,
            BACKUP_REGISTRAR_PORT,
            REGISTRATION_PERIOD);

    // ---- per-line authentication set ("Basic SIP Authentication Settings", A-R331 3-36) ----
    static final String SCREEN_NAME = "screen name";
    static final String SCREEN_NAME_2 = "screen name 2";
    static final String USER_NAME = "user name";
    static final String DISPLAY_NAME = "display name";
    static final String AUTH_NAME = "auth name";
    static final String PASSWORD = "password";
    static final String BLA_NUMBER = "bla number";
    static final String MODE = "mode";

    static final List<String> AUTH_SET =
            List.of(SCREEN_NAME, SCREEN_NAME_2, USER_NAME, DISPLAY_NAME, AUTH_NAME, PASSWORD, BLA_NUMBER, MODE);

    /** Auth-set members with a field in the line model; the others (screen names) are kept as extra. */
    static final Set<String> AUTH_MODELLED = Set.of(USER_NAME, DISPLAY_NAME, AUTH_NAME, PASSWORD, BLA_NUMBER, MODE);

    // ---- global only ----
    static final String TRANSPORT = "sip transport protocol";
    static final String PERSISTENT_TLS = "sips persistent tls";
    static final String PERSISTENT_TLS_KEEP_ALIVE = "sip persistent tls keep alive";
    static final String OUTBOUND_SUPPORT = "sip outbound support";
    static final String SYMMETRIC_UDP = "sip symmetric udp signaling";
    static final String RENEWAL_TIMER = "sip registration renewal timer";
    static final String RETRY_TIMER = "sip registration retry timer";
    static final String TIMEOUT_RETRY_TIMER = "sip registration timeout retry timer";
    /** Milliseconds the phone waits for a response before declaring a time-out (A-R322 4-87). */
    static final String TRANSACTION_TIMER = "sip transaction timer";

    static final String EXPLICIT_MWI = "sip explicit mwi subscription";
    static final String EXPLICIT_MWI_PERIOD = "sip explicit mwi subscription period";
    static final String MWI_FOR_BLA = "sip mwi for bla account";
    static final String BLF_PERIOD = "sip blf subscription period";
    /** [G]: the web UI's "BLA Subscription Period"; the key name was never read in a guide. */
    static final String BLA_PERIOD = "sip bla subscription period";

    static final Set<String> GLOBAL_ONLY = Set.of(
            TRANSPORT,
            PERSISTENT_TLS,
            PERSISTENT_TLS_KEEP_ALIVE,
            OUTBOUND_SUPPORT,
            SYMMETRIC_UDP,
            RENEWAL_TIMER,
            RETRY_TIMER,
            TIMEOUT_RETRY_TIMER,
            TRANSACTION_TIMER,
            EXPLICIT_MWI,
            EXPLICIT_MWI_PERIOD,
            MWI_FOR_BLA,
            BLF_PERIOD,
            BLA_PERIOD);

    /** Lines 1..9 are documented (A-R331 A-77); larger numbers are accepted up to this (newer models). */
    static final int MAX_LINE = 99;

    /** {@code sip lineN <rest>}: N without leading zeros. */
    static final Pattern PER_LINE = Pattern.compile("sip line([1-9][0-9]*) (.+)");

    /** Anything shaped like a per-line key, whatever its number. */
    static final Pattern ANY_LINE = Pattern.compile("sip line([0-9]+) .+");

    /** {@code sip dns srvX <field>} (M-6800 6-36). */
    static final Pattern STATIC_SRV = Pattern.compile("sip dns srv([1-9][0-9]?) (name|priority|weight|port|target)");

    /** Programmable keys: {@code softkeyN}, {@code topsoftkeyN}, {@code prgkeyN}, {@code expmodM keyN}. */
    static final Pattern KEY_ATTRIBUTE = Pattern.compile(
            "(softkey|topsoftkey|prgkey|expmod[1-9] key)([1-9][0-9]{0,2}) (type|value|line|label|states|locked)");

    /** The key families in the order their BLF subscriptions are listed. */
    static final List<String> KEY_FAMILIES = List.of(
            "topsoftkey",
            "softkey",
            "prgkey",
            "expmod1 key",
            "expmod2 key",
            "expmod3 key",
            "expmod4 key",
            "expmod5 key",
            "expmod6 key",
            "expmod7 key",
            "expmod8 key",
            "expmod9 key");

    /** The global key of a set member: {@code sip proxy ip}. */
    static String global(String member) {
        return "sip " + member;
    }

    /** The per-line key of a set member: {@code sip line2 proxy ip}. */
    static String perLine(int line, String member) {
        return "sip line" + line + " " + member;
    }

    /** The line number of a {@code sip lineN ...} key, or 0. */
    static int lineOf(String key) {
        Matcher m = PER_LINE.matcher(key);
        if (!m.matches() || m.group(1).length() > 2) {
            return 0;
        }
        int n = Integer.parseInt(m.group(1));
        return n <= MAX_LINE ? n : 0;
    }
}
