// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.sipfailover.api.net.Rank.BACKUP;
import static org.sipfailover.api.net.Rank.PRIMARY;
import static org.sipfailover.policy.internal.LineDriver.T0;
import static org.sipfailover.policy.internal.Lines.HOLD_OFF;
import static org.sipfailover.policy.internal.Lines.PROXY_1;
import static org.sipfailover.policy.internal.Lines.PROXY_2;
import static org.sipfailover.policy.internal.Lines.at;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.Trigger;
import org.sipfailover.testkit.lines.TestLines;

/**
 * The AudioCodes 400HD redundant proxy (seed 004): asymmetric mode 0, symmetric mode 1, and what both do,
 * on a line with a primary and a redundant proxy that are their own registrars, SIP outbound off.
 */
class RedundantProxyPolicyTest {

    private static final Placement PRIMARY_PROXY = at(0, PRIMARY, PRIMARY);
    private static final Placement REDUNDANT_PROXY = at(0, BACKUP, BACKUP);

    static LineConfig.Builder audiocodes(String policy) {
        return Lines.timed(TestLines.proxies("carol", "p1.example.test", "p2.example.test"), policy, false);
    }

    static FailoverPolicy policy(String name) {
        return name.equals(RedundantAsymmetricPolicy.NAME)
                ? new RedundantAsymmetricPolicy()
                : new RedundantSymmetricPolicy();
    }

    private static LineDriver started(String name) {
        return new LineDriver(audiocodes(name).build(), policy(name)).start();
    }

    private static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    // ---- asymmetric (mode 0) -------------------------------------------------------------------------

    @Test
    void asymmetricRegistersToThePrimaryAndKeepsItAliveWithOptions() {
        LineDriver d = started("redundant-asymmetric").advanceTo(t(10));

        assertThat(d.placements()).containsExactly(PRIMARY_PROXY);
        assertThat(d.registered()).isTrue();
        assertThat(d.probes()).containsExactly(PROXY_1);
        assertThat(d.asked())
                .filteredOn(a -> a.observation() != null && a.observation().source() == HealthObservation.Source.PROBE)
                .extracting(a -> a.at(), a -> a.observation().server())
                .containsExactly(tuple(t(0), PROXY_1), tuple(t(5), PROXY_1), tuple(t(10), PROXY_1));
    }

    @Test
    void asymmetricPrimaryProbeTimeoutRegistersToTheRedundantProxyAndKeepsProbingThePrimary() {
        LineDriver d = started("redundant-asymmetric").advanceTo(t(12)).down(PROXY_1);
        assertThat(d.current()).isEqualTo(PRIMARY_PROXY); // nothing noticed before the next keep-alive

        d.advanceTo(t(15));

        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY);
        assertThat(d.moves().get(1).at()).isEqualTo(t(15));
        assertThat(d.moves().get(1).reason()).startsWith("primary proxy failed: PROBE_TIMEOUT");
        // the primary, to return to it; the redundant proxy, to see it fall silent (the phone's registrar_ka)
        assertThat(d.probes()).containsExactlyInAnyOrder(PROXY_1, PROXY_2);
        assertThat(d.registered()).isTrue();
    }

    @Test
    void asymmetricLeavesASilentRedundantProxyForAnAnsweringPrimaryWithoutWaitingOutTheHoldOff() {
        LineDriver d = started("redundant-asymmetric")
                .advanceTo(t(12))
                .down(PROXY_1)
                .advanceTo(t(100))
                .up(PROXY_1)
                .advanceTo(t(111))
                .down(PROXY_2);

        d.advanceTo(t(116));

        // the primary answers from 105 s on, its hold-off not over; the redundant proxy's probe at 115 s times out
        assertThat(d.health(PROXY_1).upFor(d.now()).orElseThrow()).isLessThan(HOLD_OFF);
        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY, PRIMARY_PROXY);
        assertThat(d.moves().get(2).at()).isEqualTo(t(115));
        assertThat(d.moves().get(2).reason()).contains("PROBE_TIMEOUT").endsWith("registering to the primary proxy");
        assertThat(d.registered()).isTrue();
    }

    @Test
    void asymmetricAnyFailureObservedOnThePrimaryMovesTheLine() {
        LineDriver d = started("redundant-asymmetric").advanceTo(t(7)).reset(PROXY_1);

        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY);
        assertThat(d.moves().get(1).at()).isEqualTo(t(7));
    }

    @Test
    void asymmetricSuccessfulProbeOfThePrimaryHeldForTheHoldOffReturnsToThePrimary() {
        LineDriver d = started("redundant-asymmetric")
                .advanceTo(t(12))
                .down(PROXY_1)
                .advanceTo(t(100))
                .up(PROXY_1);

        d.advanceTo(t(105).plus(HOLD_OFF).minusMillis(1));
        assertThat(d.current()).isEqualTo(REDUNDANT_PROXY);
        d.advance(Duration.ofMillis(1));

        // the first answer is the keep-alive at 105 s; the line returns when it has held for the hold-off
        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY, PRIMARY_PROXY);
        assertThat(d.moves().get(2).at()).isEqualTo(t(105).plus(HOLD_OFF));
        assertThat(d.probes()).containsExactly(PROXY_1);
    }

    @Test
    void asymmetricWithoutABackupRegistrarKeepsThePrimaryRegistrar() {
        LineConfig c = audiocodes("redundant-asymmetric")
                .server(ServerRole.REGISTRAR, PRIMARY, ServerAddress.parse("r1.example.test"))
                .build();
        LineDriver d =
                new LineDriver(c, new RedundantAsymmetricPolicy()).start().reset(PROXY_1);

        assertThat(d.placements()).containsExactly(at(0, PRIMARY, PRIMARY), at(0, BACKUP, PRIMARY));
        assertThat(d.registered()).isTrue();
    }

    @Test
    void asymmetricWithABackupRegistrarMovesTheRegistrarWithTheProxy() {
        LineConfig c = audiocodes("redundant-asymmetric")
                .server(ServerRole.REGISTRAR, PRIMARY, ServerAddress.parse("r1.example.test"))
                .server(ServerRole.REGISTRAR, BACKUP, ServerAddress.parse("r2.example.test"))
                .build();
        LineDriver d =
                new LineDriver(c, new RedundantAsymmetricPolicy()).start().reset(PROXY_1);

        assertThat(d.placements()).containsExactly(at(0, PRIMARY, PRIMARY), at(0, BACKUP, BACKUP));
        // on the redundant proxy the primary's registrar is watched too, or it could never be seen back
        assertThat(d.probes()).containsExactlyInAnyOrder(PROXY_1, Lines.REGISTRAR_1, PROXY_2);
    }

    // ---- symmetric (mode 1) --------------------------------------------------------------------------

    @Test
    void symmetricKeepsAliveOnlyTheCurrentProxyAndNeverReturnsWhileItWorks() {
        LineDriver d =
                started("redundant-symmetric").advanceTo(t(12)).down(PROXY_1).advanceTo(t(15));
        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY);
        assertThat(d.probes()).containsExactly(PROXY_2);

        // the primary is back and known healthy (here through DNS): symmetric still stays while the current works
        d.advanceTo(t(100)).up(PROXY_1).dnsTtlEnds(PROXY_1).advance(Duration.ofHours(1));

        assertThat(d.health(PROXY_1).upFor(d.now()).orElseThrow()).isGreaterThan(HOLD_OFF);
        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY);
        assertThat(d.asked())
                .filteredOn(a -> a.at().isAfter(t(15))
                        && a.observation() != null
                        && a.observation().source() == HealthObservation.Source.PROBE)
                .extracting(a -> a.observation().server())
                .containsOnly(PROXY_2);
    }

    @Test
    void symmetricSwitchesWhenTheCurrentProxyFails() {
        LineDriver d = started("redundant-symmetric")
                .advanceTo(t(12))
                .down(PROXY_1)
                .advanceTo(t(100))
                .up(PROXY_1)
                .advanceTo(t(4000))
                .down(PROXY_2)
                .advanceTo(t(4010));

        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY, PRIMARY_PROXY);
        assertThat(d.moves().get(2).at()).isEqualTo(t(4005)); // its next keep-alive
        assertThat(d.registered()).isTrue();
        assertThat(d.probes()).containsExactly(PROXY_1);
    }

    // ---- both modes ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redundant-asymmetric", "redundant-symmetric"})
    void bothDownAlternatesBetweenTheProxiesUntilOneRegisters(String name) {
        LineDriver d =
                started(name).advanceTo(t(12)).down(PROXY_1).down(PROXY_2).advanceTo(t(40));
        assertThat(d.registered()).isFalse();

        d.up(PROXY_2).advanceTo(t(60));

        // the redundant proxy is tried and fails at once; then both in turn, every max(retry waits) = 10 s
        assertThat(d.moves())
                .extracting(LineDriver.Move::at, LineDriver.Move::to)
                .containsExactly(
                        tuple(t(0), PRIMARY_PROXY),
                        tuple(t(15), REDUNDANT_PROXY),
                        tuple(t(15), PRIMARY_PROXY),
                        tuple(t(25), REDUNDANT_PROXY),
                        tuple(t(35), PRIMARY_PROXY),
                        tuple(t(45), REDUNDANT_PROXY));
        assertThat(d.registered()).isTrue();
        assertThat(d.moves().get(3).reason()).contains("trying the redundant proxy until " + t(35));
    }

    @Test
    void bothDownThenTheRedundantThenThePrimaryBackAsymmetricEndsOnThePrimary() {
        LineDriver d = started("redundant-asymmetric")
                .advanceTo(t(12))
                .down(PROXY_1)
                .down(PROXY_2)
                .advanceTo(t(40))
                .up(PROXY_2)
                .advanceTo(t(100))
                .up(PROXY_1)
                .advanceTo(t(200));

        assertThat(d.placements()).endsWith(REDUNDANT_PROXY, PRIMARY_PROXY);
        assertThat(d.moves().get(d.moves().size() - 1).at()).isEqualTo(t(105).plus(HOLD_OFF));
        assertThat(d.registered()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redundant-asymmetric", "redundant-symmetric"})
    void aRedundantProxyBlackListedByRetryAfterIsNotTriedBeforeItsTime(String name) {
        LineDriver d = started(name)
                .unavailable(PROXY_2, Duration.ofMinutes(5))
                .advanceTo(t(12))
                .down(PROXY_1)
                .advanceTo(t(200));

        // the primary fails, the redundant proxy asked to be left alone: the line keeps trying the primary
        assertThat(d.placements()).containsExactly(PRIMARY_PROXY);
        assertThat(d.last().reason()).contains("refuses work until " + t(300));

        d.advanceTo(t(301));

        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY);
        assertThat(d.moves().get(1).at()).isEqualTo(t(300));
        assertThat(d.registered()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redundant-asymmetric", "redundant-symmetric"})
    void restartContinuesWithTheLastTriedProxy(String name) {
        // both down, alternating: at 30 s the line is trying the redundant proxy
        LineDriver d =
                started(name).advanceTo(t(12)).down(PROXY_1).down(PROXY_2).advanceTo(t(30));
        assertThat(d.current()).isEqualTo(REDUNDANT_PROXY);
        int before = d.asked().size();

        d.restart();

        LineDriver.Asked first = d.asked().get(before);
        assertThat(first.trigger()).isEqualTo(Trigger.START);
        assertThat(first.decision().desired()).isEqualTo(REDUNDANT_PROXY);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redundant-asymmetric", "redundant-symmetric"})
    void restartOnTheRedundantProxyRegistersThereAgain(String name) {
        LineDriver d = started(name).reset(PROXY_1).advanceTo(t(60));
        assertThat(d.current()).isEqualTo(REDUNDANT_PROXY);

        d.restart().advanceTo(t(120));

        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY);
        assertThat(d.registered()).isTrue();
    }

    @Test
    void swapFromAastraToRedundantSymmetricWhileOnBackupStaysOnBackup() {
        LineDriver d = new LineDriver(audiocodes("aastra").build(), new AastraPolicy())
                .start()
                .reset(PROXY_1);
        assertThat(d.current()).isEqualTo(REDUNDANT_PROXY);
        // aastra watches the primary: its probe finds it back at 5 s, and aastra would return at 35 s
        d.advanceTo(t(3)).up(PROXY_1).advanceTo(t(10));
        assertThat(d.health(PROXY_1).state()).isEqualTo(org.sipfailover.api.policy.HealthState.UP);

        d.swap(new RedundantSymmetricPolicy());
        assertThat(d.last().desired()).isSameAs(d.current());
        d.advance(Duration.ofHours(2));

        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY);
        assertThat(d.probes()).containsExactly(PROXY_2);
    }

    @Test
    void swapFromAastraToRedundantAsymmetricWhileOnBackupReturnsWhenThePrimaryAnswers() {
        LineDriver d = new LineDriver(audiocodes("aastra").build(), new AastraPolicy())
                .start()
                .reset(PROXY_1)
                .advanceTo(t(10))
                .swap(new RedundantAsymmetricPolicy());
        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY);

        d.up(PROXY_1).advanceTo(t(100));

        assertThat(d.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY, PRIMARY_PROXY);
    }

    @Test
    void forcedFailoverSymmetricGoesToTheOtherProxyAsymmetricToTheRedundantOne() {
        LineDriver sym = started("redundant-symmetric").force(Trigger.FORCED_FAILOVER);
        assertThat(sym.current()).isEqualTo(REDUNDANT_PROXY);
        sym.force(Trigger.FORCED_FAILOVER);
        assertThat(sym.current()).isEqualTo(PRIMARY_PROXY);

        LineDriver asym = started("redundant-asymmetric").force(Trigger.FORCED_FAILOVER);
        assertThat(asym.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY);
        asym.force(Trigger.FORCED_FAILBACK);
        assertThat(asym.placements()).containsExactly(PRIMARY_PROXY, REDUNDANT_PROXY, PRIMARY_PROXY);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redundant-asymmetric", "redundant-symmetric"})
    void aLineWithoutABackupProxyIsRefusedNamingTheLineAndTheSetting(String name) {
        LineConfig single = LineConfig.builder("alice")
                .user("1001")
                .policy(name)
                .server(ServerRole.PROXY, PRIMARY, ServerAddress.parse("p1.example.test"))
                .build();

        assertThatThrownBy(() -> policy(name).validate(single))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line alice: policy " + name + " needs a backup proxy (proxy.backup)");
        policy(name).validate(audiocodes(name).build());
    }
}
