package org.sipfailover.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipfailover.api.net.Rank.BACKUP;
import static org.sipfailover.api.net.Rank.PRIMARY;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.Trigger;

/** Every row of the Aastra tables (seeds 000, 001, 003), one test or more per row, in virtual time. */
class AastraPolicyTest {

    static final ServerRef PROXY_1 = ServerRef.of(ServerRole.PROXY, PRIMARY);
    static final ServerRef PROXY_2 = ServerRef.of(ServerRole.PROXY, BACKUP);
    static final ServerRef REGISTRAR_1 = ServerRef.of(ServerRole.REGISTRAR, PRIMARY);
    static final ServerRef REGISTRAR_2 = ServerRef.of(ServerRole.REGISTRAR, BACKUP);
    static final ServerRef OUTBOUND_1 = ServerRef.of(ServerRole.OUTBOUND_PROXY, PRIMARY);
    static final ServerRef OUTBOUND_2 = ServerRef.of(ServerRole.OUTBOUND_PROXY, BACKUP);
    static final Duration HOLD_OFF = Duration.ofSeconds(30);

    /** Backup proxy and backup registrar on servers of their own, so that each can fail alone. */
    static LineConfig.Builder proxyAndRegistrar(boolean outbound) {
        return LineConfig.builder("l1").user("1001").sipOutbound(outbound).policy("aastra")
                .server(ServerRole.PROXY, PRIMARY, ServerAddress.parse("p1.example.test"))
                .server(ServerRole.PROXY, BACKUP, ServerAddress.parse("p2.example.test"))
                .server(ServerRole.REGISTRAR, PRIMARY, ServerAddress.parse("r1.example.test"))
                .server(ServerRole.REGISTRAR, BACKUP, ServerAddress.parse("r2.example.test"))
                .failback(FailbackMode.IMMEDIATE, HOLD_OFF, Duration.ofHours(1), true);
    }

    static Placement at(int regId, Rank proxy, Rank registrar) {
        return Placement.of(new Binding(regId, proxy, registrar, null));
    }

    static Placement via(int regId, Rank proxy, Rank registrar, Rank outbound) {
        return Placement.of(new Binding(regId, proxy, registrar, outbound));
    }

    private static PolicyDriver driver(LineConfig config) {
        return new PolicyDriver(config, new AastraPolicy()).start().registered();
    }

    // ---- SIP outbound disabled, backup proxy and backup registrar ---------------------------------------

    @Test
    void outboundOffAllRequestsGoToThePrimaryProxyAndRegistrarFirst() {
        PolicyDriver d = driver(proxyAndRegistrar(false).build());
        assertThat(d.current).isEqualTo(at(0, PRIMARY, PRIMARY));
        assertThat(d.last.probes()).isEmpty();
    }

    @Test
    void outboundOffPrimaryRegistrarFailsRegistersAtTheBackupRegistrar() {
        PolicyDriver d = driver(proxyAndRegistrar(false).build()).fail(REGISTRAR_1);
        assertThat(d.current).isEqualTo(at(0, PRIMARY, BACKUP));
        assertThat(d.last.probes()).contains(REGISTRAR_1);
    }

    @Test
    void outboundOffPrimaryProxyFailsRegistersTheBackupAorAndMovesSubscriptionsToTheBackupProxy() {
        PolicyDriver d = driver(proxyAndRegistrar(false).build()).fail(PROXY_1);
        // the active binding's proxy is the backup: the line registers its AOR and moves the subscriptions
        assertThat(d.current).isEqualTo(at(0, BACKUP, PRIMARY));
    }

    @Test
    void outboundOffPrimaryRegistrarBackRegistersThereWithTheCurrentlyActiveAor() {
        PolicyDriver d = driver(proxyAndRegistrar(false).build()).fail(PROXY_1, REGISTRAR_1).registered();
        assertThat(d.current).isEqualTo(at(0, BACKUP, BACKUP));

        d.answers(REGISTRAR_1).advance(HOLD_OFF);

        assertThat(d.current).isEqualTo(at(0, BACKUP, PRIMARY));
    }

    @Test
    void outboundOffPrimaryProxyBackRegistersThePrimaryAorAtTheActiveRegistrar() {
        PolicyDriver d = driver(proxyAndRegistrar(false).build()).fail(PROXY_1, REGISTRAR_1).registered();

        d.answers(PROXY_1).advance(HOLD_OFF);

        assertThat(d.current).isEqualTo(at(0, PRIMARY, BACKUP));
    }

    // ---- SIP outbound enabled, backup proxy and backup registrar ----------------------------------------

    @Test
    void outboundOnFlowToTheRegistrarFailsRegistersAtTheBackupRegistrarAndRecoversThePrimaryInTheBackground() {
        PolicyDriver d = driver(proxyAndRegistrar(true).build());
        assertThat(d.current).isEqualTo(at(1, PRIMARY, PRIMARY));

        d.fail(REGISTRAR_1);
        assertThat(d.current).isEqualTo(at(1, PRIMARY, BACKUP));
        assertThat(d.last.probes()).containsExactly(REGISTRAR_1);

        d.registered().answers(REGISTRAR_1).advance(HOLD_OFF);
        // back: the line registers at the primary and unregisters from the backup (the reconciler's part)
        assertThat(d.current).isEqualTo(at(1, PRIMARY, PRIMARY));
    }

    @Test
    void outboundOnFlowToTheProxyFailsMovesToTheBackupProxyAndBackWhenTheFlowIsReestablished() {
        PolicyDriver d = driver(proxyAndRegistrar(true).build()).fail(PROXY_1);
        assertThat(d.current).isEqualTo(at(1, BACKUP, PRIMARY));
        assertThat(d.last.probes()).containsExactly(PROXY_1);

        d.registered().answers(PROXY_1).advance(HOLD_OFF);
        assertThat(d.current).isEqualTo(at(1, PRIMARY, PRIMARY));
        assertThat(d.moves).containsExactly(at(1, PRIMARY, PRIMARY), at(1, BACKUP, PRIMARY), at(1, PRIMARY, PRIMARY));
    }

    // ---- backup proxy, backup registrar and backup outbound proxy ---------------------------------------

    static LineConfig.Builder withOutboundProxies(boolean outbound) {
        return proxyAndRegistrar(outbound)
                .server(ServerRole.OUTBOUND_PROXY, PRIMARY, ServerAddress.parse("o1.example.test"))
                .server(ServerRole.OUTBOUND_PROXY, BACKUP, ServerAddress.parse("o2.example.test"));
    }

    @Test
    void allBackupsFlowToThePrimaryOutboundProxyFailsRegistersTheBackupAorAtTheBackupRegistrarAndComesBack() {
        PolicyDriver d = driver(withOutboundProxies(true).build());
        assertThat(d.current).isEqualTo(via(1, PRIMARY, PRIMARY, PRIMARY));

        d.fail(OUTBOUND_1);
        assertThat(d.current).isEqualTo(via(1, BACKUP, BACKUP, BACKUP));
        assertThat(d.last.probes()).containsExactly(OUTBOUND_1);

        d.registered().answers(OUTBOUND_1).advance(HOLD_OFF);
        assertThat(d.current).isEqualTo(via(1, PRIMARY, PRIMARY, PRIMARY));
    }

    @Test
    void allBackupsOutboundOffAnyPrimaryConnectionFailingMovesEverythingToTheBackups() {
        PolicyDriver d = driver(withOutboundProxies(false).build()).fail(REGISTRAR_1);
        assertThat(d.current).isEqualTo(via(0, BACKUP, BACKUP, BACKUP));

        d.registered().answers(REGISTRAR_1).advance(HOLD_OFF);
        // the other primaries were never seen failing, but must be seen working before everything returns
        assertThat(d.current).isEqualTo(via(0, BACKUP, BACKUP, BACKUP));
        d.answers(OUTBOUND_1, PROXY_1).advance(HOLD_OFF);
        assertThat(d.current).isEqualTo(via(0, PRIMARY, PRIMARY, PRIMARY));
    }

    // ---- backup outbound proxy only --------------------------------------------------------------------

    @Test
    void backupOutboundProxyOnlyRegistersAndSubscribesThroughTheBackupWhileThePrimaryIsDownAndBackAfter() {
        LineConfig c = LineConfig.builder("l1").user("1001").sipOutbound(true).policy("aastra")
                .server(ServerRole.PROXY, PRIMARY, ServerAddress.parse("p1.example.test"))
                .server(ServerRole.OUTBOUND_PROXY, PRIMARY, ServerAddress.parse("o1.example.test"))
                .server(ServerRole.OUTBOUND_PROXY, BACKUP, ServerAddress.parse("o2.example.test"))
                .failback(FailbackMode.IMMEDIATE, HOLD_OFF, Duration.ofHours(1), true).build();
        PolicyDriver d = driver(c);
        assertThat(d.current).isEqualTo(via(1, PRIMARY, PRIMARY, PRIMARY));

        d.fail(OUTBOUND_1);
        assertThat(d.current).isEqualTo(via(1, PRIMARY, PRIMARY, BACKUP));

        d.registered().answers(OUTBOUND_1).advance(HOLD_OFF);
        assertThat(d.current).isEqualTo(via(1, PRIMARY, PRIMARY, PRIMARY));
    }

    // ---- failback ------------------------------------------------------------------------------------

    @Test
    void failbackWaitsExactlyTheHoldOff() {
        PolicyDriver d = driver(proxyAndRegistrar(true).build()).fail(REGISTRAR_1).registered();
        d.answers(REGISTRAR_1);
        assertThat(d.last.reconsiderAt()).isEqualTo(d.now.plus(HOLD_OFF));

        d.advance(HOLD_OFF.minusMillis(1));
        assertThat(d.current).isEqualTo(at(1, PRIMARY, BACKUP));
        d.advance(Duration.ofMillis(1));
        assertThat(d.current).isEqualTo(at(1, PRIMARY, PRIMARY));
    }

    @Test
    void aFlappingPrimaryRestartsTheHoldOffAndTheLineDoesNotFlap() {
        PolicyDriver d = driver(proxyAndRegistrar(true).build()).fail(REGISTRAR_1).registered();
        for (int i = 0; i < 5; i++) {
            d.answers(REGISTRAR_1).advance(HOLD_OFF.dividedBy(2)).fail(REGISTRAR_1).advance(Duration.ofSeconds(5));
        }
        assertThat(d.moves).hasSize(2);
        d.answers(REGISTRAR_1).advance(HOLD_OFF);
        assertThat(d.current).isEqualTo(at(1, PRIMARY, PRIMARY));
        assertThat(d.moves).hasSize(3);
    }

    @Test
    void failbackWaitsWhileACallIsInProgressAndHappensWhenTheLineIsIdle() {
        PolicyDriver d = driver(proxyAndRegistrar(true).build()).fail(REGISTRAR_1).registered();
        d.call(true).answers(REGISTRAR_1).advance(HOLD_OFF.multipliedBy(3));
        assertThat(d.current).isEqualTo(at(1, PRIMARY, BACKUP));

        d.call(false);
        assertThat(d.current).isEqualTo(at(1, PRIMARY, PRIMARY));
    }

    @Test
    void failbackAtRegistrationWaitsForTheNextRefresh() {
        PolicyDriver d = driver(proxyAndRegistrar(true)
                .failback(FailbackMode.REGISTRATION, HOLD_OFF, Duration.ofHours(1), true).build())
                .fail(REGISTRAR_1).registered();
        d.answers(REGISTRAR_1).advance(HOLD_OFF.multipliedBy(2));
        assertThat(d.current).isEqualTo(at(1, PRIMARY, BACKUP));

        d.ask(Trigger.REGISTRATION, null);
        assertThat(d.current).isEqualTo(at(1, PRIMARY, PRIMARY));
    }

    @Test
    void failbackAfterADurationWaitsForTheFailbackTimeout() {
        PolicyDriver d = driver(proxyAndRegistrar(true)
                .failback(FailbackMode.DURATION, HOLD_OFF, Duration.ofMinutes(10), true).build())
                .fail(REGISTRAR_1).registered();
        d.answers(REGISTRAR_1).advance(Duration.ofMinutes(9));
        assertThat(d.current).isEqualTo(at(1, PRIMARY, BACKUP));
        d.advance(Duration.ofMinutes(1));
        assertThat(d.current).isEqualTo(at(1, PRIMARY, PRIMARY));
    }

    @Test
    void failbackNeverStaysOnTheBackupUntilItFails() {
        PolicyDriver d = driver(proxyAndRegistrar(true)
                .failback(FailbackMode.NEVER, HOLD_OFF, Duration.ofHours(1), true).build())
                .fail(REGISTRAR_1).registered();
        d.answers(REGISTRAR_1).advance(Duration.ofHours(5)).ask(Trigger.REGISTRATION, null);
        assertThat(d.current).isEqualTo(at(1, PRIMARY, BACKUP));

        d.fail(REGISTRAR_2);
        assertThat(d.current).isEqualTo(at(1, PRIMARY, PRIMARY));
    }

    @Test
    void aForcedFailbackReturnsAtOnce() {
        PolicyDriver d = driver(proxyAndRegistrar(true).build()).fail(REGISTRAR_1).registered();
        d.ask(Trigger.FORCED_FAILBACK, null);
        assertThat(d.current).isEqualTo(at(1, PRIMARY, PRIMARY));
    }

    @Test
    void aBackupThatAskedForRetryAfterIsNotUsedUntilThen() {
        PolicyDriver d = driver(proxyAndRegistrar(true).build()).unavailable(REGISTRAR_2, Duration.ofMinutes(5));
        d.fail(REGISTRAR_1);
        // both unusable: stay and watch the backup
        assertThat(d.current).isEqualTo(at(1, PRIMARY, PRIMARY));
        assertThat(d.last.probes()).contains(REGISTRAR_2);
    }

    @Test
    void startsWhereTheSavedPlacementWasWhenItsServersWork() {
        PolicyDriver d = new PolicyDriver(proxyAndRegistrar(true).build(), new AastraPolicy())
                .startFrom(at(1, PRIMARY, BACKUP));
        assertThat(d.current).isEqualTo(at(1, PRIMARY, BACKUP));
        assertThat(d.last.probes()).contains(REGISTRAR_1);
    }
}
