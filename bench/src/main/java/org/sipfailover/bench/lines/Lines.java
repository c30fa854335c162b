// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.lines;

import java.time.Duration;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;

/** The line the JMH benchmarks decide and reconcile: a primary and a backup Kamailio, each proxy and registrar. */
final class Lines {

    private Lines() {}

    static LineConfig config(String id, String user, String policy, Duration holdOff) {
        return LineConfig.builder(id)
                .user(user)
                .policy(policy)
                .transport(Transport.TCP)
                .sipOutbound(!policy.startsWith("redundant"))
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("127.0.0.1:5060"))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.parse("127.0.0.2:5060"))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.parse("127.0.0.1:5060"))
                .server(ServerRole.REGISTRAR, Rank.BACKUP, ServerAddress.parse("127.0.0.2:5060"))
                .keepAliveInterval(Duration.ofSeconds(5))
                .pongTimeout(Duration.ofSeconds(1))
                .probeInterval(Duration.ofSeconds(2))
                .registrationPeriod(Duration.ofSeconds(600))
                .failback(FailbackMode.IMMEDIATE, holdOff, Duration.ofSeconds(600), true)
                .build();
    }
}
