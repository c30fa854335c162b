// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import static org.sipfailover.api.net.Rank.BACKUP;
import static org.sipfailover.api.net.Rank.PRIMARY;

import java.time.Duration;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.testkit.lines.TestLines;

/** Line configurations and placements the policy tests share. */
final class Lines {

    static final ServerRef PROXY_1 = ServerRef.of(ServerRole.PROXY, PRIMARY);
    static final ServerRef PROXY_2 = ServerRef.of(ServerRole.PROXY, BACKUP);
    static final ServerRef REGISTRAR_1 = ServerRef.of(ServerRole.REGISTRAR, PRIMARY);
    static final ServerRef REGISTRAR_2 = ServerRef.of(ServerRole.REGISTRAR, BACKUP);
    static final ServerRef OUTBOUND_1 = ServerRef.of(ServerRole.OUTBOUND_PROXY, PRIMARY);
    static final ServerRef OUTBOUND_2 = ServerRef.of(ServerRole.OUTBOUND_PROXY, BACKUP);

    static final Duration HOLD_OFF = Duration.ofSeconds(30);
    static final Duration PROBE = Duration.ofSeconds(5);
    static final Duration RETRY = Duration.ofSeconds(10);
    /** A failed flow tries again this long after its failure (RFC 5626 §4.5 base time, all flows failed). */
    static final Duration RECOVERY = Duration.ofSeconds(30);
    /** Registrations are refreshed every period minus renewal: 540 s. */
    static final Duration REFRESH = Duration.ofSeconds(540);

    private Lines() {}

    /** Timers of their own for every line here, so that each test reads its times off these constants. */
    static LineConfig.Builder line(String id, String policy, boolean outbound) {
        return timed(LineConfig.builder(id).user(TestLines.USER), policy, outbound);
    }

    /** The policy and timers of every line here, on a line of one of the shared shapes. */
    static LineConfig.Builder timed(LineConfig.Builder line, String policy, boolean outbound) {
        return line.policy(policy)
                .sipOutbound(outbound)
                .probeInterval(PROBE)
                .registrationPeriod(Duration.ofSeconds(600))
                .registrationRenewal(Duration.ofSeconds(60))
                .registrationRetry(RETRY)
                .registrationTimeoutRetry(RETRY)
                .recovery(RECOVERY, Duration.ofSeconds(90), Duration.ofSeconds(1800))
                .failback(FailbackMode.IMMEDIATE, HOLD_OFF, Duration.ofHours(1), true);
    }

    /** Primary and backup proxy and registrar, each a server of its own, so that each can fail alone. */
    static LineConfig.Builder proxyAndRegistrar(String policy, boolean outbound) {
        return timed(
                TestLines.proxiesAndRegistrars(
                        "alice",
                        ServerAddress.parse("p1.example.test"),
                        ServerAddress.parse("p2.example.test"),
                        ServerAddress.parse("r1.example.test"),
                        ServerAddress.parse("r2.example.test")),
                policy,
                outbound);
    }

    /** One server is proxy and registrar (a Kamailio), another is both backups. */
    static LineConfig.Builder twoServers(String policy, boolean outbound) {
        return timed(TestLines.proxiesAndRegistrars("bob", "10.0.0.1:5060", "10.0.0.2:5060"), policy, outbound);
    }

    /** Backup proxy, backup registrar and backup outbound proxy. */
    static LineConfig.Builder allBackups(String policy, boolean outbound) {
        return TestLines.withOutboundProxies(
                proxyAndRegistrar(policy, outbound),
                ServerAddress.parse("o1.example.test"),
                ServerAddress.parse("o2.example.test"));
    }

    /**
     * A line with a BLF subscription: its subscriptions follow the active binding's proxy, so the line has a flow
     * to a proxy that is apart from the registrar. Without subscriptions it has none, and the failure of such a
     * proxy shows to the line only through a probe.
     */
    static LineConfig.Builder subscribed(LineConfig.Builder line) {
        return line.subscription(new SubscriptionConfig(SubscriptionKind.BLF, "1002", Duration.ofSeconds(600)));
    }

    static Placement at(int regId, Rank proxy, Rank registrar) {
        return Placement.of(new Binding(regId, proxy, registrar, null));
    }

    static Placement via(int regId, Rank proxy, Rank registrar, Rank outbound) {
        return Placement.of(new Binding(regId, proxy, registrar, outbound));
    }
}
