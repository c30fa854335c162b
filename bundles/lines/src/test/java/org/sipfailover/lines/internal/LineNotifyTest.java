// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.line.DialogInfo;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.MessageSummary;
import org.sipfailover.api.line.SubscriptionState;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.sip.Sipp;

/**
 * A registered line's MWI and BLF subscriptions, routed by a real Kamailio to scripted notifiers (sipp): the
 * host sees each NOTIFY's state and parsed body through {@link LineRuntime#subscriptions()} and the NOTIFY
 * events, up to the notifier ending the subscriptions.
 */
@RealServers
class LineNotifyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String VOICEMAIL = "sip:vm@example.test";
    private static final String EXTENSION = "sip:1002@example.test";

    @TempDir
    Path work;

    private TwoRegistrars registrars;
    private LineHarness harness;
    private Sipp mailbox;
    private Sipp extension;

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
        for (Sipp s : new Sipp[] {mailbox, extension}) {
            if (s != null) {
                s.close();
            }
        }
        registrars.close();
    }

    /** A notifier running one of this package's scenarios, reachable as {@code aor} through the primary. */
    private Sipp notifier(String scenario, String aor) throws IOException {
        Path xml = work.resolve(scenario);
        try (InputStream in = LineNotifyTest.class.getResourceAsStream(scenario)) {
            Files.copy(in, xml);
        }
        Sipp sipp = Sipp.uas(xml, "127.0.0.1", 0, "u1", work.resolve("sipp-" + scenario), Map.of());
        registrars.primary.rpc(
                "ul.add",
                "location",
                aor,
                "sip:" + aor.substring(0, aor.indexOf('@')) + "@127.0.0.1:" + sipp.port(),
                "3600",
                "1.0",
                "s:0",
                "0",
                "0",
                "0");
        return sipp;
    }

    private static SubscriptionState of(List<SubscriptionState> states, SubscriptionKind kind) {
        return states.stream().filter(s -> s.kind() == kind).findFirst().orElse(null);
    }

    private List<LineHarness.Posted> notifies(SubscriptionKind kind, String state) {
        return harness.events(LineEvents.TOPIC_NOTIFY).stream()
                .filter(e -> kind.name().equals(e.properties().get(LineEvents.KIND))
                        && state.equals(e.properties().get(LineEvents.STATE)))
                .toList();
    }

    @Test
    void theHostSeesEachNotifyParsedAndThenTheEnd() throws Exception {
        mailbox = notifier("notify-message-summary.xml", "vm@example.test");
        extension = notifier("notify-dialog-info.xml", "1002@example.test");
        LineConfig config = registrars
                .line("l1", Transport.UDP, "aastra", false)
                .subscription(new SubscriptionConfig(SubscriptionKind.MWI, VOICEMAIL, Duration.ofSeconds(300)))
                .subscription(new SubscriptionConfig(SubscriptionKind.BLF, EXTENSION, Duration.ofSeconds(300)))
                .build();
        LineRuntime line = harness.start(config, Policies.named("aastra"));

        Poll.until(
                DEADLINE,
                () -> notifies(SubscriptionKind.MWI, "active").size() == 1
                        && notifies(SubscriptionKind.BLF, "active").size() == 1,
                () -> "an active NOTIFY of each subscription; events " + harness.events + "; mailbox got "
                        + mailbox.messages() + "; extension got " + extension.messages());
        Map<String, Object> mwi =
                notifies(SubscriptionKind.MWI, "active").get(0).properties();
        assertThat(mwi)
                .containsEntry(LineEvents.LINE_ID, "l1")
                .containsEntry(LineEvents.TARGET, VOICEMAIL)
                .containsEntry(LineEvents.CONTENT_TYPE, "application/simple-message-summary")
                .containsEntry(LineEvents.MWI_WAITING, true)
                .containsEntry(LineEvents.MWI_NEW, 2)
                .containsEntry(LineEvents.MWI_OLD, 8);
        assertThat((String) mwi.get(LineEvents.BODY)).contains("Voice-Message: 2/8 (0/2)");
        assertThat(notifies(SubscriptionKind.BLF, "active").get(0).properties())
                .containsEntry(LineEvents.TARGET, EXTENSION)
                .containsEntry(LineEvents.CONTENT_TYPE, "application/dialog-info+xml")
                .containsEntry(LineEvents.BLF_STATE, "BUSY");

        // the notifiers end the subscriptions (noresource): the last state is terminated, the body still read
        Poll.until(
                DEADLINE,
                () -> line.subscriptions().size() == 2
                        && line.subscriptions().stream()
                                .allMatch(s -> s.status() == SubscriptionState.Status.TERMINATED),
                () -> "both subscriptions terminated; " + line.subscriptions());
        List<SubscriptionState> states = line.subscriptions();
        assertThat(states)
                .extracting(SubscriptionState::kind)
                .containsExactly(SubscriptionKind.MWI, SubscriptionKind.BLF);
        SubscriptionState mwiState = of(states, SubscriptionKind.MWI);
        assertThat(mwiState.reason()).isEqualTo("noresource");
        assertThat(mwiState.target()).isEqualTo(VOICEMAIL);
        assertThat(mwiState.summary().orElseThrow())
                .isEqualTo(new MessageSummary(
                        true, VOICEMAIL, Map.of(MessageSummary.VOICE, new MessageSummary.Counts(2, 8, 0, 2))));
        SubscriptionState blfState = of(states, SubscriptionKind.BLF);
        assertThat(blfState.dialogs().orElseThrow().lamp()).isEqualTo(DialogInfo.Lamp.BUSY);
        assertThat(blfState.dialogs().orElseThrow().entity()).isEqualTo("sip:1002@example.test");
        assertThat(notifies(SubscriptionKind.MWI, "terminated"))
                .singleElement()
                .satisfies(e -> assertThat(e.properties()).containsEntry(LineEvents.CAUSE, "noresource"));
        assertThat(notifies(SubscriptionKind.BLF, "terminated")).hasSize(1);
    }
}
