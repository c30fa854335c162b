// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.testkit.time.VirtualScheduler;

/**
 * The main seed scenarios of each built-in policy, played on the real line runtime in virtual time, with servers
 * that die and come back behind a flow double ({@link SimulatedServers}): what the policy bundle's own tests claim
 * of a line, checked on the line that runs in the product. What is asserted is the runtime's own output: its
 * placement, live bindings and transitions, and the REGISTERs and removals it asked for.
 */
class PolicyScenariosOnRuntimeTest {

    private static final Duration HOLD_OFF = Duration.ofSeconds(30);
    private static final Duration PROBE = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    /** Registrations are refreshed every period minus renewal: 540 s. */
    private static final Duration REFRESH = Duration.ofSeconds(540);

    private static final ServerRef PROXY_1 = ServerRef.of(ServerRole.PROXY, Rank.PRIMARY);
    private static final ServerRef REGISTRAR_1 = ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY);

    @TempDir
    Path work;

    private final VirtualScheduler time = new VirtualScheduler();
    private final SimulatedServers servers = new SimulatedServers(time);
    private PlacementStore store;

    @BeforeEach
    void store() {
        store = new PlacementStore(work);
    }

    @AfterEach
    void closeStore() {
        store.close(5000); // its writer thread must be done with the folder before the folder goes
        assertThat(time.errors()).isEmpty();
    }

    /** Timers of their own, so that each test reads its times off the constants here. */
    private static LineConfig.Builder line(String policy, boolean outbound) {
        return LineConfig.builder("l1")
                .user("1001")
                .policy(policy)
                .sipOutbound(outbound)
                .probeInterval(PROBE)
                .transactionTimeout(TIMEOUT)
                .registrationPeriod(Duration.ofSeconds(600))
                .registrationRenewal(Duration.ofSeconds(60))
                .registrationRetry(Duration.ofSeconds(10))
                .registrationTimeoutRetry(Duration.ofSeconds(10))
                .failback(FailbackMode.IMMEDIATE, HOLD_OFF, Duration.ofHours(1), true);
    }

    /** One server is the primary proxy and registrar (a Kamailio), another is both backups. */
    private static LineConfig.Builder twoServers(String policy, boolean outbound) {
        return line(policy, outbound)
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("10.0.0.1:5060"))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.parse("10.0.0.2:5060"))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.parse("10.0.0.1:5060"))
                .server(ServerRole.REGISTRAR, Rank.BACKUP, ServerAddress.parse("10.0.0.2:5060"));
    }

    /** The AudioCodes way: a primary and a redundant proxy, each its own registrar. */
    private static LineConfig.Builder twoProxies(String policy) {
        return line(policy, false)
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("10.0.0.1:5060"))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.parse("10.0.0.2:5060"));
    }

    private static Placement at(int regId, Rank proxy, Rank registrar) {
        return Placement.of(new Binding(regId, proxy, registrar, null));
    }

    /** A real line with the built-in policy its configuration names, as a host without OSGi gets it. */
    private LineRuntime start(LineConfig config) {
        LineRuntime line = new LineRuntime.Builder(config, servers, time, store, (topic, p) -> {}).build();
        line.start(org.sipfailover.policy.embed.Policies.named(config.policy()));
        time.runDue();
        return line;
    }

    private Instant t(long seconds) {
        return VirtualScheduler.DEFAULT_START.plusSeconds(seconds);
    }

    private static LineTransition last(LineRuntime line) {
        List<LineTransition> all = line.transitions();
        return all.get(all.size() - 1);
    }

    /** How many OPTIONS probes went to a host so far. */
    private long probesOf(String host) {
        return servers.logged("probe").stream()
                .filter(s -> s.startsWith("probe " + host + " "))
                .count();
    }

    /** When a server was last seen up, as the line remembers it. */
    private static Instant upSince(LineRuntime line, ServerRef server) {
        assertThat(line.health().get(server).state()).isEqualTo(HealthState.UP);
        return line.health().get(server).since();
    }

    // ---- aastra (seed 000, SIP outbound on; seed 001, off) ------------------------------------------------

    @Test
    void aastraPrimaryFlowFailsRegistersAtTheBackupAndFailsBackAfterTheHoldOff() {
        LineRuntime line = start(twoServers("aastra", true).build());
        assertThat(line.placement()).isEqualTo(at(1, Rank.PRIMARY, Rank.PRIMARY));
        assertThat(line.isRegistered()).isTrue();

        time.advanceTo(t(60));
        servers.kill("10.0.0.1");
        time.runDue();

        // the keep-alive of the flow to the primary notices at once: the backup AOR at the backup registrar
        assertThat(line.placement()).isEqualTo(at(1, Rank.BACKUP, Rank.BACKUP));
        assertThat(line.liveBindings()).containsExactly(new Binding(1, Rank.BACKUP, Rank.BACKUP, null));
        assertThat(line.transitions()).hasSize(2);
        assertThat(last(line).at()).isEqualTo(t(60));
        assertThat(last(line).cause()).contains("PONG_TIMEOUT");
        assertThat(servers.log)
                .containsSubsequence(
                        "register sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 1",
                        "unregister sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 1");

        time.advanceTo(t(120));
        servers.revive("10.0.0.1");
        time.advance(PROBE.plus(TIMEOUT));
        // the line watches the primary through its probe flow, which sees it back
        Instant back = upSince(line, REGISTRAR_1);
        assertThat(back)
                .isAfterOrEqualTo(t(120))
                .isBeforeOrEqualTo(t(120).plus(PROBE).plus(TIMEOUT));
        servers.log.clear();
        time.advanceTo(back.plus(HOLD_OFF).minusMillis(1));
        assertThat(line.placement()).isEqualTo(at(1, Rank.BACKUP, Rank.BACKUP));

        time.advanceTo(back.plus(HOLD_OFF));

        assertThat(line.placement()).isEqualTo(at(1, Rank.PRIMARY, Rank.PRIMARY));
        assertThat(line.transitions()).hasSize(3);
        assertThat(last(line).at()).isEqualTo(back.plus(HOLD_OFF));
        assertThat(line.isRegistered()).isTrue();
        // the primary binding first, the backup one removed once it is registered
        assertThat(servers.log)
                .containsSubsequence(
                        "register sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 1",
                        "unregister sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 1");
    }

    @Test
    void aastraStartingWhileThePrimaryIsDownRegistersAtTheBackupWhenItsRegisterTimesOut() {
        servers.kill("10.0.0.1");
        LineRuntime line = start(twoServers("aastra", true).build());
        assertThat(line.isRegistered()).isFalse();

        time.advance(TIMEOUT);

        assertThat(line.placement()).isEqualTo(at(1, Rank.BACKUP, Rank.BACKUP));
        assertThat(last(line).at()).isEqualTo(t(4));
        assertThat(last(line).cause()).contains("TRANSACTION_TIMEOUT");
        assertThat(line.isRegistered()).isTrue();
        assertThat(servers.logged("register"))
                .containsExactly(
                        "register sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 1",
                        "register sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 1");
    }

    @Test
    void aastraWithoutSipOutboundFindsADeadRegistrarWhenItsRefreshTimesOut() {
        LineRuntime line = start(twoServers("aastra", false).build());
        assertThat(line.placement()).isEqualTo(at(0, Rank.PRIMARY, Rank.PRIMARY));

        time.advanceTo(t(60));
        servers.kill("10.0.0.1");
        // no keep-alive without SIP outbound: nothing is noticed before the refresh, due at 540 s, times out
        time.advanceTo(t(0).plus(REFRESH).plus(TIMEOUT).minusMillis(1));
        assertThat(line.placement()).isEqualTo(at(0, Rank.PRIMARY, Rank.PRIMARY));
        assertThat(line.transitions()).hasSize(1);

        time.advance(Duration.ofMillis(1));

        assertThat(line.placement()).isEqualTo(at(0, Rank.BACKUP, Rank.BACKUP));
        assertThat(last(line).at()).isEqualTo(t(0).plus(REFRESH).plus(TIMEOUT));
        assertThat(last(line).cause()).contains("TRANSACTION_TIMEOUT");
        assertThat(line.isRegistered()).isTrue();
        assertThat(servers.log).contains("register sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 0");
    }

    /**
     * A proxy apart from the registrar: the line has a flow to it because its subscriptions follow the active
     * binding's proxy, and that flow's keep-alive sees the proxy die. The backup proxy's AOR is then registered at
     * the registrar in use, and the subscriptions move to the backup proxy.
     */
    @Test
    void aastraWithSubscriptionsSeesASeparateProxyFailAndMovesTheAorAndTheSubscriptions() {
        LineRuntime line = start(line("aastra", true)
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("10.0.1.1:5060"))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.parse("10.0.1.2:5060"))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.parse("10.0.0.1:5060"))
                .server(ServerRole.REGISTRAR, Rank.BACKUP, ServerAddress.parse("10.0.0.2:5060"))
                .subscription(new SubscriptionConfig(SubscriptionKind.BLF, "1002", Duration.ofSeconds(600)))
                .build());
        assertThat(line.isRegistered()).isTrue();
        assertThat(servers.log).contains("subscribe sip:1002@10.0.1.1 as sip:1001@10.0.1.1 over 10.0.1.1 reg-id 1");

        time.advanceTo(t(60));
        servers.kill("10.0.1.1");
        time.runDue();

        assertThat(line.placement()).isEqualTo(at(1, Rank.BACKUP, Rank.PRIMARY));
        assertThat(last(line).cause()).isEqualTo("primary proxy failed: PONG_TIMEOUT");
        assertThat(line.isRegistered()).isTrue();
        assertThat(servers.log)
                .containsSubsequence(
                        "register sip:1001@10.0.1.2 at 10.0.0.1 over 10.0.0.1 reg-id 1",
                        "subscribe sip:1002@10.0.1.2 as sip:1001@10.0.1.2 over 10.0.1.2 reg-id 1",
                        "unsubscribe sip:1002@10.0.1.1 as sip:1001@10.0.1.1 over 10.0.1.1 reg-id 1");
        assertThat(servers.log).contains("unregister sip:1001@10.0.1.1 at 10.0.0.1 over 10.0.0.1 reg-id 1");
    }

    // ---- AudioCodes redundant proxy (seed 004), SIP outbound off ------------------------------------------

    @Test
    void redundantAsymmetricLeavesASilentPrimaryAndReturnsWhenItAnswersAgainForTheHoldOff() {
        LineRuntime line = start(twoProxies("redundant-asymmetric").build());
        assertThat(line.placement()).isEqualTo(at(0, Rank.PRIMARY, Rank.PRIMARY));
        assertThat(line.isRegistered()).isTrue();

        time.advanceTo(t(12));
        servers.kill("10.0.0.1");
        time.advanceTo(t(15).plus(TIMEOUT).minusMillis(1));
        assertThat(line.placement()).isEqualTo(at(0, Rank.PRIMARY, Rank.PRIMARY)); // the OPTIONS at 15 s is pending
        time.advance(Duration.ofMillis(1));

        assertThat(line.placement()).isEqualTo(at(0, Rank.BACKUP, Rank.BACKUP));
        assertThat(last(line).at()).isEqualTo(t(15).plus(TIMEOUT));
        assertThat(last(line).cause()).startsWith("primary proxy failed: PROBE_TIMEOUT");
        assertThat(line.isRegistered()).isTrue();
        assertThat(servers.log)
                .containsSubsequence(
                        "register sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 0",
                        "unregister sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 0");

        time.advanceTo(t(100));
        servers.revive("10.0.0.1");
        time.advance(PROBE);
        Instant back = upSince(line, PROXY_1);
        assertThat(back).isAfterOrEqualTo(t(100)).isBeforeOrEqualTo(t(100).plus(PROBE));
        servers.log.clear();
        time.advanceTo(back.plus(HOLD_OFF).minusMillis(1));
        assertThat(line.placement()).isEqualTo(at(0, Rank.BACKUP, Rank.BACKUP));

        time.advanceTo(back.plus(HOLD_OFF));

        assertThat(line.placement()).isEqualTo(at(0, Rank.PRIMARY, Rank.PRIMARY));
        assertThat(last(line).at()).isEqualTo(back.plus(HOLD_OFF));
        assertThat(line.isRegistered()).isTrue();
        assertThat(servers.log)
                .containsSubsequence(
                        "register sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 0",
                        "unregister sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 0");
    }

    @Test
    void redundantSymmetricStaysOnTheRedundantProxyWhileItWorksAndSwitchesWhenItFails() {
        LineRuntime line = start(twoProxies("redundant-symmetric").build());

        time.advanceTo(t(12));
        servers.kill("10.0.0.1");
        time.advanceTo(t(15).plus(TIMEOUT));
        assertThat(line.placement()).isEqualTo(at(0, Rank.BACKUP, Rank.BACKUP));
        long probesOfThePrimary = probesOf("10.0.0.1");

        // the primary is back, and the line stays: only the proxy in use is kept alive
        time.advanceTo(t(100));
        servers.revive("10.0.0.1");
        time.advance(Duration.ofHours(1));

        assertThat(line.placement()).isEqualTo(at(0, Rank.BACKUP, Rank.BACKUP));
        assertThat(line.transitions()).hasSize(2);
        assertThat(line.isRegistered()).isTrue();
        assertThat(probesOf("10.0.0.1")).isEqualTo(probesOfThePrimary);
        assertThat(probesOf("10.0.0.2")).isGreaterThan(700); // one every 5 s for the hour

        Instant killed = time.now();
        servers.kill("10.0.0.2");
        time.advance(PROBE.plus(TIMEOUT).plus(TIMEOUT));

        // the redundant proxy in use does not answer its OPTIONS: to the primary, which registers
        assertThat(line.placement()).isEqualTo(at(0, Rank.PRIMARY, Rank.PRIMARY));
        assertThat(line.transitions()).hasSize(3);
        assertThat(last(line).at())
                .isAfter(killed)
                .isBeforeOrEqualTo(killed.plus(PROBE).plus(TIMEOUT));
        assertThat(line.isRegistered()).isTrue();
    }

    /** AudioCodes: after a restart the phone registers to the last proxy it was using or trying. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redundant-asymmetric", "redundant-symmetric"})
    void redundantRestartOnTheRedundantProxyRegistersThereAgain(String policy) {
        LineRuntime first = start(twoProxies(policy).build());
        time.advanceTo(t(12));
        servers.kill("10.0.0.1");
        time.advanceTo(t(30));
        assertThat(first.placement()).isEqualTo(at(0, Rank.BACKUP, Rank.BACKUP));
        first.close(LineRuntime.Ending.HAND_OVER);
        time.runDue();
        servers.revive("10.0.0.1");
        servers.log.clear();

        LineRuntime again = start(twoProxies(policy).build());

        assertThat(again.placement()).isEqualTo(at(0, Rank.BACKUP, Rank.BACKUP));
        assertThat(again.isRegistered()).isTrue();
        assertThat(servers.logged("register"))
                .containsExactly("register sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 0");
    }

    /**
     * Neither proxy answers: the line tries one, then the other, every {@code max(registrationRetry,
     * registrationTimeoutRetry)}, until one registers.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redundant-asymmetric", "redundant-symmetric"})
    void redundantBothDownAlternatesBetweenTheProxiesUntilOneRegisters(String policy) {
        LineRuntime line = start(twoProxies(policy).build());
        time.advanceTo(t(12));
        servers.kill("10.0.0.1");
        servers.kill("10.0.0.2");
        time.advanceTo(t(40));

        // the primary's OPTIONS at 15 s times out at 19 s; the REGISTER to the redundant proxy at 23 s; then 10 s each
        assertThat(line.isRegistered()).isFalse();
        assertThat(line.transitions())
                .extracting(LineTransition::at, LineTransition::to)
                .containsExactly(
                        tuple(t(0), at(0, Rank.PRIMARY, Rank.PRIMARY)), tuple(t(19), at(0, Rank.BACKUP, Rank.BACKUP)),
                        tuple(t(23), at(0, Rank.PRIMARY, Rank.PRIMARY)), tuple(t(33), at(0, Rank.BACKUP, Rank.BACKUP)));
        assertThat(last(line).cause()).endsWith("trying the redundant proxy until " + t(43));

        servers.revive("10.0.0.2");
        time.advanceTo(t(200));

        assertThat(line.placement()).isEqualTo(at(0, Rank.BACKUP, Rank.BACKUP));
        assertThat(line.isRegistered()).isTrue();
    }

    // ---- dual-flow ------------------------------------------------------------------------------------------

    @Test
    void dualFlowKeepsBothBindingsThroughAFailureAndMovesOnlyTheActiveOne() {
        Binding viaPrimary = new Binding(1, Rank.PRIMARY, Rank.PRIMARY, null);
        Binding viaBackup = new Binding(2, Rank.PRIMARY, Rank.BACKUP, null);
        Placement both = new Placement(List.of(viaPrimary, viaBackup), 0);
        LineRuntime line = start(twoServers("dual-flow", true).build());
        assertThat(line.placement()).isEqualTo(both);
        assertThat(line.liveBindings()).containsExactlyInAnyOrder(viaPrimary, viaBackup);
        assertThat(servers.logged("register"))
                .containsExactlyInAnyOrder(
                        "register sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 1",
                        "register sip:1001@10.0.0.1 at 10.0.0.2 over 10.0.0.2 reg-id 2");

        time.advanceTo(t(60));
        servers.kill("10.0.0.1");
        time.runDue();

        assertThat(line.placement()).isEqualTo(new Placement(List.of(viaPrimary, viaBackup), 1));
        assertThat(line.liveBindings()).containsExactly(viaBackup);
        assertThat(line.isRegistered()).isFalse(); // one binding of two is down, and new work has the other

        time.advanceTo(t(120));
        servers.revive("10.0.0.1");
        // the flow to the primary recovers by itself, at its next attempt (its recovery waits 30 s; the last
        // attempt, at 90 s, timed out at 94 s), and registers its binding again
        time.advanceTo(t(124));
        assertThat(line.liveBindings()).containsExactlyInAnyOrder(viaPrimary, viaBackup);
        Instant back = upSince(line, REGISTRAR_1);
        assertThat(back).isEqualTo(t(124));
        time.advanceTo(back.plus(HOLD_OFF).minusMillis(1));
        assertThat(line.placement().active()).isEqualTo(1);

        time.advanceTo(back.plus(HOLD_OFF));

        assertThat(line.placement()).isEqualTo(both);
        assertThat(line.transitions()).hasSize(3);
        assertThat(last(line).at()).isEqualTo(back.plus(HOLD_OFF));
        assertThat(servers.logged("unregister")).isEmpty();
    }
}
