// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.lines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.lines.embed.EmbeddedLine;
import org.sipfailover.lines.embed.LineEnding;
import org.sipfailover.lines.embed.LineFactory;
import org.sipfailover.testkit.flows.RecordingFlowManager;
import org.sipfailover.testkit.time.VirtualScheduler;

/**
 * One transition of a line, end to end in virtual time: a forced decision moves the line between the primary
 * and the backup (alternately), the reconciler opens or reuses the flow, registers the new binding, gets the 200
 * from {@link RecordingFlowManager#instant}, unregisters the old one, writes the placement (atomically, to a
 * temporary folder on disk: {@code store=disk}, or to a folder in tmpfs {@code /dev/shm} when present:
 * {@code store=shm}) and publishes its events to a sink that drops them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReconcileBenchmark {

    private static final Placement PRIMARY = Placement.of(new Binding(1, Rank.PRIMARY, Rank.PRIMARY, null));
    private static final Placement BACKUP = Placement.of(new Binding(1, Rank.BACKUP, Rank.BACKUP, null));

    @Param({"disk", "shm"})
    public String store;

    private final VirtualScheduler time = new VirtualScheduler();
    private Path dir;
    private LineFactory lines;
    private EmbeddedLine line;
    private final Steered policy = new Steered();

    /** Places the line where the benchmark says. */
    private static final class Steered implements FailoverPolicy {
        volatile Placement next = PRIMARY;

        @Override
        public String name() {
            return "steered";
        }

        @Override
        public Decision decide(PolicyInput input) {
            return new Decision(
                    next,
                    next.equals(PRIMARY) ? Set.of() : Set.of(ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY)),
                    null,
                    "the benchmark says so");
        }
    }

    @Setup
    public void setUp() throws IOException {
        Path shm = Path.of("/dev/shm");
        dir = store.equals("shm") && Files.isDirectory(shm)
                ? Files.createTempDirectory(shm, "reconcile")
                : Files.createTempDirectory("reconcile");
        lines = LineFactory.open(dir);
        line = lines.create(
                Lines.config("bench", "1001", "steered", Duration.ofSeconds(2)),
                RecordingFlowManager.instant(time),
                () -> null,
                time,
                (topic, props) -> {});
        line.start(policy);
        time.runDue();
        if (!line.isRegistered()) {
            throw new IllegalStateException("the line did not register: " + line.placement());
        }
    }

    @Benchmark
    public Placement transition() {
        policy.next = policy.next.equals(PRIMARY) ? BACKUP : PRIMARY;
        line.forceFailover();
        time.runDue();
        return line.placement();
    }

    @TearDown
    public void tearDown() throws Exception {
        line.close(LineEnding.HAND_OVER);
        time.runDue();
        lines.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }
}
