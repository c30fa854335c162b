// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipfailover.api.net.Rank.BACKUP;
import static org.sipfailover.api.net.Rank.PRIMARY;
import static org.sipfailover.policy.internal.LineDriver.T0;
import static org.sipfailover.policy.internal.Lines.HOLD_OFF;
import static org.sipfailover.policy.internal.Lines.PROXY_1;
import static org.sipfailover.policy.internal.Lines.REFRESH;
import static org.sipfailover.policy.internal.Lines.REGISTRAR_1;
import static org.sipfailover.policy.internal.Lines.REGISTRAR_2;
import static org.sipfailover.policy.internal.Lines.at;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.Trigger;

/**
 * The failback modes, hold-off and idle deferral of the homing policies, on an {@code aastra} line with SIP
 * outbound whose primary registrar failed at T0 (so the line is on (primary proxy, backup registrar)), and
 * on a {@code redundant-asymmetric} line.
 */
class FailbackTest {

    private static final Placement ON_BACKUP = at(1, PRIMARY, BACKUP);
    private static final Placement HOME = at(1, PRIMARY, PRIMARY);

    private static LineDriver onBackup(FailbackMode mode, Duration timeout, boolean whenIdle) {
        LineConfig c = Lines.proxyAndRegistrar("aastra", true)
                .failback(mode, HOLD_OFF, timeout, whenIdle)
                .build();
        LineDriver d = new LineDriver(c, new AastraPolicy()).start().down(REGISTRAR_1);
        assertThat(d.current()).isEqualTo(ON_BACKUP);
        assertThat(d.registered()).isTrue();
        return d;
    }

    private static LineDriver onBackup(FailbackMode mode) {
        return onBackup(mode, Duration.ofHours(1), true);
    }

    private static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void immediateFailbackHappensExactlyWhenTheHoldOffEnds() {
        // probes every 7 s from T0, so that the end of the hold-off falls between two of them and only the timer
        // can bring the line back then; the primary answers again at 62 s, and its probe at 63 s sees it
        LineConfig c = Lines.proxyAndRegistrar("aastra", true)
                .probeInterval(Duration.ofSeconds(7))
                .failback(FailbackMode.IMMEDIATE, HOLD_OFF, Duration.ofHours(1), true)
                .build();
        LineDriver d = new LineDriver(c, new AastraPolicy()).start().down(REGISTRAR_1);
        assertThat(d.current()).isEqualTo(ON_BACKUP);
        d.advanceTo(t(62)).up(REGISTRAR_1).advanceTo(t(63));
        assertThat(d.last().reconsiderAt()).isEqualTo(t(63).plus(HOLD_OFF));

        d.advanceTo(t(63).plus(HOLD_OFF).minusMillis(1));
        assertThat(d.current()).isEqualTo(ON_BACKUP);
        d.advance(Duration.ofMillis(1));

        assertThat(d.current()).isEqualTo(HOME);
        assertThat(d.moves().get(2).at()).isEqualTo(t(63).plus(HOLD_OFF));
        assertThat(d.moves().get(2).trigger()).isEqualTo(Trigger.TIMER);
        assertThat(d.moves().get(2).reason())
                .isEqualTo("registrar back to the primary: primary up for 30.0 s, failback immediate");
    }

    @Test
    void aPrimaryFailingInsideTheHoldOffRestartsItAndTheLineDoesNotFlap() {
        LineDriver d = onBackup(FailbackMode.IMMEDIATE);
        for (int i = 1; i <= 3; i++) {
            d.advanceTo(t(100 * i)).up(REGISTRAR_1).advanceTo(t(100 * i + 20)).down(REGISTRAR_1);
        }
        d.advanceTo(t(1000));
        assertThat(d.placements()).containsExactly(HOME, ON_BACKUP);

        d.up(REGISTRAR_1).advanceTo(t(2000));

        // the primary is watched by its probe: seen up at 1005 s, then held for the hold-off
        assertThat(d.placements()).containsExactly(HOME, ON_BACKUP, HOME);
        assertThat(d.moves().get(2).at()).isEqualTo(t(1005).plus(HOLD_OFF));
    }

    @Test
    void aCallInProgressDefersTheFailbackUntilTheLineIsIdle() {
        LineDriver d = onBackup(FailbackMode.IMMEDIATE)
                .advanceTo(t(10))
                .call(true)
                .advanceTo(t(60))
                .up(REGISTRAR_1);

        d.advanceTo(t(600));
        assertThat(d.current()).isEqualTo(ON_BACKUP);
        assertThat(d.last().reason()).contains("deferred: call in progress");
        assertThat(d.probes()).containsExactly(REGISTRAR_1);

        d.call(false);

        assertThat(d.current()).isEqualTo(HOME);
        assertThat(d.moves().get(2).at()).isEqualTo(t(600));
        assertThat(d.moves().get(2).trigger()).isEqualTo(Trigger.IDLE);
    }

    @Test
    void withoutFailbackWhenIdleACallDoesNotHoldTheFailback() {
        LineDriver d = onBackup(FailbackMode.IMMEDIATE, Duration.ofHours(1), false)
                .call(true)
                .advanceTo(t(60))
                .up(REGISTRAR_1)
                .advanceTo(t(600));

        // back at 60 s, seen by its probe at 65 s, held for the hold-off
        assertThat(d.placements()).containsExactly(HOME, ON_BACKUP, HOME);
        assertThat(d.moves().get(2).at()).isEqualTo(t(65).plus(HOLD_OFF));
    }

    @Test
    void registrationModeFailsBackOnlyAtARegistrationRefresh() {
        LineDriver d = onBackup(FailbackMode.REGISTRATION).advanceTo(t(60)).up(REGISTRAR_1);

        d.advanceTo(T0.plus(REFRESH).minusMillis(1));
        assertThat(d.current()).isEqualTo(ON_BACKUP);
        d.advance(Duration.ofMillis(1));

        // the backup binding was registered at T0, so its refresh is due at T0 + REFRESH
        assertThat(d.current()).isEqualTo(HOME);
        assertThat(d.moves().get(2).at()).isEqualTo(T0.plus(REFRESH));
        assertThat(d.moves().get(2).trigger()).isEqualTo(Trigger.REGISTRATION);
    }

    @Test
    void registrationModeDeferredByACallReturnsWhenTheLineIsIdle() {
        LineDriver d = onBackup(FailbackMode.REGISTRATION)
                .advanceTo(t(60))
                .up(REGISTRAR_1)
                .call(true)
                .advanceTo(T0.plus(REFRESH).plusSeconds(1));
        assertThat(d.current()).isEqualTo(ON_BACKUP);

        d.call(false);

        assertThat(d.current()).isEqualTo(HOME);
        assertThat(d.moves().get(2).trigger()).isEqualTo(Trigger.IDLE);
    }

    @Test
    void newRequestsModeFailsBackOnTheFirstProbeAnswerAfterTheHoldOff() {
        // probes of the primary run every 5 s from T0; it comes back between two of them
        LineDriver d = onBackup(FailbackMode.NEW_REQUESTS).advanceTo(t(62)).up(REGISTRAR_1);

        d.advanceTo(t(600));

        // up since 62 s, held off until 92 s: the next new request that finds it ready is the probe at 95 s
        assertThat(d.placements()).containsExactly(HOME, ON_BACKUP, HOME);
        assertThat(d.moves().get(2).at()).isEqualTo(t(95));
        assertThat(d.moves().get(2).trigger()).isEqualTo(Trigger.OBSERVATION);
    }

    @Test
    void dnsTtlModeFailsBackOnlyWhenTheDnsTtlOfTheServerInUseEnds() {
        LineDriver d = onBackup(FailbackMode.DNS_TTL).advanceTo(t(60)).up(REGISTRAR_1);
        d.advanceTo(t(70)).dnsTtlEnds(REGISTRAR_2);
        assertThat(d.current()).isEqualTo(ON_BACKUP); // inside the hold-off

        d.advanceTo(t(1000)); // a registration refresh and many probe answers: not the occasion
        assertThat(d.current()).isEqualTo(ON_BACKUP);
        d.dnsTtlEnds(REGISTRAR_2);

        assertThat(d.placements()).containsExactly(HOME, ON_BACKUP, HOME);
        assertThat(d.moves().get(2).at()).isEqualTo(t(1000));
        assertThat(d.moves().get(2).trigger()).isEqualTo(Trigger.OBSERVATION);
    }

    @Test
    void dnsTtlModeAlsoFailsBackOnADnsObservationOfThePrimary() {
        LineDriver d =
                onBackup(FailbackMode.DNS_TTL).advanceTo(t(60)).up(REGISTRAR_1).advanceTo(t(300));

        d.dnsTtlEnds(REGISTRAR_1);

        assertThat(d.placements()).containsExactly(HOME, ON_BACKUP, HOME);
        assertThat(d.moves().get(2).at()).isEqualTo(t(300));
        assertThat(d.asked())
                .filteredOn(a -> a.decision().desired().equals(HOME) && a.at().equals(t(300)))
                .first()
                .satisfies(a -> assertThat(a.observation().source()).isEqualTo(HealthObservation.Source.DNS));
    }

    @Test
    void durationModeFailsBackAfterTheFailbackTimeoutCountedFromTheMove() {
        Duration timeout = Duration.ofMinutes(10);
        LineDriver d = onBackup(FailbackMode.DURATION, timeout, true);
        // during the timeout the primary is left alone: its health keeps the time the line moved
        assertThat(d.probes()).isEmpty();
        assertThat(d.last().reconsiderAt()).isEqualTo(T0.plus(timeout));

        d.advanceTo(t(60)).up(REGISTRAR_1).advanceTo(T0.plus(timeout).minusMillis(1));
        assertThat(d.current()).isEqualTo(ON_BACKUP);
        d.advance(Duration.ofMillis(1));
        assertThat(d.probes()).containsExactly(REGISTRAR_1);

        d.advanceTo(T0.plus(timeout).plus(HOLD_OFF));

        // the timeout, then the primary seen up (its first probe) and held for the hold-off
        assertThat(d.placements()).containsExactly(HOME, ON_BACKUP, HOME);
        assertThat(d.moves().get(2).at()).isEqualTo(T0.plus(timeout).plus(HOLD_OFF));
    }

    @Test
    void neverModeStaysOnTheBackupUntilTheBackupFails() {
        LineDriver d = onBackup(FailbackMode.NEVER);
        assertThat(d.probes()).isEmpty();
        d.advanceTo(t(60)).up(REGISTRAR_1).advance(Duration.ofHours(5));
        assertThat(d.current()).isEqualTo(ON_BACKUP);

        d.down(REGISTRAR_2);

        // the backup is gone: the primary, unwatched until now, is probed, answers, and the line goes there at once
        assertThat(d.placements()).containsExactly(HOME, ON_BACKUP, HOME);
        assertThat(d.moves().get(2).at()).isEqualTo(d.now());
        assertThat(d.registered()).isTrue();
    }

    @Test
    void aForcedFailbackIgnoresTheHoldOffAndTheCall() {
        LineDriver d = onBackup(FailbackMode.IMMEDIATE)
                .advanceTo(t(60))
                .up(REGISTRAR_1)
                .call(true)
                .advanceTo(t(70));

        d.force(Trigger.FORCED_FAILBACK);

        assertThat(d.current()).isEqualTo(HOME);
        assertThat(d.moves().get(2).at()).isEqualTo(t(70));
    }

    @Test
    void redundantAsymmetricFollowsTheFailbackModeToo() {
        LineConfig c = RedundantProxyPolicyTest.audiocodes("redundant-asymmetric")
                .failback(FailbackMode.REGISTRATION, HOLD_OFF, Duration.ofHours(1), true)
                .build();
        LineDriver d =
                new LineDriver(c, new RedundantAsymmetricPolicy()).start().reset(PROXY_1);
        assertThat(d.current()).isEqualTo(at(0, BACKUP, BACKUP));

        d.advanceTo(t(60)).up(PROXY_1).advanceTo(T0.plus(REFRESH).minusMillis(1));
        assertThat(d.current()).isEqualTo(at(0, BACKUP, BACKUP));
        d.advance(Duration.ofMillis(1));

        assertThat(d.current()).isEqualTo(at(0, PRIMARY, PRIMARY));
        assertThat(d.moves().get(2).trigger()).isEqualTo(Trigger.REGISTRATION);
        assertThat(d.probes()).containsExactly(PROXY_1);
    }
}
