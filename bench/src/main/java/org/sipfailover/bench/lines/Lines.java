// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.lines;

import java.time.Duration;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.lines.TestLines;

/** The line the JMH benchmarks decide and reconcile: a primary and a backup Kamailio, each proxy and registrar. */
final class Lines {

    private Lines() {}

    static LineConfig config(String id, String user, String policy, Duration holdOff) {
        return TestLines.proxiesAndRegistrars(
                        id, TestLines.loopback(Rank.PRIMARY, 5060), TestLines.loopback(Rank.BACKUP, 5060))
                .user(user)
                .policy(policy)
                .transport(Transport.TCP)
                .sipOutbound(!policy.startsWith("redundant"))
                .keepAliveInterval(Duration.ofSeconds(5))
                .pongTimeout(Duration.ofSeconds(1))
                .probeInterval(Duration.ofSeconds(2))
                .registrationPeriod(Duration.ofSeconds(600))
                .failback(FailbackMode.IMMEDIATE, holdOff, Duration.ofSeconds(600), true)
                .build();
    }
}
