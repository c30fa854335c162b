// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.testkit.flows.RecordingFlowManager;
import org.sipfailover.testkit.time.VirtualScheduler;

/**
 * The OPTIONS probes lines share ({@link ServerProbes}), in virtual time over a recording flow manager: one
 * flow and one OPTIONS per server and interval for any number of lines, each line hearing every answer, and a
 * late answer taken as a registrar that may have restarted with an empty table.
 */
class ServerProbesTest {

    private static final ServerRef PRIMARY_REGISTRAR = ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY);
    private static final Placement AT_PRIMARY = Placement.of(new Binding(1, Rank.PRIMARY, Rank.PRIMARY, null));
    private static final Placement AT_BACKUP = Placement.of(new Binding(1, Rank.BACKUP, Rank.BACKUP, null));

    @TempDir
    Path work;

    private final VirtualScheduler time = new VirtualScheduler();
    private final RecordingFlowManager flows = RecordingFlowManager.scripted(time);
    private final ServerProbes probes = new ServerProbes(time);
    private final List<LineRuntime> lines = new ArrayList<>();
    private PlacementStore store;

    /** Places the line where it is told and probes the primary registrar all the while (AudioCodes style). */
    private record Placed(Placement at) implements FailoverPolicy {
        @Override
        public String name() {
            return "placed";
        }

        @Override
        public Decision decide(PolicyInput input) {
            return new Decision(at, Set.of(PRIMARY_REGISTRAR), null, "the test says so");
        }
    }

    @BeforeEach
    void store() {
        store = new PlacementStore(work);
    }

    @AfterEach
    void closeStore() {
        store.close(5000);
    }

    private LineRuntime line(String user, Placement at) {
        LineConfig config = LineConfig.builder("l" + user)
                .user(user)
                .transport(Transport.TCP)
                .sipOutbound(true)
                .policy("placed")
                .probeInterval(Duration.ofSeconds(5))
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("10.0.0.1:5060"))
                .server(ServerRole.PROXY, Rank.BACKUP, ServerAddress.parse("10.0.0.2:5060"))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.parse("10.0.0.1:5060"))
                .server(ServerRole.REGISTRAR, Rank.BACKUP, ServerAddress.parse("10.0.0.2:5060"))
                .build();
        LineRuntime line = new LineRuntime.Builder(config, flows, time, store, (t, p) -> {})
                .serverProbes(probes)
                .build();
        line.start(new Placed(at));
        time.runDue();
        lines.add(line);
        return line;
    }

    private long logged(String entry) {
        return flows.log().stream().filter(entry::equals).count();
    }

    @Test
    void linesThatWatchTheSameServerShareOneFlowAndOneOptionsPerInterval() {
        for (int i = 0; i < 50; i++) {
            line("20" + i, AT_BACKUP);
        }

        time.advance(Duration.ofSeconds(10));

        assertThat(logged("open 10.0.0.1 reg-id 0")).isEqualTo(1);
        assertThat(probes.running()).isEqualTo(1);
        // the first tick opens the flow (its coming up is the first answer), the next two send OPTIONS
        assertThat(logged("probe 10.0.0.1 reg-id 0")).isEqualTo(2);
        assertThat(lines)
                .allSatisfy(l ->
                        assertThat(l.health().get(PRIMARY_REGISTRAR).state()).isEqualTo(HealthState.UP));

        // a line that comes later hears the last answer at once, with no OPTIONS of its own
        LineRuntime late = line("300", AT_BACKUP);
        assertThat(late.health().get(PRIMARY_REGISTRAR).state()).isEqualTo(HealthState.UP);
        assertThat(logged("probe 10.0.0.1 reg-id 0")).isEqualTo(2);

        // the probe ends with its last watcher
        for (LineRuntime l : lines.subList(0, lines.size() - 1)) {
            l.close(LineRuntime.Ending.DELETE);
        }
        time.runDue();
        assertThat(logged("close 10.0.0.1 reg-id 0")).isZero();
        late.close(LineRuntime.Ending.DELETE);
        time.runDue();
        assertThat(logged("close 10.0.0.1 reg-id 0")).isEqualTo(1);
        assertThat(probes.running()).isZero();
        time.advance(Duration.ofSeconds(20));
        assertThat(logged("probe 10.0.0.1 reg-id 0")).isEqualTo(2);
    }

    @Test
    void aLateAnswerSendsTheBindingsAtThatServerAgain() {
        line("201", AT_PRIMARY);
        line("202", AT_BACKUP);
        flows.flowTo("10.0.0.2").registered();
        flows.opened().stream()
                .filter(f -> f.spec().regId() == 1 && f.spec().address().host().equals("10.0.0.1"))
                .findFirst()
                .orElseThrow()
                .registered();
        time.runDue();
        time.advance(Duration.ofSeconds(10));
        assertThat(flows.log()).noneMatch(s -> s.startsWith("refresh"));

        // a registrar that restarted inside one retransmission window answers in the end, its table empty
        flows.probeRoundTrip(Duration.ofMillis(3500));
        time.advance(Duration.ofSeconds(5));

        assertThat(flows.log())
                .filteredOn(s -> s.startsWith("refresh"))
                .containsExactly("refresh sip:201@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 1");

        // answers on time again: nothing more is sent
        flows.probeRoundTrip(Duration.ofMillis(1));
        flows.log().clear();
        time.advance(Duration.ofSeconds(15));
        assertThat(flows.log()).noneMatch(s -> s.startsWith("refresh"));
    }

    @Test
    void everyRestartOfAFlappingRegistrarSendsTheBindingsAgain() {
        line("201", AT_PRIMARY);
        flows.opened().stream()
                .filter(f -> f.spec().regId() == 1)
                .findFirst()
                .orElseThrow()
                .registered();
        time.runDue();
        time.advance(Duration.ofSeconds(10));

        // three outages in a row, two probes answered late in each: the late answers must not become the
        // usual round trip (a smoothed average of them would, by the fourth)
        for (int i = 0; i < 3; i++) {
            flows.probeRoundTrip(Duration.ofMillis(1200));
            time.advance(Duration.ofSeconds(10));
            flows.probeRoundTrip(Duration.ofMillis(1));
            time.advance(Duration.ofSeconds(10));
        }

        assertThat(flows.log()).filteredOn(s -> s.startsWith("refresh")).hasSize(6);
    }

    @Test
    void anAnswerIsLateOnlyWhenFarSlowerThanTheServersUsualRoundTripAndThanASecond() {
        assertThat(ServerProbes.late(Duration.ofMillis(3500), null)).isTrue();
        assertThat(ServerProbes.late(Duration.ofMillis(900), null)).isFalse();
        // a server that is always slow is not late for being slow
        assertThat(ServerProbes.late(Duration.ofMillis(1500), Duration.ofMillis(1200)))
                .isFalse();
        assertThat(ServerProbes.late(Duration.ofMillis(1500), Duration.ofMillis(2)))
                .isTrue();
        assertThat(ServerProbes.late(Duration.ofSeconds(5), Duration.ofMillis(1200)))
                .isTrue();
    }
}
