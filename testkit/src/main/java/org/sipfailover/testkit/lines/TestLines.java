// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.lines;

import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;

/**
 * The shapes of line the tests and benchmarks of several modules build: a primary and a backup proxy, with or
 * without registrars of their own and outbound proxies, for user {@value #USER}. Transport, SIP outbound, policy
 * and timers stay with each caller: they are what the callers differ in.
 */
public final class TestLines {

    /** The user every shape registers. */
    public static final String USER = "1001";
    /** Where the primary server of a test on loopback listens (the backup on {@link #BACKUP_HOST}). */
    public static final String PRIMARY_HOST = "127.0.0.1";
    /** Where the backup server of a test on loopback listens: another address, so that each can fail alone. */
    public static final String BACKUP_HOST = "127.0.0.2";

    private TestLines() {}

    /** The loopback address of a server of a rank, on a port. */
    public static ServerAddress loopback(Rank rank, int port) {
        return new ServerAddress(rank == Rank.PRIMARY ? PRIMARY_HOST : BACKUP_HOST, port, null);
    }

    /** A primary and a backup proxy and nothing else: each proxy is its own registrar. */
    public static LineConfig.Builder proxies(String id, ServerAddress primary, ServerAddress backup) {
        return LineConfig.builder(id)
                .user(USER)
                .server(ServerRole.PROXY, Rank.PRIMARY, primary)
                .server(ServerRole.PROXY, Rank.BACKUP, backup);
    }

    /** {@link #proxies(String, ServerAddress, ServerAddress)} from addresses as the configuration writes them. */
    public static LineConfig.Builder proxies(String id, String primary, String backup) {
        return proxies(id, ServerAddress.parse(primary), ServerAddress.parse(backup));
    }

    /** A primary and a backup server, each proxy and registrar (one Kamailio each). */
    public static LineConfig.Builder proxiesAndRegistrars(String id, ServerAddress primary, ServerAddress backup) {
        return proxiesAndRegistrars(id, primary, backup, primary, backup);
    }

    /** {@link #proxiesAndRegistrars(String, ServerAddress, ServerAddress)} from addresses as written. */
    public static LineConfig.Builder proxiesAndRegistrars(String id, String primary, String backup) {
        return proxiesAndRegistrars(id, ServerAddress.parse(primary), ServerAddress.parse(backup));
    }

    /** Primary and backup proxy and primary and backup registrar, each given its own address. */
    public static LineConfig.Builder proxiesAndRegistrars(
            String id,
            ServerAddress primaryProxy,
            ServerAddress backupProxy,
            ServerAddress primaryRegistrar,
            ServerAddress backupRegistrar) {
        return proxies(id, primaryProxy, backupProxy)
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, primaryRegistrar)
                .server(ServerRole.REGISTRAR, Rank.BACKUP, backupRegistrar);
    }

    /** Adds a primary and a backup outbound proxy to a line. */
    public static LineConfig.Builder withOutboundProxies(
            LineConfig.Builder line, ServerAddress primary, ServerAddress backup) {
        return line.server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, primary)
                .server(ServerRole.OUTBOUND_PROXY, Rank.BACKUP, backup);
    }
}
