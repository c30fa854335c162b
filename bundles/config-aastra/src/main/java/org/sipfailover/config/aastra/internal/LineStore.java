package org.sipfailover.config.aastra.internal;

import java.io.IOException;
import java.util.Map;

/** Where the lines go: ConfigAdmin in OSGi, a map in tests. One factory configuration of lines per name. */
interface LineStore {

    /** The configurations this adapter wrote for a folder, by name, with their properties. */
    Map<String, Map<String, Object>> list(String folder) throws IOException;

    /** Creates or replaces the configuration of this name. */
    void put(String name, Map<String, Object> properties) throws IOException;

    /** Deletes the configuration of this name, if there is one. */
    void delete(String name) throws IOException;
}
