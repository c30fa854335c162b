// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * {@link SipFailover} against a real Kamailio registrar on 127.0.0.1: a line added to it registers, and both
 * {@link Line#close()} and {@link SipFailover#close()} remove its binding before they return. Where the line is
 * bound is read from the registrar's location table.
 */
@RealServers
class SipFailoverTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path work;

    private Kamailio registrar;
    private SipFailover sipFailover;
    private final List<String> topics = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        registrar = Kamailio.start(KamailioConfig.builder().address("127.0.0.1").build(), work.resolve("registrar"));
        sipFailover = SipFailover.builder()
                .dataDirectory(work.resolve("data"))
                .localAddress("127.0.0.1")
                .onEvent((topic, properties) -> topics.add(topic + " " + properties.get(LineEvents.LINE_ID)))
                .build();
    }

    @AfterEach
    void stop() {
        if (sipFailover != null) {
            sipFailover.close();
        }
        if (registrar != null) {
            registrar.close();
        }
    }

    @Test
    void aLineRegistersAndClosingSipFailoverUnregistersIt() {
        Line line = sipFailover.addLine(config("a", "1001", "aastra"));

        // the status is a snapshot published when the lane is done with a task, the event a moment apart
        Poll.until(
                DEADLINE,
                () -> registrar.bindings("1001@127.0.0.1").size() == 1
                        && line.isRegistered()
                        && topics.contains(LineEvents.TOPIC_REGISTERED + " a"),
                () -> "a binding at the registrar and a REGISTERED event; events " + topics);
        assertThat(sipFailover.lines()).containsExactly(line);
        assertThat(line.policyName()).isEqualTo("aastra");

        sipFailover.close();

        assertThat(registrar.bindings("1001@127.0.0.1")).isEmpty();
        assertThat(sipFailover.lines()).isEmpty();
        assertThatThrownBy(() -> sipFailover.addLine(config("b", "1002", "aastra")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aClosedLineIsUnregisteredAndGoneWhileTheOthersStay() {
        Line one = sipFailover.addLine(config("one", "1001", "redundant-asymmetric"));
        Line two = sipFailover.addLine(config("two", "1002", "redundant-asymmetric"));
        Poll.until(
                DEADLINE,
                () -> one.isRegistered()
                        && two.isRegistered()
                        && registrar.bindings("1001@127.0.0.1").size() == 1
                        && registrar.bindings("1002@127.0.0.1").size() == 1,
                () -> "both lines bound; events " + topics);

        one.close();

        assertThat(registrar.bindings("1001@127.0.0.1")).isEmpty();
        assertThat(registrar.bindings("1002@127.0.0.1")).hasSize(1);
        assertThat(sipFailover.lines()).containsExactly(two);
        assertThatThrownBy(() -> one.swapPolicy("redundant-symmetric")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void policiesAreChosenByNameAndAnUnknownNameIsRefused() {
        Line line = sipFailover.addLine(config("p", "1001", "redundant-asymmetric"));
        Poll.until(DEADLINE, line::isRegistered, () -> "registered; events " + topics);

        line.swapPolicy("redundant-symmetric");

        Poll.until(DEADLINE, () -> line.policyName().equals("redundant-symmetric"), () -> "the swap");
        assertThat(line.isRegistered()).isTrue();
        assertThatThrownBy(() -> line.swapPolicy("nokia"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nokia")
                .hasMessageContaining("aastra");
        assertThatThrownBy(() -> sipFailover.addLine(config("q", "1003", "nokia")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nokia");
        assertThatThrownBy(() -> sipFailover.addLine(config("p", "1004", "aastra")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'p'");
    }

    @Test
    void reconfigureAppliesANewPolicyInPlaceAndANewUserByStartingTheLineAgain() {
        Line line = sipFailover.addLine(config("r", "1001", "redundant-asymmetric"));
        Poll.until(
                DEADLINE,
                () -> line.isRegistered()
                        && registrar.bindings("1001@127.0.0.1").size() == 1,
                () -> "registered; events " + topics);

        line.reconfigure(config("r", "1001", "redundant-symmetric"));

        Poll.until(DEADLINE, () -> line.policyName().equals("redundant-symmetric"), () -> "the new policy");
        assertThat(line.isRegistered()).isTrue();

        line.reconfigure(config("r", "1005", "redundant-symmetric"));

        // the old binding is removed before the line starts again
        assertThat(registrar.bindings("1001@127.0.0.1")).isEmpty();
        Poll.until(
                DEADLINE,
                () -> line.isRegistered()
                        && registrar.bindings("1005@127.0.0.1").size() == 1,
                () -> "the new user bound; events " + topics);
        assertThat(line.config().user()).isEqualTo("1005");
        assertThatThrownBy(() -> line.reconfigure(config("other", "1005", "aastra")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other");
    }

    /** A line with the registrar as primary and an address nobody answers at as backup, short timers. */
    private LineConfig config(String id, String user, String policy) {
        ServerAddress primary = new ServerAddress("127.0.0.1", registrar.port(), null);
        ServerAddress backup = new ServerAddress("127.0.0.2", registrar.port(), null);
        return LineConfig.builder(id)
                .user(user)
                .server(ServerRole.PROXY, Rank.PRIMARY, primary)
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, primary)
                .server(ServerRole.PROXY, Rank.BACKUP, backup)
                .server(ServerRole.REGISTRAR, Rank.BACKUP, backup)
                .transport(Transport.UDP)
                .sipOutbound(!policy.startsWith("redundant-"))
                .policy(policy)
                .keepAliveInterval(Duration.ofSeconds(5))
                .pongTimeout(Duration.ofSeconds(2))
                .probeInterval(Duration.ofSeconds(5))
                .registrationPeriod(Duration.ofSeconds(300))
                .registrationRetry(Duration.ofSeconds(5))
                .registrationTimeoutRetry(Duration.ofSeconds(5))
                .recovery(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60))
                .failback(FailbackMode.IMMEDIATE, Duration.ofSeconds(10), Duration.ofSeconds(3600), true)
                .build();
    }
}
