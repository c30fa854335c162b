package org.sipfailover.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipfailover.api.net.Rank.BACKUP;
import static org.sipfailover.api.net.Rank.PRIMARY;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;

/** {@code dual-flow}: both flows registered at once; a single failure costs no binding. */
class DualFlowPolicyTest {

    @Test
    void twoOutboundProxiesCarryTheSameAorToTheSameRegistrarAndNewWorkMovesOffAFailedOne() {
        LineConfig c = AastraPolicyTest.withOutboundProxies(true).policy("dual-flow").build();
        PolicyDriver d = new PolicyDriver(c, new DualFlowPolicy()).start().registered();
        Binding one = new Binding(1, PRIMARY, PRIMARY, PRIMARY);
        Binding two = new Binding(2, PRIMARY, PRIMARY, BACKUP);
        assertThat(d.current.bindings()).containsExactly(one, two);
        assertThat(d.current.activeBinding()).hasValue(one);

        d.fail(AastraPolicyTest.OUTBOUND_1);
        assertThat(d.current.bindings()).containsExactly(one, two);
        assertThat(d.current.activeBinding()).hasValue(two);

        d.answers(AastraPolicyTest.OUTBOUND_1).registered();
        assertThat(d.current.activeBinding()).hasValue(one);
        assertThat(d.moves).hasSize(3);
    }

    @Test
    void withoutOutboundProxiesTheTwoFlowsGoToThePrimaryAndTheBackupRegistrar() {
        LineConfig c = AastraPolicyTest.proxyAndRegistrar(true).policy("dual-flow").build();
        PolicyDriver d = new PolicyDriver(c, new DualFlowPolicy()).start();
        assertThat(d.current.bindings()).containsExactly(new Binding(1, PRIMARY, PRIMARY, null),
                new Binding(2, PRIMARY, BACKUP, null));
        d.registered().fail(AastraPolicyTest.REGISTRAR_1).advance(Duration.ofMinutes(5));
        assertThat(d.current.bindings()).hasSize(2);
        assertThat(d.current.activeBinding().orElseThrow().regId()).isEqualTo(2);
    }

    @Test
    void aLineWithoutOutboundOrASecondFirstHopIsRefusedNamingTheSetting() {
        LineConfig off = AastraPolicyTest.proxyAndRegistrar(false).policy("dual-flow").build();
        assertThatThrownBy(() -> new DualFlowPolicy().validate(off)).hasMessageContaining("line l1")
                .hasMessageContaining("sipOutbound");
        LineConfig single = LineConfig.builder("l2").user("1").sipOutbound(true).policy("dual-flow")
                .server(ServerRole.PROXY, PRIMARY, ServerAddress.parse("p1.example.test")).build();
        assertThatThrownBy(() -> new DualFlowPolicy().validate(single)).hasMessageContaining("line l2")
                .hasMessageContaining("second first hop");
    }
}
