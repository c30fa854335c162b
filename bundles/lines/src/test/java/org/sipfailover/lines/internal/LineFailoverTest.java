// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.sip.SipMessage;
import org.sipfailover.testkit.sip.Sipp;

/**
 * Lines against two real Kamailio registrars (primary 127.0.0.1, backup 127.0.0.2): what goes with a failover
 * besides the binding (subscriptions that move: a notifier's NOTIFYs reach the line through the backup), what
 * sets the policies apart, a policy swap on a registered line, and a line restarted where it was. Where a line
 * is bound is read from the registrars' location tables. {@link LineFaultMatrixTest} runs every policy
 * through every fault.
 */
@RealServers
class LineFailoverTest {

    private static final Duration FAILOVER = Duration.ofSeconds(20);
    private static final String VOICEMAIL = "sip:vm@example.test";

    @TempDir
    Path work;

    private TwoRegistrars registrars;
    private LineHarness harness;
    private Sipp notifier;

    @BeforeEach
    void start() throws Exception {
        registrars = new TwoRegistrars(work);
        harness = new LineHarness(work);
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
        if (notifier != null) {
            notifier.close();
        }
        registrars.close();
    }

    private static Binding binding(int regId, Rank proxy, Rank registrar) {
        return new Binding(regId, proxy, registrar, null);
    }

    private void awaitBoundAt(Rank registrar, Rank proxy, LineRuntime line) {
        Poll.until(
                FAILOVER,
                () -> registrars.bindings(registrar, proxy).size() == 1,
                () -> "a binding of the " + proxy + " AOR at the " + registrar + " registrar; line " + line
                        + " transitions " + line.transitions() + " health " + line.health());
    }

    private void awaitUnbound(Rank registrar, Rank proxy, LineRuntime line) {
        Poll.until(
                FAILOVER,
                () -> registrars.bindings(registrar, proxy).isEmpty(),
                () -> "no binding of the " + proxy + " AOR at the " + registrar + " registrar; line " + line + "\n"
                        + registrars.of(registrar).logTail(60));
    }

    /** A notifier for the voicemail box, reachable through both registrars. */
    private void voicemail(Transport t) throws Exception {
        notifier = Sipp.uas(
                Sipp.scenario("subscribe-notify.xml", work),
                "127.0.0.1",
                0,
                t == Transport.TCP ? "t1" : "u1",
                work.resolve("sipp"),
                Map.of("content_type", "application/simple-message-summary", "body", "Messages-Waiting: yes"));
        for (Rank r : Rank.values()) {
            voicemailAt(r, t);
        }
    }

    /** Makes the notifier reachable through one registrar (again, after a restart emptied its memory). */
    private void voicemailAt(Rank registrar, Transport t) {
        registrars
                .of(registrar)
                .rpc(
                        "ul.add",
                        "location",
                        "vm@example.test",
                        "sip:vm@127.0.0.1:" + notifier.port() + (t == Transport.TCP ? ";transport=tcp" : ""),
                        "3600",
                        "1.0",
                        "s:0",
                        "0",
                        "0",
                        "0");
    }

    /** Whether a NOTIFY the notifier sent through the registrar at {@code address} was answered 200 by the line. */
    private boolean notifyAnsweredThrough(String address) {
        List<SipMessage> got = notifier.messages();
        List<String> callIds = got.stream()
                .filter(m -> m.isRequest()
                        && "SUBSCRIBE".equals(m.method())
                        && m.header("Via").orElse("").contains(address))
                .map(m -> m.header("Call-ID").orElse(""))
                .toList();
        return got.stream()
                .anyMatch(m -> !m.isRequest()
                        && "NOTIFY".equals(m.method())
                        && m.statusCode() == 200
                        && callIds.contains(m.header("Call-ID").orElse("?")));
    }

    /**
     * Aastra, SIP outbound on, backup proxy and registrar (seed 000/003): kill -9 of the primary moves the
     * registration and the subscriptions to the backup; when the primary is back, the primary AOR is
     * registered there again, the subscriptions come back and the backup binding is removed.
     */
    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"UDP", "TCP"})
    void aastraOutboundOnKillDashNineOfThePrimaryMovesRegistrationAndSubscriptionsToTheBackupAndBack(Transport t)
            throws Exception {
        voicemail(t);
        LineConfig config = registrars
                .line("l1", t, "aastra", true)
                .subscription(new SubscriptionConfig(SubscriptionKind.MWI, VOICEMAIL, Duration.ofSeconds(300)))
                .build();
        LineRuntime line = harness.start(config, Policies.named("aastra"));

        awaitBoundAt(Rank.PRIMARY, Rank.PRIMARY, line);
        assertThat(registrars.bindings(Rank.PRIMARY, Rank.PRIMARY).get(0).regId())
                .isEqualTo(1);
        Poll.until(
                FAILOVER,
                () -> notifyAnsweredThrough(TwoRegistrars.PRIMARY_ADDRESS),
                () -> "a NOTIFY through the primary answered; notifier got " + notifier.messages());

        registrars.primary.kill();

        awaitBoundAt(Rank.BACKUP, Rank.BACKUP, line);
        Poll.until(
                FAILOVER,
                () -> notifyAnsweredThrough(TwoRegistrars.BACKUP_ADDRESS),
                () -> "a NOTIFY through the backup answered; notifier got " + notifier.messages());
        assertThat(line.placement()).isEqualTo(Placement.of(binding(1, Rank.BACKUP, Rank.BACKUP)));
        assertThat(line.health()
                        .get(ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY))
                        .state())
                .isIn(HealthState.GREY, HealthState.BLACK);

        registrars.primary.restart();
        voicemailAt(Rank.PRIMARY, t);

        awaitBoundAt(Rank.PRIMARY, Rank.PRIMARY, line);
        awaitUnbound(Rank.BACKUP, Rank.BACKUP, line);
        Poll.until(
                FAILOVER,
                () -> line.placement().equals(Placement.of(binding(1, Rank.PRIMARY, Rank.PRIMARY)))
                        && line.isRegistered(),
                () -> "back on the primary; " + line.transitions());
        assertThat(harness.events(LineEvents.TOPIC_TRANSITION)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(line.transitions())
                .extracting(tr -> tr.to())
                .contains(
                        Placement.of(binding(1, Rank.BACKUP, Rank.BACKUP)),
                        Placement.of(binding(1, Rank.PRIMARY, Rank.PRIMARY)));
    }
    /**
     * AudioCodes symmetric mode (mode 1): the line switches only when the proxy it is on fails, and never
     * returns while the current one works, even long after the primary is back.
     */
    @org.junit.jupiter.api.Test
    void redundantSymmetricStaysOnTheBackupWhileItWorksAndMovesOnlyWhenItFails() throws Exception {
        LineConfig config = registrars
                .line("l4", Transport.TCP, "redundant-symmetric", false)
                .build();
        LineRuntime line = harness.start(config, Policies.named("redundant-symmetric"));
        awaitBoundAt(Rank.PRIMARY, Rank.PRIMARY, line);

        registrars.primary.kill();
        awaitBoundAt(Rank.BACKUP, Rank.BACKUP, line);
        registrars.primary.restart();
        // the primary is back: well past the hold-off and a few keep-alive periods, the line is still on the backup
        java.time.Instant back = java.time.Instant.now();
        Poll.until(
                FAILOVER,
                () -> Duration.between(back, java.time.Instant.now())
                                        .compareTo(config.failbackHoldOff()
                                                .plus(config.probeInterval().multipliedBy(3)))
                                > 0
                        || !line.placement().equals(Placement.of(binding(0, Rank.BACKUP, Rank.BACKUP))),
                () -> "the hold-off and three probe periods");
        assertThat(line.placement()).isEqualTo(Placement.of(binding(0, Rank.BACKUP, Rank.BACKUP)));
        assertThat(registrars.bindings(Rank.BACKUP, Rank.BACKUP)).hasSize(1);

        registrars.backup.kill();
        awaitBoundAt(Rank.PRIMARY, Rank.PRIMARY, line);
    }

    /**
     * Dual flow: the line is registered through both registrars at once (reg-id 1 and 2); kill -9 of the
     * primary costs no binding at all: the backup's stays in place all along, and new work moves to it.
     */
    @org.junit.jupiter.api.Test
    void dualFlowLosesNoBindingWhenThePrimaryDies() throws Exception {
        LineRuntime line = harness.start(
                registrars.line("l7", Transport.TCP, "dual-flow", true).build(), Policies.named("dual-flow"));
        awaitBoundAt(Rank.PRIMARY, Rank.PRIMARY, line);
        Poll.until(
                FAILOVER,
                () -> registrars.bindings(Rank.BACKUP, Rank.PRIMARY).size() == 1,
                () -> "the second binding, through the backup; " + line.placement());
        assertThat(registrars.bindings(Rank.BACKUP, Rank.PRIMARY).get(0).regId())
                .isEqualTo(2);
        Binding second = line.placement().bindings().get(1);

        registrars.primary.kill();
        int[] gaps = {0};
        Poll.until(
                FAILOVER,
                () -> {
                    if (registrars.bindings(Rank.BACKUP, Rank.PRIMARY).isEmpty()) {
                        gaps[0]++;
                    }
                    return line.placement().activeBinding().orElseThrow().equals(second);
                },
                () -> "new work on the second flow; " + line.placement() + " " + line.transitions());
        assertThat(gaps[0]).isZero();
        assertThat(line.placement().bindings()).hasSize(2);

        registrars.primary.restart();
        awaitBoundAt(Rank.PRIMARY, Rank.PRIMARY, line);
        assertThat(registrars.bindings(Rank.BACKUP, Rank.PRIMARY)).hasSize(1);
    }

    /**
     * Swapping the policy of a registered line hands the new one the placement and health: no REGISTER is
     * sent when it keeps the placement; and the placement that follows is the new policy's (symmetric stays
     * on the backup where aastra would have returned).
     */
    @org.junit.jupiter.api.Test
    void swappingThePolicyLosesNoBindingAndTheNewPolicyDecidesWhatFollows() throws Exception {
        LineConfig config =
                registrars.line("l8", Transport.TCP, "aastra", false).build();
        LineRuntime line = harness.start(config, Policies.named("aastra"));
        awaitBoundAt(Rank.PRIMARY, Rank.PRIMARY, line);
        long cseq = registrars.bindings(Rank.PRIMARY, Rank.PRIMARY).get(0).cseq();
        int transitions = line.transitions().size();

        line.swapPolicy(Policies.named("redundant-symmetric"));
        Poll.until(FAILOVER, () -> line.policyName().equals("redundant-symmetric"), () -> "the swap");
        // the swap itself: the same placement, so no REGISTER (the binding's CSeq has not moved)
        assertThat(line.placement()).isEqualTo(Placement.of(binding(0, Rank.PRIMARY, Rank.PRIMARY)));
        assertThat(registrars.bindings(Rank.PRIMARY, Rank.PRIMARY))
                .singleElement()
                .satisfies(b -> assertThat(b.cseq()).isEqualTo(cseq));
        registrars.primary.kill();
        awaitBoundAt(Rank.BACKUP, Rank.BACKUP, line);
        assertThat(line.transitions()).hasSize(transitions + 1);

        registrars.primary.restart();
        java.time.Instant back = java.time.Instant.now();
        Poll.until(
                FAILOVER,
                () -> Duration.between(back, java.time.Instant.now())
                                .compareTo(config.failbackHoldOff()
                                        .plus(config.probeInterval().multipliedBy(3)))
                        > 0,
                () -> "the hold-off and three probe periods");
        assertThat(line.placement()).isEqualTo(Placement.of(binding(0, Rank.BACKUP, Rank.BACKUP)));
    }

    /**
     * The placement survives a restart (AudioCodes: "registers to the last proxy to which it was trying"):
     * a line that was on the backup starts there again.
     */
    @org.junit.jupiter.api.Test
    void aRestartedLineStartsWhereItWas() throws Exception {
        LineConfig config = registrars
                .line("l9", Transport.UDP, "redundant-symmetric", false)
                .build();
        LineRuntime line = harness.start(config, Policies.named("redundant-symmetric"));
        awaitBoundAt(Rank.PRIMARY, Rank.PRIMARY, line);
        registrars.primary.kill();
        awaitBoundAt(Rank.BACKUP, Rank.BACKUP, line);
        line.close(LineRuntime.Ending.HAND_OVER).toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
        registrars.primary.restart();

        LineRuntime again = harness.start(config, Policies.named("redundant-symmetric"));
        Poll.until(FAILOVER, again::isRegistered, () -> "registered again; " + again.transitions());
        assertThat(again.placement()).isEqualTo(Placement.of(binding(0, Rank.BACKUP, Rank.BACKUP)));
        assertThat(registrars.bindings(Rank.PRIMARY, Rank.PRIMARY)).isEmpty();
    }
}
