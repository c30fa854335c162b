package org.sipfailover.config.audiocodes.internal;

import java.io.IOException;
import java.util.Map;

/**
 * Where line configurations are published: ConfigAdmin in a framework ({@link ConfigAdminLineStore}), a
 * map in tests. Names are factory configuration names of {@link org.sipfailover.api.config.LineConfig#FACTORY_PID}.
 */
interface LineStore {

    /**
     * Every line configuration there is, by name, with its properties (without the framework's
     * {@code service.pid}, {@code service.factoryPid} and {@code service.bundleLocation}).
     */
    Map<String, Map<String, Object>> lines() throws IOException;

    /** Creates or replaces the configuration of that name. */
    void put(String name, Map<String, Object> properties) throws IOException;

    /** Deletes the configuration of that name, if there is one. */
    void delete(String name) throws IOException;
}
