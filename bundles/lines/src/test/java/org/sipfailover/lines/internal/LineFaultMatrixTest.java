// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.sip.Kamailio;

/**
 * Every policy, over UDP and TCP, against the same real faults of two Kamailio registrars (primary
 * 127.0.0.1, backup 127.0.0.2): kill -9 then a restart, SIGSTOP then SIGCONT, both down then one back, and
 * a primary that flaps faster than the failback hold-off. Where the line is bound is read from the
 * registrars' location tables after each step; what each policy must do:
 *
 * <ul>
 * <li>{@code aastra} (SIP outbound on) and {@code redundant-asymmetric} (off): to the backup AOR at the
 *     backup, back to the primary once it has stayed up for the hold-off;
 * <li>{@code redundant-symmetric}: to the backup, and it stays there while the backup works;
 * <li>{@code dual-flow}: both bindings from the start (the primary AOR at both registrars); a fault costs
 *     none of the backup's, and the primary's comes back with the primary.
 * </ul>
 */
@RealServers
class LineFaultMatrixTest {

    private static final Duration STEP = Duration.ofSeconds(25);
    private static final String PRIMARY_AOR = TwoRegistrars.aor(Rank.PRIMARY);
    private static final String BACKUP_AOR = TwoRegistrars.aor(Rank.BACKUP);

    enum Fault {
        KILL,
        SIGSTOP
    }

    @TempDir
    Path work;

    private TwoRegistrars registrars;
    private LineHarness harness;

    static List<Arguments> policiesAndTransports() {
        List<Arguments> out = new ArrayList<>();
        for (String policy : List.of("aastra", "redundant-asymmetric", "redundant-symmetric", "dual-flow")) {
            for (Transport t : List.of(Transport.UDP, Transport.TCP)) {
                out.add(Arguments.of(policy, t));
            }
        }
        return out;
    }

    static List<Arguments> faults() {
        List<Arguments> out = new ArrayList<>();
        for (Arguments a : policiesAndTransports()) {
            for (Fault f : Fault.values()) {
                out.add(Arguments.of(a.get()[0], a.get()[1], f));
            }
        }
        return out;
    }

    @BeforeEach
    void start() throws Exception {
        registrars = new TwoRegistrars(work);
        harness = new LineHarness(work);
    }

    @AfterEach
    void stop() {
        harness.close();
        registrars.close();
    }

    private LineRuntime line(String policy, Transport t) {
        return line(policy, t, Duration.ofSeconds(3));
    }

    /** @param holdOff how long a returned primary must stay up before the line goes back to it */
    private LineRuntime line(String policy, Transport t, Duration holdOff) {
        boolean outbound = !policy.startsWith("redundant");
        LineConfig config = registrars
                .line("m", t, policy, outbound)
                .failback(FailbackMode.IMMEDIATE, holdOff, Duration.ofSeconds(60), true)
                .build();
        LineRuntime line = harness.start(config, Policies.named(policy));
        await(() -> bound(Rank.PRIMARY, PRIMARY_AOR) && line.isRegistered(), "registered at the primary", line);
        if (policy.equals("dual-flow")) {
            await(() -> bound(Rank.BACKUP, PRIMARY_AOR), "the second binding, at the backup", line);
        }
        return line;
    }

    private boolean bound(Rank registrar, String aor) {
        Kamailio k = registrars.of(registrar);
        return k.isAlive() && k.bindings(aor).size() == 1;
    }

    private void await(BooleanSupplier condition, String what, LineRuntime line) {
        Poll.until(
                STEP,
                condition,
                () -> what + "; line " + line + ", transitions " + line.transitions() + ", health " + line.health());
    }

    /** Where the line must be bound once the primary is gone. */
    private void awaitFailedOver(String policy, LineRuntime line) {
        if (policy.equals("dual-flow")) {
            await(
                    () -> bound(Rank.BACKUP, PRIMARY_AOR)
                            && line.placement().activeBinding().orElseThrow().regId() == 2,
                    "new work over reg-id 2",
                    line);
        } else {
            await(() -> bound(Rank.BACKUP, BACKUP_AOR) && line.isRegistered(), "registered at the backup", line);
        }
    }

    /** Where the line must be bound once the primary is back (and has stayed up). */
    private void awaitPrimaryBack(String policy, LineRuntime line) {
        switch (policy) {
            case "redundant-symmetric" -> {
                // the primary is up again, yet the line stays where it works: past the hold-off and some probes
                ServerRef primary = ServerRef.of(ServerRole.PROXY, Rank.PRIMARY);
                Instant back = Instant.now();
                await(
                        () -> Duration.between(back, Instant.now()).compareTo(Duration.ofSeconds(6)) > 0
                                || !bound(Rank.BACKUP, BACKUP_AOR),
                        "six seconds with the primary back",
                        line);
                assertThat(bound(Rank.BACKUP, BACKUP_AOR)).isTrue();
                assertThat(bound(Rank.PRIMARY, PRIMARY_AOR)).isFalse();
                assertThat(line.health().get(primary)).isNotNull();
            }
            case "dual-flow" ->
                await(
                        () -> bound(Rank.PRIMARY, PRIMARY_AOR)
                                && bound(Rank.BACKUP, PRIMARY_AOR)
                                && line.isRegistered(),
                        "both bindings again",
                        line);
            default -> {
                await(() -> bound(Rank.PRIMARY, PRIMARY_AOR) && line.isRegistered(), "back at the primary", line);
                await(() -> !bound(Rank.BACKUP, BACKUP_AOR), "the backup binding removed", line);
            }
        }
    }

    @ParameterizedTest(name = "{0} over {1}: {2} of the primary, then it returns")
    @MethodSource("faults")
    void thePrimaryFailsAndReturns(String policy, Transport t, Fault fault) throws Exception {
        LineRuntime line = line(policy, t);

        if (fault == Fault.KILL) {
            registrars.primary.kill();
        } else {
            registrars.primary.pause();
        }
        awaitFailedOver(policy, line);
        if (fault == Fault.KILL) {
            registrars.primary.restart();
        } else {
            registrars.primary.resume();
        }
        awaitPrimaryBack(policy, line);
    }

    @org.junit.jupiter.api.Test
    void aPrimaryThatRestartsEmptyBetweenTwoRetransmissionsOfAProbeGetsTheBindingAgain() throws Exception {
        // redundant-asymmetric over UDP without SIP outbound: no keep-alive, the primary probed every second
        LineRuntime line = line("redundant-asymmetric", Transport.UDP);
        int transitions = line.transitions().size();

        registrars.primary.kill();
        // the outage lasts until a probe has gone out into it and been sent again (T1, 0.5 s, later): caught on
        // the dead registrar's port, unanswered; its next retransmission (1 s later, within the 8 s of the
        // transaction) reaches the restarted registrar, an answer more than a second late
        awaitOptionsAt(registrars.primary.socketAddress(), 2);
        registrars.primary.restart();

        // the table is empty and nothing failed as the line sees it: only the late answer tells
        await(() -> bound(Rank.PRIMARY, PRIMARY_AOR), "the binding at the restarted primary again", line);
        assertThat(line.transitions()).hasSize(transitions);
        assertThat(line.placement().activeBinding().orElseThrow().registrar()).isEqualTo(Rank.PRIMARY);
    }

    /** Binds the UDP port of a dead registrar until {@code count} OPTIONS requests arrived there (or the step's deadline). */
    private static void awaitOptionsAt(java.net.InetSocketAddress registrar, int count) throws java.io.IOException {
        int seen = 0;
        Instant deadline = Instant.now().plus(STEP);
        // the registrar's worker processes let go of the port a moment after the main one died
        java.net.DatagramSocket[] bound = new java.net.DatagramSocket[1];
        Poll.until(
                STEP,
                () -> {
                    try {
                        bound[0] = new java.net.DatagramSocket(registrar);
                        return true;
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                },
                () -> "the dead registrar's port " + registrar + " to be free");
        try (java.net.DatagramSocket s = bound[0]) {
            byte[] buf = new byte[65535];
            while (Instant.now().isBefore(deadline)) {
                s.setSoTimeout((int)
                        Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
                java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (java.net.SocketTimeoutException e) {
                    break;
                }
                if (new String(p.getData(), 0, p.getLength(), java.nio.charset.StandardCharsets.UTF_8)
                                .startsWith("OPTIONS ")
                        && ++seen == count) {
                    return;
                }
            }
        }
        throw new AssertionError(seen + " of " + count + " OPTIONS reached " + registrar + " within " + STEP);
    }

    @ParameterizedTest(name = "{0} over {1}: the backup falls silent while the returned primary waits out its hold-off")
    @MethodSource("homingPoliciesAndTransports")
    void theBackupFallsSilentWhileTheReturnedPrimaryWaitsOutItsHoldOff(String policy, Transport t) throws Exception {
        // a hold-off far longer than the steps below: the line may go back only because the backup failed
        Duration holdOff = Duration.ofSeconds(60);
        boolean outbound = !policy.startsWith("redundant");
        LineConfig config = registrars
                .line("m", t, policy, outbound)
                .failback(FailbackMode.IMMEDIATE, holdOff, Duration.ofSeconds(60), true)
                .transactionTimeout(Duration.ofMillis(1500))
                .build();
        LineRuntime line = harness.start(config, Policies.named(policy));
        await(() -> bound(Rank.PRIMARY, PRIMARY_AOR) && line.isRegistered(), "registered at the primary", line);
        registrars.primary.kill();
        awaitFailedOver(policy, line);
        registrars.primary.restart();
        ServerRef primary = ServerRef.of(ServerRole.PROXY, Rank.PRIMARY);
        await(
                () -> line.health().get(primary) != null
                        && line.health().get(primary).state() == HealthState.UP,
                "the primary seen up again",
                line);

        registrars.backup.pause();
        try {
            // within the step (25 s), well within the hold-off: the line did not wait it out, bound nowhere
            await(() -> bound(Rank.PRIMARY, PRIMARY_AOR) && line.isRegistered(), "back at the primary", line);
        } finally {
            registrars.backup.resume();
        }
    }

    static List<Arguments> homingPoliciesAndTransports() {
        return policiesAndTransports().stream()
                .filter(a -> !a.get()[0].equals("dual-flow") && !a.get()[0].equals("redundant-symmetric"))
                .toList();
    }

    @ParameterizedTest(name = "{0} over {1}: both down, then the backup, then the primary")
    @MethodSource("policiesAndTransports")
    void bothDownThenOneBackThenTheOther(String policy, Transport t) throws Exception {
        LineRuntime line = line(policy, t);

        registrars.primary.kill();
        registrars.backup.kill();
        await(() -> !line.isRegistered(), "the line to see it lost its registrars", line);

        registrars.backup.restart();
        if (policy.equals("dual-flow")) {
            await(() -> bound(Rank.BACKUP, PRIMARY_AOR), "the binding at the backup again", line);
        } else {
            await(() -> bound(Rank.BACKUP, BACKUP_AOR), "registered at the backup", line);
        }
        registrars.primary.restart();
        awaitPrimaryBack(policy, line);
    }

    @ParameterizedTest(name = "{0} over {1}: a primary flapping faster than the hold-off")
    @MethodSource("policiesAndTransports")
    void aFlappingPrimaryDoesNotMakeTheLineFlap(String policy, Transport t) throws Exception {
        // longer than the line needs to see the primary gone (a keep-alive or probe period and its deadline)
        LineRuntime line = line(policy, t, Duration.ofSeconds(8));
        registrars.primary.kill();
        awaitFailedOver(policy, line);
        int transitions = line.transitions().size();
        ServerRef primary =
                ServerRef.of(policy.startsWith("redundant") ? ServerRole.PROXY : ServerRole.REGISTRAR, Rank.PRIMARY);

        for (int i = 0; i < 2; i++) {
            registrars.primary.restart();
            if (policy.equals("redundant-symmetric")) {
                // it watches only the proxy in use: the primary's comings and goings are not its business
                registrars.primary.kill();
                continue;
            }
            await(
                    () -> line.health().get(primary) != null
                            && line.health().get(primary).state() == HealthState.UP,
                    "the line to see the primary up",
                    line);
            registrars.primary.kill();
            await(() -> line.health().get(primary).state() != HealthState.UP, "the line to see it gone again", line);
        }
        if (!policy.equals("dual-flow")) {
            // no return while the primary never stayed up for the hold-off
            assertThat(line.transitions()).hasSize(transitions);
            assertThat(bound(Rank.BACKUP, BACKUP_AOR)).isTrue();
        } else {
            assertThat(bound(Rank.BACKUP, PRIMARY_AOR)).isTrue();
        }
        registrars.primary.restart();
        awaitPrimaryBack(policy, line);
    }
}
