// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.lines;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.policy.Trigger;
import org.sipfailover.testkit.osgi.Components;

/**
 * Each policy's {@code decide} on two typical inputs: the line registered at the primary and every server up (a
 * registration refreshed), and the same line when a connection reset of the primary has just been observed (the
 * failover decision). Pure functions: no I/O, no clock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyBenchmark {

    @Param({"aastra", "redundant-asymmetric", "redundant-symmetric", "dual-flow"})
    public String policy;

    private FailoverPolicy p;
    private PolicyInput steady;
    private PolicyInput failure;

    @Setup
    public void setUp() {
        p = Components.create(FailoverPolicy.class, FailoverPolicy.POLICY_NAME, policy);
        LineConfig config = Lines.config("bench", "1001", policy, Duration.ofSeconds(5));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Placement start = p.decide(
                        new PolicyInput(config, Placement.NONE, Set.of(), Map.of(), now, Trigger.START, null, false))
                .desired();
        Map<ServerRef, ServerHealth> up = new HashMap<>();
        Map<ServerRef, ServerHealth> primaryDown = new HashMap<>();
        for (ServerRef ref : config.servers().keySet()) {
            up.put(ref, new ServerHealth(ref, HealthState.UP, now.minusSeconds(60), null, null, now.minusSeconds(1)));
            primaryDown.put(
                    ref,
                    ref.rank() == Rank.PRIMARY
                            ? new ServerHealth(
                                    ref,
                                    HealthState.GREY,
                                    now,
                                    null,
                                    FailureCause.CONNECTION_RESET,
                                    now.minusSeconds(1))
                            : up.get(ref));
        }
        Set<org.sipfailover.api.policy.Binding> live = new HashSet<>(start.bindings());
        steady = new PolicyInput(config, start, live, up, now, Trigger.REGISTRATION, null, false);
        ServerRef primary = config.servers().keySet().stream()
                .filter(r -> r.rank() == Rank.PRIMARY)
                .findFirst()
                .orElseThrow();
        HealthObservation reset = HealthObservation.failure(
                primary, now, HealthObservation.Source.FLOW, FailureCause.CONNECTION_RESET, "connection reset");
        failure = new PolicyInput(config, start, Set.of(), primaryDown, now, Trigger.OBSERVATION, reset, false);
        Decision d = p.decide(failure);
        if (d.desired().equals(start) && !policy.equals("dual-flow")) {
            throw new IllegalStateException(policy + " did not move on a primary failure: " + d);
        }
    }

    @Benchmark
    public Decision steady() {
        return p.decide(steady);
    }

    @Benchmark
    public Decision primaryFailed() {
        return p.decide(failure);
    }
}
