// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.sipfailover.api.config.LineConfig;

/**
 * The settings of a {@link LineConfig} by name, the id aside: one table for every piece of code that compares two
 * configurations setting by setting and says where they differ. Names only ever reach messages, never values.
 */
public final class LineConfigFields {

    /** Setting name to getter, in the order of {@link LineConfig}'s accessors. */
    public static final Map<String, Function<LineConfig, Object>> FIELDS;

    static {
        Map<String, Function<LineConfig, Object>> f = new LinkedHashMap<>();
        f.put("user", LineConfig::user);
        f.put("displayName", LineConfig::displayName);
        f.put("credentials", LineConfig::credentials);
        f.put("servers", LineConfig::servers);
        f.put("transport", LineConfig::transport);
        f.put("sipOutbound", LineConfig::sipOutbound);
        f.put("persistentTls", LineConfig::persistentTls);
        f.put("symmetricUdp", LineConfig::symmetricUdp);
        f.put("keepAliveInterval", LineConfig::keepAliveInterval);
        f.put("pongTimeout", LineConfig::pongTimeout);
        f.put("transactionTimeout", LineConfig::transactionTimeout);
        f.put("registrationPeriod", LineConfig::registrationPeriod);
        f.put("registrationRenewal", LineConfig::registrationRenewal);
        f.put("registrationRetry", LineConfig::registrationRetry);
        f.put("registrationTimeoutRetry", LineConfig::registrationTimeoutRetry);
        f.put("recoveryBaseAllFailed", LineConfig::recoveryBaseAllFailed);
        f.put("recoveryBaseSomeOk", LineConfig::recoveryBaseSomeOk);
        f.put("recoveryMax", LineConfig::recoveryMax);
        f.put("probeInterval", LineConfig::probeInterval);
        f.put("policy", LineConfig::policy);
        f.put("failbackMode", LineConfig::failbackMode);
        f.put("failbackHoldOff", LineConfig::failbackHoldOff);
        f.put("failbackTimeout", LineConfig::failbackTimeout);
        f.put("failbackWhenIdle", LineConfig::failbackWhenIdle);
        f.put("subscriptions", LineConfig::subscriptions);
        f.put("staticSrvRecords", LineConfig::staticSrvRecords);
        f.put("extra", LineConfig::extra);
        FIELDS = Collections.unmodifiableMap(f);
    }

    private LineConfigFields() {}

    /** The names of the settings in which two configurations differ, the id aside, in table order. */
    public static List<String> differences(LineConfig a, LineConfig b) {
        List<String> out = new ArrayList<>();
        FIELDS.forEach((name, get) -> {
            if (!Objects.equals(get.apply(a), get.apply(b))) {
                out.add(name);
            }
        });
        return out;
    }
}
