// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.io.IOException;
import java.util.List;

/** A SIP client under test, run as a process of its own: sip-failover's launcher, baresip or linphonec. */
interface Client extends AutoCloseable {

    /** For the tables: {@code sip-failover}, {@code baresip}, {@code linphonec}. */
    String name();

    /** How it was configured, one phrase for the tables. */
    String setup();

    /** The user parts of its lines, in a fixed order: the line index everywhere else. */
    List<String> users();

    void start(Registrars servers, java.nio.file.Path work) throws IOException;

    /** Its process id, for CPU and memory; -1 when not running. */
    long pid();

    /**
     * The times (epoch milliseconds) of the placement changes the client reported for line {@code index} at
     * or after {@code sinceMillis}; empty when the client reports none (only sip-failover does).
     */
    default List<Long> transitions(int index, long sinceMillis) {
        return List.of();
    }

    /** Whether {@link #transitions} means anything for this client. */
    default boolean reportsTransitions() {
        return false;
    }

    /** Stops it the way an operator would (SIGTERM), waiting for it to unregister; then by force. */
    @Override
    void close();
}
