// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipfailover.api.net.Rank.BACKUP;
import static org.sipfailover.api.net.Rank.PRIMARY;
import static org.sipfailover.policy.internal.LineDriver.T0;
import static org.sipfailover.policy.internal.Lines.HOLD_OFF;
import static org.sipfailover.policy.internal.Lines.OUTBOUND_1;
import static org.sipfailover.policy.internal.Lines.PROBE;
import static org.sipfailover.policy.internal.Lines.PROXY_1;
import static org.sipfailover.policy.internal.Lines.RECOVERY;
import static org.sipfailover.policy.internal.Lines.REFRESH;
import static org.sipfailover.policy.internal.Lines.REGISTRAR_1;
import static org.sipfailover.policy.internal.Lines.REGISTRAR_2;
import static org.sipfailover.policy.internal.Lines.at;
import static org.sipfailover.policy.internal.Lines.via;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Trigger;

/** Every row of the Aastra tables (seeds 000, 001, 003), played on a line in virtual time. */
class AastraPolicyTest {

    private static LineDriver started(LineConfig c) {
        LineDriver d = new LineDriver(c, new AastraPolicy()).start();
        assertThat(d.registered()).isTrue();
        return d;
    }

    private static LineDriver started(LineConfig.Builder c) {
        return started(c.build());
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    // ---- SIP outbound off, backup proxy and backup registrar (seeds 001, 003) -----------------------------

    @Test
    void outboundOffStartsWithEveryRequestOnThePrimaryProxyAndRegistrar() {
        LineDriver d = started(Lines.proxyAndRegistrar("aastra", false));

        assertThat(d.placements()).containsExactly(at(0, PRIMARY, PRIMARY));
        assertThat(d.moves().get(0).reason()).startsWith("start");
        assertThat(d.probes()).isEmpty();
        assertThat(d.last().reconsiderAt()).isNull();
    }

    @Test
    void outboundOffPrimaryRegistrarFailsRegistersAtBackupRegistrar() {
        LineDriver d = started(Lines.proxyAndRegistrar("aastra", false));
        d.down(REGISTRAR_1).advance(REFRESH.minus(ms(1)));
        assertThat(d.current())
                .isEqualTo(at(0, PRIMARY, PRIMARY)); // without outbound, nothing notices before the refresh

        d.advance(ms(1));

        assertThat(d.placements()).containsExactly(at(0, PRIMARY, PRIMARY), at(0, PRIMARY, BACKUP));
        assertThat(d.moves().get(1).at()).isEqualTo(T0.plus(REFRESH));
        assertThat(d.moves().get(1).reason()).isEqualTo("primary registrar failed: TRANSACTION_TIMEOUT");
        assertThat(d.registered()).isTrue();
        assertThat(d.probes()).containsExactly(REGISTRAR_1);
    }

    @Test
    void outboundOffPrimaryProxyFailsRegistersBackupAorAtActiveRegistrar() {
        LineDriver d = started(Lines.subscribed(Lines.proxyAndRegistrar("aastra", false)));
        d.down(REGISTRAR_1).advance(REFRESH);
        assertThat(d.current()).isEqualTo(at(0, PRIMARY, BACKUP));

        d.reset(PROXY_1); // the subscriptions' connection to the primary proxy

        // the backup proxy's AOR at the registrar in use (the backup one); the subscriptions follow the proxy
        assertThat(d.placements()).endsWith(at(0, PRIMARY, BACKUP), at(0, BACKUP, BACKUP));
        assertThat(d.moves().get(2).reason()).isEqualTo("primary proxy failed: CONNECTION_RESET");
        assertThat(d.probes()).containsExactlyInAnyOrder(PROXY_1, REGISTRAR_1);
        assertThat(d.registered()).isTrue();
    }

    @Test
    void outboundOffPrimaryProxyFailsAloneKeepsThePrimaryRegistrar() {
        LineDriver d = started(Lines.subscribed(Lines.proxyAndRegistrar("aastra", false)))
                .reset(PROXY_1);

        assertThat(d.placements()).containsExactly(at(0, PRIMARY, PRIMARY), at(0, BACKUP, PRIMARY));
        assertThat(d.probes()).containsExactly(PROXY_1);
    }

    @Test
    void outboundOffPrimaryRegistrarBackRegistersWithCurrentlyActiveAor() {
        LineDriver d = started(Lines.subscribed(Lines.proxyAndRegistrar("aastra", false)));
        d.down(REGISTRAR_1).advance(REFRESH).reset(PROXY_1);
        assertThat(d.current()).isEqualTo(at(0, BACKUP, BACKUP));

        d.advance(Duration.ofMinutes(1)).up(REGISTRAR_1).advance(PROBE); // found by its probe
        Instant upSince = d.health(REGISTRAR_1).since();
        d.advanceTo(upSince.plus(HOLD_OFF).minus(ms(1)));
        assertThat(d.current()).isEqualTo(at(0, BACKUP, BACKUP));
        d.advance(ms(1));

        // the registrar returns with the AOR in use: the backup proxy's, whose primary is still down
        assertThat(d.current()).isEqualTo(at(0, BACKUP, PRIMARY));
        assertThat(d.moves().get(3).at()).isEqualTo(upSince.plus(HOLD_OFF));
        assertThat(d.probes()).containsExactly(PROXY_1);
    }

    @Test
    void outboundOffPrimaryProxyBackRegistersPrimaryAorAtActiveRegistrar() {
        LineDriver d = started(Lines.subscribed(Lines.proxyAndRegistrar("aastra", false)));
        d.down(REGISTRAR_1).advance(REFRESH).reset(PROXY_1);

        d.advance(Duration.ofMinutes(1)).up(PROXY_1).advance(PROBE);
        Instant upSince = d.health(PROXY_1).since();
        d.advanceTo(upSince.plus(HOLD_OFF));

        // the primary AOR at the registrar in use, still the backup one; subscriptions back to the primary proxy
        assertThat(d.current()).isEqualTo(at(0, PRIMARY, BACKUP));
        assertThat(d.moves().get(3).at()).isEqualTo(upSince.plus(HOLD_OFF));
        assertThat(d.probes()).containsExactly(REGISTRAR_1);
    }

    // ---- SIP outbound on, backup proxy and backup registrar (seed 000) -----------------------------------

    @Test
    void outboundOnFlowToPrimaryRegistrarFailsRegistersAtBackupRegistrarAndWatchesThePrimary() {
        LineDriver d = started(Lines.proxyAndRegistrar("aastra", true));
        assertThat(d.current()).isEqualTo(at(1, PRIMARY, PRIMARY));

        d.advance(Duration.ofMinutes(1)).down(REGISTRAR_1);

        assertThat(d.current()).isEqualTo(at(1, PRIMARY, BACKUP));
        assertThat(d.moves().get(1).at()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(d.moves().get(1).reason()).isEqualTo("primary registrar failed: PONG_TIMEOUT");
        // "attempts to reestablish flow to the primary registrar in the background"
        assertThat(d.probes()).containsExactly(REGISTRAR_1);

        d.advance(Duration.ofMinutes(1)).up(REGISTRAR_1).advance(PROBE);
        // the line has no flow of its own to the primary any more: its probe sees it back
        Instant upSince = d.health(REGISTRAR_1).since();
        assertThat(upSince)
                .isAfter(T0.plus(Duration.ofMinutes(2)))
                .isBeforeOrEqualTo(T0.plus(Duration.ofMinutes(2)).plus(PROBE));
        d.advanceTo(upSince.plus(HOLD_OFF));

        // "when the primary registrar comes back up, the phone unregisters from the backup and registers with the
        // primary"
        assertThat(d.placements())
                .containsExactly(at(1, PRIMARY, PRIMARY), at(1, PRIMARY, BACKUP), at(1, PRIMARY, PRIMARY));
        assertThat(d.moves().get(2).at()).isEqualTo(upSince.plus(HOLD_OFF));
        assertThat(d.probes()).isEmpty();
        assertThat(d.registered()).isTrue();
    }

    @Test
    void outboundOnFlowToPrimaryProxyFailsMovesToBackupProxyAndBack() {
        LineDriver d = started(Lines.subscribed(Lines.proxyAndRegistrar("aastra", true)));

        d.down(PROXY_1);
        assertThat(d.current()).isEqualTo(at(1, BACKUP, PRIMARY));
        assertThat(d.probes()).containsExactly(PROXY_1);

        d.advance(Duration.ofMinutes(3)).up(PROXY_1).advance(PROBE);
        // the subscriptions moved to the backup proxy: the primary one is seen back by its probe
        Instant upSince = d.health(PROXY_1).since();
        assertThat(upSince)
                .isAfter(T0.plus(Duration.ofMinutes(3)))
                .isBeforeOrEqualTo(T0.plus(Duration.ofMinutes(3)).plus(PROBE));
        d.advanceTo(upSince.plus(HOLD_OFF));

        assertThat(d.placements())
                .containsExactly(at(1, PRIMARY, PRIMARY), at(1, BACKUP, PRIMARY), at(1, PRIMARY, PRIMARY));
        assertThat(d.moves().get(2).at()).isEqualTo(upSince.plus(HOLD_OFF));
    }

    @Test
    void outboundOnProxyAndRegistrarOnOneServerMoveTogetherInOneStepEachWay() {
        LineDriver d = started(Lines.twoServers("aastra", true));

        d.down(PROXY_1); // the primary server is both: the line reports the failure for each role

        assertThat(d.placements()).containsExactly(at(1, PRIMARY, PRIMARY), at(1, BACKUP, BACKUP));
        assertThat(d.probes()).hasSize(1); // one probe per address: its answer is reported for both roles

        // seen back by its probe, then held for the hold-off
        d.advance(Duration.ofMinutes(1)).up(PROXY_1).advance(PROBE).advance(HOLD_OFF);

        assertThat(d.placements())
                .containsExactly(at(1, PRIMARY, PRIMARY), at(1, BACKUP, BACKUP), at(1, PRIMARY, PRIMARY));
    }

    // ---- backup proxy, backup registrar and backup outbound proxy (seeds 000, 001) ---------------------

    @Test
    void allBackupsOutboundOnPrimaryOutboundProxyFailsMovesEverythingToTheBackupsAndBack() {
        LineDriver d = started(Lines.allBackups("aastra", true));
        assertThat(d.current()).isEqualTo(via(1, PRIMARY, PRIMARY, PRIMARY));

        d.down(OUTBOUND_1);

        // "registers the backup AOR to the backup registrar", through the backup outbound proxy
        assertThat(d.current()).isEqualTo(via(1, BACKUP, BACKUP, BACKUP));
        assertThat(d.probes()).containsExactly(OUTBOUND_1);

        d.advance(Duration.ofMinutes(1)).up(OUTBOUND_1).advance(PROBE);
        // the line's flows go through the backup outbound proxy now: the primary one is seen back by its probe
        Instant upSince = d.health(OUTBOUND_1).since();
        assertThat(upSince)
                .isAfter(T0.plus(Duration.ofMinutes(1)))
                .isBeforeOrEqualTo(T0.plus(Duration.ofMinutes(1)).plus(PROBE));
        d.advanceTo(upSince.plus(HOLD_OFF));

        assertThat(d.placements())
                .containsExactly(
                        via(1, PRIMARY, PRIMARY, PRIMARY),
                        via(1, BACKUP, BACKUP, BACKUP),
                        via(1, PRIMARY, PRIMARY, PRIMARY));
        assertThat(d.moves().get(2).at()).isEqualTo(upSince.plus(HOLD_OFF));
    }

    @Test
    void allBackupsOutboundOnPrimaryRegistrarBehindTheOutboundProxyMovesNothing() {
        // the line's flow goes to the outbound proxy alone, and the runtime blames the outbound proxy for a
        // REGISTER that times out behind it, so the real line moves everything (and back, and again): see the
        // deployment issue. What the policy does once the registrar's failure is reported as the registrar's:
        LineDriver d = new LineDriver(Lines.allBackups("aastra", true).build(), new AastraPolicy())
                .assumeRegistrarBlamed()
                .start();
        assertThat(d.registered()).isTrue();

        // seed 000: "the outbound proxy is maintaining its own outbound connections to the proxy/registrar"
        d.down(REGISTRAR_1).advance(REFRESH);

        assertThat(d.health(REGISTRAR_1).usable(d.now())).isFalse();
        assertThat(d.placements()).containsExactly(via(1, PRIMARY, PRIMARY, PRIMARY));
    }

    @Test
    void allBackupsOutboundOffAnyConnectionFailingMovesEverythingToTheBackups() {
        LineDriver d = started(Lines.allBackups("aastra", false));
        d.down(REGISTRAR_1).advance(REFRESH);

        assertThat(d.placements()).containsExactly(via(0, PRIMARY, PRIMARY, PRIMARY), via(0, BACKUP, BACKUP, BACKUP));
        // the REGISTER that timed out behind the outbound proxy failed the flow to it: the line blames the first hop
        assertThat(d.moves().get(1).reason()).isEqualTo("primary outbound proxy failed: TRANSACTION_TIMEOUT");
        assertThat(d.probes()).containsExactlyInAnyOrder(OUTBOUND_1, PROXY_1, REGISTRAR_1);

        d.advance(Duration.ofMinutes(1)).up(REGISTRAR_1).advance(PROBE);
        Instant lastUp = d.health(REGISTRAR_1).since();
        d.advanceTo(lastUp.plus(HOLD_OFF));

        // "when the primary is functional again": every primary up for the hold-off, the last one decides
        assertThat(d.placements())
                .containsExactly(
                        via(0, PRIMARY, PRIMARY, PRIMARY),
                        via(0, BACKUP, BACKUP, BACKUP),
                        via(0, PRIMARY, PRIMARY, PRIMARY));
        assertThat(d.moves().get(2).at()).isEqualTo(lastUp.plus(HOLD_OFF));
    }

    // ---- backup outbound proxy only (seeds 000, 001) ---------------------------------------------------

    @ParameterizedTest(name = "sip outbound {0}")
    @ValueSource(booleans = {true, false})
    void backupOutboundProxyOnlyMovesTheFirstHopWhileThePrimaryOutboundProxyIsDown(boolean outbound) {
        int regId = outbound ? 1 : 0;
        LineDriver d = started(Lines.line("dave", "aastra", outbound)
                .server(ServerRole.PROXY, PRIMARY, ServerAddress.parse("p1.example.test"))
                .server(ServerRole.OUTBOUND_PROXY, PRIMARY, ServerAddress.parse("o1.example.test"))
                .server(ServerRole.OUTBOUND_PROXY, BACKUP, ServerAddress.parse("o2.example.test")));
        assertThat(d.current()).isEqualTo(via(regId, PRIMARY, PRIMARY, PRIMARY));

        d.reset(OUTBOUND_1);
        assertThat(d.current()).isEqualTo(via(regId, PRIMARY, PRIMARY, BACKUP));
        assertThat(d.probes()).containsExactly(OUTBOUND_1);

        d.advance(Duration.ofMinutes(1)).up(OUTBOUND_1).advance(PROBE);
        Instant upSince = d.health(OUTBOUND_1).since();
        d.advanceTo(upSince.plus(HOLD_OFF));

        assertThat(d.placements())
                .containsExactly(
                        via(regId, PRIMARY, PRIMARY, PRIMARY),
                        via(regId, PRIMARY, PRIMARY, BACKUP),
                        via(regId, PRIMARY, PRIMARY, PRIMARY));
        assertThat(d.moves().get(2).at()).isEqualTo(upSince.plus(HOLD_OFF));
    }

    // ---- no backups ----------------------------------------------------------------------------------

    @Test
    void noBackupsStaysOnThePrimariesWhileTheirFlowsRecover() {
        LineDriver d = started(Lines.line("erin", "aastra", true)
                .server(ServerRole.PROXY, PRIMARY, ServerAddress.parse("p1.example.test"))
                .server(ServerRole.REGISTRAR, PRIMARY, ServerAddress.parse("r1.example.test")));

        d.down(REGISTRAR_1).advance(Duration.ofMinutes(5));
        assertThat(d.registered()).isFalse();
        assertThat(d.probes()).isEmpty();
        d.up(REGISTRAR_1).advance(RECOVERY); // its flow's next recovery attempt finds it

        assertThat(d.placements()).containsExactly(at(1, PRIMARY, PRIMARY));
        assertThat(d.registered()).isTrue();
    }

    // ---- both down, black lists, restarts, drills --------------------------------------------------------

    @Test
    void bothRegistrarsDownStaysOnTheBackupWatchingThePrimaryAndReturnsTheMomentItAnswers() {
        LineDriver d = started(Lines.proxyAndRegistrar("aastra", true));
        d.down(REGISTRAR_2).down(REGISTRAR_1); // the backup's death is found when the line registers there

        assertThat(d.placements()).containsExactly(at(1, PRIMARY, PRIMARY), at(1, PRIMARY, BACKUP));
        assertThat(d.registered()).isFalse();
        assertThat(d.probes()).containsExactly(REGISTRAR_1);

        d.advance(Duration.ofMinutes(2)).up(REGISTRAR_1).advance(PROBE);

        // the backup is dead: going back is no failback, so neither hold-off nor idle applies; the moment it
        // answers is its probe's answer
        assertThat(d.current()).isEqualTo(at(1, PRIMARY, PRIMARY));
        assertThat(d.moves().get(2).at())
                .isEqualTo(d.health(REGISTRAR_1).since())
                .isAfter(T0.plus(Duration.ofMinutes(2)))
                .isBeforeOrEqualTo(T0.plus(Duration.ofMinutes(2)).plus(PROBE));
        assertThat(d.registered()).isTrue();
    }

    @Test
    void bothRegistrarsDownOnThePrimaryWatchesTheBackupAndMovesWhenItAnswers() {
        LineDriver d = started(Lines.proxyAndRegistrar("aastra", true));
        d.down(REGISTRAR_2)
                .down(REGISTRAR_1)
                .advance(Duration.ofMinutes(2))
                .up(REGISTRAR_1)
                .advance(PROBE);
        assertThat(d.current()).isEqualTo(at(1, PRIMARY, PRIMARY)); // the backup registrar is known dead

        d.advance(Duration.ofMinutes(1)).down(REGISTRAR_1);
        assertThat(d.current()).isEqualTo(at(1, PRIMARY, PRIMARY));
        assertThat(d.probes()).containsExactly(REGISTRAR_2);
        assertThat(d.last().reason()).contains("primary registrar failed").contains("backup registrar failed");

        d.advance(Duration.ofMinutes(1)).up(REGISTRAR_2).advance(PROBE);

        assertThat(d.current()).isEqualTo(at(1, PRIMARY, BACKUP));
        assertThat(d.registered()).isTrue();
    }

    @Test
    void primaryBlackListedByRetryAfterIsNotReturnedToBeforeItsTime() {
        LineDriver d = started(Lines.proxyAndRegistrar("aastra", true));
        d.unavailable(REGISTRAR_1, Duration.ofMinutes(5));

        assertThat(d.current()).isEqualTo(at(1, PRIMARY, BACKUP));
        assertThat(d.moves().get(1).reason()).startsWith("primary registrar refuses work until " + T0.plusSeconds(300));

        d.advanceTo(T0.plusSeconds(300));
        // its probes are answered all along, but a black-listed server's answers change nothing before its time
        Instant upSince = d.health(REGISTRAR_1).since();
        assertThat(upSince).isAfterOrEqualTo(T0.plusSeconds(300));
        d.advanceTo(upSince.plus(HOLD_OFF));

        assertThat(d.placements())
                .containsExactly(at(1, PRIMARY, PRIMARY), at(1, PRIMARY, BACKUP), at(1, PRIMARY, PRIMARY));
        assertThat(d.moves().get(2).at()).isEqualTo(upSince.plus(HOLD_OFF));
    }

    @Test
    void aRestartOnTheBackupContinuesThereUntilThePrimaryIsSeenUpForTheHoldOff() {
        LineDriver d = new LineDriver(Lines.proxyAndRegistrar("aastra", true).build(), new AastraPolicy())
                .startFrom(at(1, PRIMARY, BACKUP));

        assertThat(d.moves()).isEmpty();
        assertThat(d.registered()).isTrue();
        assertThat(d.probes()).containsExactly(REGISTRAR_1);

        d.advance(HOLD_OFF);

        // nothing was known of the primary at the start: it is back once its first probe answer has held
        assertThat(d.placements()).containsExactly(at(1, PRIMARY, PRIMARY));
        assertThat(d.moves().get(0).at()).isEqualTo(T0.plus(HOLD_OFF));
    }

    @Test
    void forcedFailoverMovesEveryRoleToItsBackupAndForcedFailbackBringsItBack() {
        LineDriver d = started(Lines.proxyAndRegistrar("aastra", true)
                .failback(FailbackMode.NEVER, HOLD_OFF, Duration.ofHours(1), true));

        d.advance(Duration.ofMinutes(1)).force(Trigger.FORCED_FAILOVER).advance(Duration.ofHours(1));
        assertThat(d.current()).isEqualTo(at(1, BACKUP, BACKUP));
        assertThat(d.moves().get(1).reason()).contains("forced failover");
        assertThat(d.registered()).isTrue();

        d.call(true).force(Trigger.FORCED_FAILBACK);

        assertThat(d.placements())
                .containsExactly(at(1, PRIMARY, PRIMARY), at(1, BACKUP, BACKUP), at(1, PRIMARY, PRIMARY));
        assertThat(d.moves().get(2).reason()).contains("forced failback");
    }

    @Test
    void aDecisionWithoutChangeReturnsTheCurrentPlacementItself() {
        LineDriver d = started(Lines.proxyAndRegistrar("aastra", true));
        d.advance(Duration.ofMinutes(30));

        assertThat(d.asked()).isNotEmpty().allSatisfy(a -> {
            if (!a.trigger().equals(Trigger.START)) {
                assertThat(a.decision().desired()).isEqualTo(at(1, PRIMARY, PRIMARY));
                assertThat(a.decision().reason()).startsWith("stay");
            }
        });
    }
}
