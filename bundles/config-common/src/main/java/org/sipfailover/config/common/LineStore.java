// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.common;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where line configurations are published: ConfigAdmin in a framework ({@code ConfigAdminLineStore}), a map in
 * tests. Names are factory configuration names of {@link org.sipfailover.api.config.LineConfig#FACTORY_PID}.
 */
public interface LineStore {

    /**
     * Every line configuration there is, by name, with its properties (ConfigAdmin's own {@code service.pid},
     * {@code service.factoryPid} and {@code service.bundleLocation} may be among them).
     */
    Map<String, Map<String, Object>> lines() throws IOException;

    /** The line configurations whose property {@code key} is {@code value}, by name. */
    default Map<String, Map<String, Object>> lines(String key, String value) throws IOException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        lines().forEach((name, p) -> {
            Object v = p.get(key);
            if (v != null && Objects.equals(v.toString(), value)) {
                out.put(name, p);
            }
        });
        return out;
    }

    /** Creates or replaces the configuration of that name. */
    void put(String name, Map<String, Object> properties) throws IOException;

    /** Deletes the configuration of that name, if there is one. */
    void delete(String name) throws IOException;
}
