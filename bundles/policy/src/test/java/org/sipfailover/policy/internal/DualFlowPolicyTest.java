// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipfailover.api.net.Rank.BACKUP;
import static org.sipfailover.api.net.Rank.PRIMARY;
import static org.sipfailover.policy.internal.LineDriver.T0;
import static org.sipfailover.policy.internal.Lines.HOLD_OFF;
import static org.sipfailover.policy.internal.Lines.OUTBOUND_1;
import static org.sipfailover.policy.internal.Lines.RECOVERY;
import static org.sipfailover.policy.internal.Lines.REGISTRAR_1;
import static org.sipfailover.policy.internal.Lines.REGISTRAR_2;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.Trigger;

/** {@code dual-flow}: two RFC 5626 flows registered at once; a single failure costs no binding. */
class DualFlowPolicyTest {

    private static final Binding VIA_REGISTRAR_1 = new Binding(1, PRIMARY, PRIMARY, null);
    private static final Binding VIA_REGISTRAR_2 = new Binding(2, PRIMARY, BACKUP, null);
    private static final List<Binding> BOTH = List.of(VIA_REGISTRAR_1, VIA_REGISTRAR_2);

    private static LineDriver started() {
        LineDriver d = new LineDriver(Lines.proxyAndRegistrar("dual-flow", true).build(), new DualFlowPolicy()).start();
        assertThat(d.registered()).isTrue();
        return d;
    }

    private static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void dualFlowRegistersRegId1AndRegId2AtThePrimaryAndBackupRegistrarWithOneAor() {
        LineDriver d = started();

        assertThat(d.placements()).containsExactly(new Placement(BOTH, 0));
        assertThat(d.live()).containsExactlyInAnyOrderElementsOf(BOTH);
        assertThat(d.probes()).isEmpty();
    }

    @Test
    void dualFlowGoesThroughBothOutboundProxiesToTheSameRegistrarWhenABackupOutboundProxyIsConfigured() {
        LineDriver d = new LineDriver(Lines.allBackups("dual-flow", true).build(), new DualFlowPolicy()).start();

        assertThat(d.current())
                .isEqualTo(new Placement(
                        List.of(new Binding(1, PRIMARY, PRIMARY, PRIMARY), new Binding(2, PRIMARY, PRIMARY, BACKUP)),
                        0));
        d.down(OUTBOUND_1);
        assertThat(d.current().active()).isEqualTo(1);
        assertThat(d.current().bindings()).hasSize(2);
    }

    @Test
    void dualFlowSingleFailureOnlyMovesActiveAndDropsNoBinding() {
        LineDriver d = started().advanceTo(t(60)).down(REGISTRAR_1);

        assertThat(d.placements()).containsExactly(new Placement(BOTH, 0), new Placement(BOTH, 1));
        assertThat(d.moves().get(1).at()).isEqualTo(t(60));
        assertThat(d.moves().get(1).reason())
                .isEqualTo("primary registrar failed: PONG_TIMEOUT: new work over reg-id 2");
        assertThat(d.live()).containsExactly(VIA_REGISTRAR_2);

        d.advance(Duration.ofMinutes(10));
        assertThat(d.current().bindings()).isEqualTo(BOTH);
    }

    @Test
    void dualFlowActiveReturnsToRegId1WhenItHasBeenBackForTheHoldOff() {
        // the primary answers again at 110 s; its flow, trying again every 30 s since it failed at 60 s, finds it
        // at 120 s and registers its binding again in the background
        LineDriver d = started()
                .advanceTo(t(60))
                .down(REGISTRAR_1)
                .advanceTo(t(110))
                .up(REGISTRAR_1)
                .advanceTo(t(120));
        assertThat(d.live()).containsExactlyInAnyOrderElementsOf(BOTH);

        d.advanceTo(t(120).plus(HOLD_OFF).minusMillis(1));
        assertThat(d.current().active()).isEqualTo(1);
        d.advance(Duration.ofMillis(1));

        assertThat(d.placements())
                .containsExactly(new Placement(BOTH, 0), new Placement(BOTH, 1), new Placement(BOTH, 0));
        assertThat(d.moves().get(2).at()).isEqualTo(t(120).plus(HOLD_OFF));
    }

    @Test
    void dualFlowFlappingFirstFlowDoesNotMoveTheSubscriptionsBackAndForth() {
        LineDriver d = started().advanceTo(t(60)).down(REGISTRAR_1);
        // the flow to the primary tries again every 30 s after each loss: it finds the primary back at 120, 230 and
        // 340 s, and each time the primary fails again 20 s later, inside the hold-off
        for (long seenUp : new long[] {120, 230, 340}) {
            d.advanceTo(t(seenUp - 15)).up(REGISTRAR_1).advanceTo(t(seenUp));
            assertThat(d.live()).contains(VIA_REGISTRAR_1);
            d.advanceTo(t(seenUp + 20)).down(REGISTRAR_1);
        }
        // back for good at 1000 s, found by the flow's attempt at 1020 s
        d.advanceTo(t(1000)).up(REGISTRAR_1).advanceTo(t(2000));

        assertThat(d.placements())
                .containsExactly(new Placement(BOTH, 0), new Placement(BOTH, 1), new Placement(BOTH, 0));
        assertThat(d.moves().get(2).at()).isEqualTo(t(1020).plus(HOLD_OFF));
    }

    @Test
    void dualFlowBothFirstHopsDownKeepsBothBindingsAndActive() {
        LineDriver d = started().down(REGISTRAR_1).down(REGISTRAR_2).advance(Duration.ofMinutes(5));

        assertThat(d.current()).isEqualTo(new Placement(BOTH, 1));
        assertThat(d.registered()).isFalse();

        d.up(REGISTRAR_1).advance(RECOVERY); // its flow's next recovery attempt finds it
        assertThat(d.current()).isEqualTo(new Placement(BOTH, 0));
    }

    @Test
    void dualFlowForcedFailoverAndFailbackMoveActive() {
        LineDriver d = started().force(Trigger.FORCED_FAILOVER);
        assertThat(d.current()).isEqualTo(new Placement(BOTH, 1));
        d.force(Trigger.FORCED_FAILBACK);
        assertThat(d.current()).isEqualTo(new Placement(BOTH, 0));
    }

    @Test
    void swapFromAastraKeepsTheRegisteredBindingAsRegId1AndAddsRegId2() {
        LineDriver d = new LineDriver(Lines.proxyAndRegistrar("aastra", true).build(), new AastraPolicy()).start();
        assertThat(d.current()).isEqualTo(Placement.of(VIA_REGISTRAR_1));

        d.swap(new DualFlowPolicy());

        assertThat(d.placements()).containsExactly(Placement.of(VIA_REGISTRAR_1), new Placement(BOTH, 0));
        assertThat(d.live()).containsExactlyInAnyOrderElementsOf(BOTH);
    }

    @Test
    void validateRefusesALineWithoutSipOutbound() {
        LineConfig off = Lines.proxyAndRegistrar("dual-flow", false).build();

        assertThatThrownBy(() -> new DualFlowPolicy().validate(off))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line alice: policy dual-flow needs SIP outbound (sipOutbound=true)");
    }

    @Test
    void validateRefusesALineWithoutASecondFirstHop() {
        LineConfig single = Lines.line("frank", "dual-flow", true)
                .server(ServerRole.PROXY, PRIMARY, ServerAddress.parse("p1.example.test"))
                .build();
        // a backup proxy is no backup registrar when the line has a registrar of its own
        LineConfig ownRegistrar = Lines.line("grace", "dual-flow", true)
                .server(ServerRole.PROXY, PRIMARY, ServerAddress.parse("p1.example.test"))
                .server(ServerRole.PROXY, BACKUP, ServerAddress.parse("p2.example.test"))
                .server(ServerRole.REGISTRAR, PRIMARY, ServerAddress.parse("r1.example.test"))
                .build();
        // every request goes through the outbound proxy: a backup registrar gives no second first hop
        LineConfig oneOutbound = Lines.proxyAndRegistrar("dual-flow", true)
                .server(ServerRole.OUTBOUND_PROXY, PRIMARY, ServerAddress.parse("o1.example.test"))
                .build();

        assertThatThrownBy(() -> new DualFlowPolicy().validate(single))
                .hasMessage(
                        "line frank: policy dual-flow needs "
                                + "a second first hop: a backup registrar (registrar.backup) or a backup outbound proxy (outboundProxy.backup)");
        assertThatThrownBy(() -> new DualFlowPolicy().validate(ownRegistrar))
                .hasMessageStartingWith("line grace:")
                .hasMessageContaining("registrar.backup");
        assertThatThrownBy(() -> new DualFlowPolicy().validate(oneOutbound))
                .hasMessageStartingWith(
                        "line alice: policy dual-flow needs a backup outbound proxy (outboundProxy.backup)");
    }

    @Test
    void validateAcceptsProxiesThatAreTheirOwnRegistrars() {
        LineConfig proxies = Lines.line("heidi", "dual-flow", true)
                .server(ServerRole.PROXY, PRIMARY, ServerAddress.parse("p1.example.test"))
                .server(ServerRole.PROXY, BACKUP, ServerAddress.parse("p2.example.test"))
                .build();

        new DualFlowPolicy().validate(proxies);
        new DualFlowPolicy().validate(Lines.allBackups("dual-flow", true).build());
        assertThat(DualFlowPolicy.bindings(proxies)).containsExactlyElementsOf(BOTH);
    }
}
