package org.sipfailover.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipfailover.api.net.Rank.BACKUP;
import static org.sipfailover.api.net.Rank.PRIMARY;
import static org.sipfailover.policy.internal.AastraPolicyTest.PROXY_1;
import static org.sipfailover.policy.internal.AastraPolicyTest.PROXY_2;
import static org.sipfailover.policy.internal.AastraPolicyTest.at;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Trigger;

/** The AudioCodes 400HD redundant proxy (seed 004): asymmetric mode 0, symmetric mode 1, and what both do. */
class RedundantProxyPolicyTest {

    private static final Duration HOLD_OFF = Duration.ofSeconds(10);

    private static LineConfig line(String policy) {
        return LineConfig.builder("l1").user("1001").policy(policy)
                .server(ServerRole.PROXY, PRIMARY, ServerAddress.parse("p1.example.test"))
                .server(ServerRole.PROXY, BACKUP, ServerAddress.parse("p2.example.test"))
                .probeInterval(Duration.ofSeconds(60))
                .failback(FailbackMode.IMMEDIATE, HOLD_OFF, Duration.ofHours(1), true).build();
    }

    @Test
    void asymmetricKeepsThePrimaryAliveWithOptionsAndRegistersToTheRedundantProxyWhenItDoesNotAnswer() {
        PolicyDriver d = new PolicyDriver(line("redundant-asymmetric"), new RedundantAsymmetricPolicy()).start()
                .registered();
        assertThat(d.current).isEqualTo(at(0, PRIMARY, PRIMARY));
        assertThat(d.last.probes()).containsExactly(PROXY_1);

        d.fail(PROXY_1);
        assertThat(d.current).isEqualTo(at(0, BACKUP, BACKUP));
        // still probing the primary, and the redundant proxy in use
        assertThat(d.last.probes()).containsExactlyInAnyOrder(PROXY_1, PROXY_2);
    }

    @Test
    void asymmetricReRegistersToThePrimaryWhenItAnswersTheKeepAliveAgain() {
        PolicyDriver d = new PolicyDriver(line("redundant-asymmetric"), new RedundantAsymmetricPolicy()).start()
                .registered().fail(PROXY_1).registered();

        d.answers(PROXY_1).advance(HOLD_OFF);

        assertThat(d.current).isEqualTo(at(0, PRIMARY, PRIMARY));
    }

    @Test
    void symmetricKeepsAliveOnlyTheProxyInUseAndSwitchesOnlyWhenItFails() {
        PolicyDriver d = new PolicyDriver(line("redundant-symmetric"), new RedundantSymmetricPolicy()).start()
                .registered().fail(PROXY_1).registered();
        assertThat(d.current).isEqualTo(at(0, BACKUP, BACKUP));
        assertThat(d.last.probes()).containsExactly(PROXY_2);

        d.answers(PROXY_1).advance(Duration.ofHours(2)).ask(Trigger.REGISTRATION, null);
        assertThat(d.current).isEqualTo(at(0, BACKUP, BACKUP));

        d.fail(PROXY_2);
        assertThat(d.current).isEqualTo(at(0, PRIMARY, PRIMARY));
    }

    @Test
    void bothModesAlternateBetweenTheProxiesUntilOneRegisters() {
        for (PolicyDriver d : new PolicyDriver[] {
            new PolicyDriver(line("redundant-asymmetric"), new RedundantAsymmetricPolicy()),
            new PolicyDriver(line("redundant-symmetric"), new RedundantSymmetricPolicy())}) {
            d.start().fail(PROXY_1);
            assertThat(d.current).isEqualTo(at(0, BACKUP, BACKUP));
            d.fail(PROXY_2);
            assertThat(d.current).isEqualTo(at(0, PRIMARY, PRIMARY));
            d.fail(PROXY_1);
            assertThat(d.current).isEqualTo(at(0, BACKUP, BACKUP));
            d.registered();
            assertThat(d.current).isEqualTo(at(0, BACKUP, BACKUP));
            assertThat(d.moves).hasSize(4);
        }
    }

    @Test
    void afterARestartBothModesStartWithTheLastProxyTheyWereTrying() {
        assertThat(new PolicyDriver(line("redundant-asymmetric"), new RedundantAsymmetricPolicy())
                .startFrom(at(0, BACKUP, BACKUP)).current).isEqualTo(at(0, BACKUP, BACKUP));
        assertThat(new PolicyDriver(line("redundant-symmetric"), new RedundantSymmetricPolicy())
                .startFrom(at(0, BACKUP, BACKUP)).current).isEqualTo(at(0, BACKUP, BACKUP));
    }

    @Test
    void aSwapFromAastraToSymmetricOnTheBackupStaysThere() {
        PolicyDriver d = new PolicyDriver(line("aastra"), new AastraPolicy()).start().registered().fail(PROXY_1)
                .registered();
        assertThat(d.current).isEqualTo(at(0, BACKUP, BACKUP));
        d.policy = new RedundantSymmetricPolicy();
        d.ask(Trigger.POLICY_SWAPPED, null).answers(PROXY_1).advance(HOLD_OFF.multipliedBy(10));
        assertThat(d.current).isEqualTo(at(0, BACKUP, BACKUP));
        assertThat(d.moves).hasSize(2);
    }

    @Test
    void aLineWithoutARedundantProxyIsRefusedNamingTheLineAndTheSetting() {
        LineConfig single = LineConfig.builder("kitchen").user("1001").policy("redundant-asymmetric")
                .server(ServerRole.PROXY, PRIMARY, ServerAddress.parse("p1.example.test")).build();
        assertThatThrownBy(() -> new RedundantAsymmetricPolicy().validate(single))
                .hasMessageContaining("line kitchen").hasMessageContaining("proxy.backup");
        assertThatThrownBy(() -> new RedundantSymmetricPolicy().validate(single))
                .hasMessageContaining("line kitchen").hasMessageContaining("proxy.backup");
    }
}
