// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The AudioCodes 400HD keys this adapter reads and writes, each with the confidence of its name as
 * {@code reference/VENDOR.md} gives it. The table in this module's README lists the same keys with their
 * meaning; keep the two in step.
 *
 * <p>Keys are compared exactly, as the phone's own parser does ({@code strcmp}): a key that differs from a
 * known one only by case is not that key (it is kept as an unknown key and reported).
 */
final class AudioCodesKeys {

    /** How sure we are of a key's name and meaning (VENDOR.md section 0). */
    enum Tag {
        /** Confirmed in a vendor manual. */
        C,
        /** Seen in public provisioning templates or scripts. */
        P,
        /** Guessed: accepted, documented as a guess. */
        G
    }

    static final String SIP = "voip/signalling/sip/";
    static final String LEGACY = SIP + "redundant/";
    static final String LINE = "voip/line/";
    static final String SRV = "voip/dns_cache_srv/";
    /** Highest line index accepted; C450HD files show up to 29, older models 0..5. */
    static final int MAX_LINE_INDEX = 99;
    /** Highest static SRV record index accepted. */
    static final int MAX_SRV_INDEX = 99;

    /** Settings shared by every line of a file (AudioCodes has no per-line proxy keys). */
    enum Setting {
        USE_PROXY(SIP + "use_proxy", Tag.P),
        PROXY_ADDRESS(SIP + "proxy_address", Tag.P),
        PROXY_PORT(SIP + "proxy_port", Tag.P),
        REGISTRAR_IS_PROXY(SIP + "use_proxy_ip_port_for_registrar", Tag.C),
        REGISTRAR_ENABLED(SIP + "sip_registrar/enabled", Tag.C),
        REGISTRAR_ADDRESS(SIP + "sip_registrar/addr", Tag.C),
        REGISTRAR_PORT(SIP + "sip_registrar/port", Tag.C),
        OUTBOUND_ENABLED(SIP + "sip_outbound_proxy/enabled", Tag.P),
        OUTBOUND_ADDRESS(SIP + "sip_outbound_proxy/addr", Tag.P),
        OUTBOUND_PORT(SIP + "sip_outbound_proxy/port", Tag.C),
        REDUNDANT_ENABLED(SIP + "redundant_proxy/enabled", Tag.G, LEGACY + "use_redundant_proxy"),
        REDUNDANT_ADDRESS(SIP + "redundant_proxy/address", Tag.G, LEGACY + "redundant_proxy_address"),
        REDUNDANT_PORT(SIP + "redundant_proxy/port", Tag.G, LEGACY + "redundant_proxy_port"),
        REDUNDANT_KEEP_ALIVE(SIP + "redundant_proxy/keep_alive_period", Tag.G, LEGACY + "redundant_proxy_ka_period"),
        REDUNDANT_SYMMETRIC(SIP + "redundant_proxy/symmetric_mode", Tag.C, LEGACY + "redundant_proxy_is_symmetric"),
        TRANSPORT(SIP + "transport_protocol", Tag.C),
        REGISTRATION_PERIOD(SIP + "proxy_timeout", Tag.C),
        REGISTRATION_RETRY(SIP + "registration_failed_timeout", Tag.C),
        REGISTRAR_KA_ENABLED(SIP + "registrar_ka/enabled", Tag.C),
        REGISTRAR_KA_PERIOD(SIP + "registrar_ka/timeout", Tag.C),
        TRANSACTION_TIMEOUT(SIP + "outgoing_request_no_response_timeout_ms", Tag.C);

        final String key;
        final Tag tag;
        /** The 2008-era firmware's name of the same setting (VENDOR.md: accept as an alias), or null. */
        final String legacyKey;

        Setting(String key, Tag tag) {
            this(key, tag, null);
        }

        Setting(String key, Tag tag, String legacyKey) {
            this.key = key;
            this.tag = tag;
            this.legacyKey = legacyKey;
        }
    }

    /** Settings of one line: {@code voip/line/<index>/<name>}. */
    enum LineSetting {
        ENABLED("enabled"),
        ID("id"),
        DESCRIPTION("description"),
        AUTH_NAME("auth_name"),
        AUTH_PASSWORD("auth_password");

        final String name;
        final Tag tag = Tag.C;

        LineSetting(String name) {
            this.name = name;
        }

        String key(int index) {
            return LINE + index + "/" + name;
        }
    }

    /** Fields of a static SRV record: {@code voip/dns_cache_srv/<index>/<name>} [P]. */
    enum SrvField {
        NAME("name"),
        PRIORITY("priority"),
        WEIGHT("weight"),
        PORT("port"),
        TARGET("target");

        final String name;
        final Tag tag = Tag.P;

        SrvField(String name) {
            this.name = name;
        }

        String key(int index) {
            return SRV + index + "/" + name;
        }
    }

    /** What a key is. */
    enum Kind {
        /** A shared {@link Setting}. */
        SETTING,
        /** A known {@link LineSetting} of line {@code index}. */
        LINE_SETTING,
        /** A key of line {@code index} that this adapter does not know: kept for that line. */
        LINE_EXTRA,
        /** A field of static SRV record {@code index}. */
        SRV_FIELD,
        /** A key this adapter does not know, outside any line: kept for every line. */
        EXTRA,
        /** A key under {@code voip/line/} or {@code voip/dns_cache_srv/} with no usable index. */
        MALFORMED
    }

    /**
     * A classified key.
     *
     * @param caseVariantOf for an unknown key equal to a known key but for case: that known key; else null
     * @param problem for {@link Kind#MALFORMED}: what is wrong and what is accepted
     */
    record Ref(
            Kind kind,
            Setting setting,
            LineSetting lineSetting,
            SrvField srvField,
            int index,
            boolean legacy,
            String caseVariantOf,
            String problem) {

        boolean isExtra() {
            return kind == Kind.EXTRA || kind == Kind.LINE_EXTRA;
        }
    }

    private static final Map<String, Setting> SETTINGS = new HashMap<>();
    private static final Map<String, LineSetting> LINE_SETTINGS = new HashMap<>();
    private static final Map<String, SrvField> SRV_FIELDS = new HashMap<>();

    static {
        for (Setting s : Setting.values()) {
            SETTINGS.put(s.key, s);
            if (s.legacyKey != null) {
                SETTINGS.put(s.legacyKey, s);
            }
        }
        for (LineSetting s : LineSetting.values()) {
            LINE_SETTINGS.put(s.name, s);
        }
        for (SrvField f : SrvField.values()) {
            SRV_FIELDS.put(f.name, f);
        }
    }

    private AudioCodesKeys() {}

    /** Classifies a trimmed key; never throws. */
    static Ref classify(String key) {
        Ref exact = exactly(key);
        if (exact.isExtra()) {
            Ref lower = exactly(key.toLowerCase(Locale.ROOT));
            if (!lower.isExtra() && lower.kind != Kind.MALFORMED) {
                return new Ref(exact.kind, null, null, null, exact.index, false, canonical(lower), null);
            }
        }
        return exact;
    }

    private static Ref exactly(String key) {
        Setting s = SETTINGS.get(key);
        if (s != null) {
            return new Ref(Kind.SETTING, s, null, null, -1, !key.equals(s.key), null, null);
        }
        if (key.startsWith(LINE)) {
            String rest = key.substring(LINE.length());
            int slash = rest.indexOf('/');
            int index = slash < 0 ? -1 : index(rest.substring(0, slash), MAX_LINE_INDEX);
            if (index < 0 || slash == rest.length() - 1) {
                return malformed("expected " + LINE + "<index 0.." + MAX_LINE_INDEX + ">/<setting>, the index "
                        + "written without leading zeros");
            }
            LineSetting ls = LINE_SETTINGS.get(rest.substring(slash + 1));
            return ls != null
                    ? new Ref(Kind.LINE_SETTING, null, ls, null, index, false, null, null)
                    : new Ref(Kind.LINE_EXTRA, null, null, null, index, false, null, null);
        }
        if (key.startsWith(SRV)) {
            String rest = key.substring(SRV.length());
            int slash = rest.indexOf('/');
            int index = slash < 0 ? -1 : index(rest.substring(0, slash), MAX_SRV_INDEX);
            if (index < 0) {
                return malformed("expected " + SRV + "<index 0.." + MAX_SRV_INDEX + ">/<name|priority|weight|port|"
                        + "target>, the index written without leading zeros");
            }
            SrvField f = SRV_FIELDS.get(rest.substring(slash + 1));
            return f != null
                    ? new Ref(Kind.SRV_FIELD, null, null, f, index, false, null, null)
                    : new Ref(Kind.EXTRA, null, null, null, -1, false, null, null);
        }
        return new Ref(Kind.EXTRA, null, null, null, -1, false, null, null);
    }

    private static Ref malformed(String problem) {
        return new Ref(Kind.MALFORMED, null, null, null, -1, false, null, problem);
    }

    private static String canonical(Ref r) {
        return switch (r.kind) {
            case SETTING -> r.legacy ? r.setting.legacyKey : r.setting.key;
            case LINE_SETTING -> r.lineSetting.key(r.index);
            case SRV_FIELD -> r.srvField.key(r.index);
            default -> null;
        };
    }

    /** A decimal index without sign or leading zeros, 0..max; -1 otherwise. */
    private static int index(String s, int max) {
        if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }
}
