// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.sipfailover.config.aastra.internal.AastraKeys.*;
import static org.sipfailover.config.aastra.internal.AastraReader.*;
import static org.sipfailover.config.common.ValueParser.value;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.StaticSrvRecord;
import org.sipfailover.api.net.Transport;
import org.sipfailover.config.common.Problem;
import org.sipfailover.config.common.ValueParser;

/**
 * The settings of an Aastra/Mitel phone that only exist globally (VENDOR.md 1.2, 1.3), read from a phone's merged
 * keys: transport, timers, subscriptions' periods, static SRV records. Bad values are reported and the firmware
 * default applies.
 */
final class AastraPhone {

    private static final String BOOL = "0 or 1";
    private static final long INT_MAX = Integer.MAX_VALUE;

    Transport transport = Transport.UDP;
    boolean persistentTls;
    Duration keepAlive = LineConfig.DEFAULT_KEEP_ALIVE;
    boolean outbound;
    boolean symmetric = true;
    Duration renewal = Duration.ofSeconds(DEFAULT_RENEWAL);
    Duration retry = Duration.ofSeconds(DEFAULT_RETRY);
    Duration timeoutRetry = Duration.ofSeconds(DEFAULT_TIMEOUT_RETRY);
    Duration transactionTimeout = Duration.ofMillis(DEFAULT_TRANSACTION_TIMER);
    boolean explicitMwi;
    boolean mwiForBla;
    Duration mwiPeriod = Duration.ofSeconds(DEFAULT_MWI_PERIOD);
    Duration blfPeriod = Duration.ofSeconds(DEFAULT_BLF_PERIOD);
    Duration blaPeriod = Duration.ofSeconds(DEFAULT_BLA_PERIOD);
    final List<StaticSrvRecord> srv = new ArrayList<>();

    private AastraPhone() {}

    static AastraPhone read(Map<String, Entry> merged, ValueParser values, List<Problem> problems) {
        AastraPhone p = new AastraPhone();
        Long t = values.number(merged.get(TRANSPORT), 0, 4, "0 (UDP and TCP), 1 (UDP), 2 (TCP) or 4 (TLS)");
        if (t != null) {
            switch (t.intValue()) {
                case 0 -> p.transport = null; // "UDP and TCP": the line model's "any", DNS decides
                case 1 -> p.transport = Transport.UDP;
                case 2 -> p.transport = Transport.TCP;
                case 4 -> p.transport = Transport.TLS;
                default -> values.bad(merged.get(TRANSPORT), "0 (UDP and TCP), 1 (UDP), 2 (TCP) or 4 (TLS)");
            }
        }
        // persistent TLS is transport 4 with "sips persistent tls: 1"; with another transport it means nothing
        p.persistentTls = bool(values, merged.get(PERSISTENT_TLS), false) && p.transport == Transport.TLS;
        Long ka = values.number(merged.get(PERSISTENT_TLS_KEEP_ALIVE), 0, INT_MAX, "0 (off) or a number of seconds");
        if (ka != null && ka > 0) {
            p.keepAlive = Duration.ofSeconds(ka);
        }
        p.outbound = bool(values, merged.get(OUTBOUND_SUPPORT), false);
        p.symmetric = bool(values, merged.get(SYMMETRIC_UDP), true);
        p.renewal = values.seconds(merged.get(RENEWAL_TIMER), 0, INT_MAX, p.renewal, "0..2147483647 seconds");
        p.retry = values.seconds(merged.get(RETRY_TIMER), 30, 1800, p.retry, "30..1800 seconds");
        Long tr = values.number(merged.get(TIMEOUT_RETRY_TIMER), 0, INT_MAX, "a number of seconds, 30 or more");
        if (tr != null) {
            // "a value below 30 is treated as 30" (A-R331 A-84)
            p.timeoutRetry = Duration.ofSeconds(Math.max(MIN_TIMEOUT_RETRY, tr));
        }
        p.transactionTimeout = values.millis(
                merged.get(TRANSACTION_TIMER),
                MIN_TRANSACTION_TIMER,
                MAX_TRANSACTION_TIMER,
                p.transactionTimeout,
                "4000..64000 milliseconds");
        p.explicitMwi = bool(values, merged.get(EXPLICIT_MWI), false);
        p.mwiForBla = bool(values, merged.get(MWI_FOR_BLA), false);
        p.mwiPeriod = values.seconds(merged.get(EXPLICIT_MWI_PERIOD), 1, INT_MAX, p.mwiPeriod, "1 or more seconds");
        p.blfPeriod =
                values.seconds(merged.get(BLF_PERIOD), MIN_BLF_PERIOD, INT_MAX, p.blfPeriod, "120 or more seconds");
        Long bla = values.number(merged.get(BLA_PERIOD), 0, INT_MAX, "0 (the server's value) or a number of seconds");
        if (bla != null && bla > 0) {
            p.blaPeriod = Duration.ofSeconds(bla);
        }
        staticSrv(merged, values, problems, p);
        return p;
    }

    /** {@code sip dns srvX name|priority|weight|port|target}, X = 1..4 documented (M-6800 6-36). */
    private static void staticSrv(
            Map<String, Entry> merged, ValueParser values, List<Problem> problems, AastraPhone p) {
        Map<Integer, Map<String, Entry>> groups = new TreeMap<>();
        for (Entry e : merged.values()) {
            Matcher m = STATIC_SRV.matcher(e.key());
            if (m.matches()) {
                groups.computeIfAbsent(Integer.parseInt(m.group(1)), x -> new HashMap<>())
                        .put(m.group(2), e);
            }
        }
        for (Map.Entry<Integer, Map<String, Entry>> g : groups.entrySet()) {
            Map<String, Entry> f = g.getValue();
            Entry first = f.values().stream().min((a, b) -> a.line() - b.line()).orElseThrow();
            String name = value(f.get("name"));
            String target = value(f.get("target"));
            Long port = values.number(f.get("port"), 1, 65535, "1..65535");
            Long priority = values.number(f.get("priority"), 0, 65535, "0..65535");
            Long weight = values.number(f.get("weight"), 0, 65535, "0..65535");
            if (name.isEmpty() && target.isEmpty() && port == null) {
                continue; // an emptied record
            }
            if (name.isEmpty() || target.isEmpty() || port == null) {
                problems.add(new Problem(
                        first.file(),
                        first.line(),
                        "sip dns srv" + g.getKey(),
                        "static SRV record " + g.getKey() + " ignored: it needs a name, a target and a port"));
                continue;
            }
            p.srv.add(new StaticSrvRecord(
                    name,
                    priority == null ? 0 : priority.intValue(),
                    weight == null ? 0 : weight.intValue(),
                    port.intValue(),
                    target));
        }
    }

    private static boolean bool(ValueParser values, Entry e, boolean otherwise) {
        Long v = values.number(e, 0, 1, BOOL);
        return v == null ? otherwise : v == 1;
    }
}
