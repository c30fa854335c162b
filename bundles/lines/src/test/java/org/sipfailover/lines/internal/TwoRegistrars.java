// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.lines.TestLines;
import org.sipfailover.testkit.sip.Binding;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * Two real Kamailio registrars in separate processes: the primary on 127.0.0.1, the backup on 127.0.0.2,
 * each on a free port, each proxy and registrar for its own address. Stopped by PID on close.
 */
final class TwoRegistrars implements AutoCloseable {

    static final String PRIMARY_ADDRESS = TestLines.PRIMARY_HOST;
    static final String BACKUP_ADDRESS = TestLines.BACKUP_HOST;
    static final String USER = TestLines.USER;

    final Kamailio primary;
    final Kamailio backup;

    TwoRegistrars(Path work) throws Exception {
        primary =
                Kamailio.start(KamailioConfig.builder().address(PRIMARY_ADDRESS).build(), work.resolve("primary"));
        Kamailio b;
        try {
            b = Kamailio.start(KamailioConfig.builder().address(BACKUP_ADDRESS).build(), work.resolve("backup"));
        } catch (Exception e) {
            primary.close();
            throw e;
        }
        backup = b;
    }

    /** The line's AOR when the given proxy is in use: the proxy's host is the AOR's domain. */
    static String aor(Rank proxy) {
        return USER + "@" + (proxy == Rank.PRIMARY ? PRIMARY_ADDRESS : BACKUP_ADDRESS);
    }

    /** The bindings the registrar of a rank holds for the AOR of the given proxy. */
    List<Binding> bindings(Rank registrar, Rank proxy) {
        Kamailio k = registrar == Rank.PRIMARY ? primary : backup;
        return k.isAlive() ? k.bindings(aor(proxy)) : List.of();
    }

    Kamailio of(Rank rank) {
        return rank == Rank.PRIMARY ? primary : backup;
    }

    /**
     * A line with primary and backup proxy (each also its registrar), short timers so that a test sees a
     * whole failover and failback in seconds.
     */
    LineConfig.Builder line(String id, Transport transport, String policy, boolean outbound) {
        return TestLines.proxiesAndRegistrars(
                        id,
                        TestLines.loopback(Rank.PRIMARY, primary.port()),
                        TestLines.loopback(Rank.BACKUP, backup.port()))
                .transport(transport)
                .sipOutbound(outbound)
                .policy(policy)
                .keepAliveInterval(Duration.ofSeconds(2))
                .pongTimeout(Duration.ofSeconds(1))
                .probeInterval(Duration.ofSeconds(1))
                .registrationPeriod(Duration.ofSeconds(120))
                .registrationRenewal(Duration.ofSeconds(15))
                .registrationRetry(Duration.ofSeconds(1))
                .registrationTimeoutRetry(Duration.ofSeconds(1))
                .recovery(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2))
                .failback(FailbackMode.IMMEDIATE, Duration.ofSeconds(2), Duration.ofSeconds(60), true);
    }

    @Override
    public void close() {
        primary.close();
        backup.close();
    }
}
