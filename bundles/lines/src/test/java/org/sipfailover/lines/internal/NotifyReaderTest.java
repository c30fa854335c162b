// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.line.DialogInfo;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.SubscriptionState;

/** A NOTIFY read into the state a host sees and the event it hears, whatever the notifier sent. */
class NotifyReaderTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final SubscriptionConfig MWI =
            new SubscriptionConfig(SubscriptionKind.MWI, "sip:vm@example.test", Duration.ofSeconds(300));
    private static final SubscriptionConfig BLF =
            new SubscriptionConfig(SubscriptionKind.BLF, "1002", Duration.ofSeconds(300));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMessageSummaryIsParsedAndAnnounced() {
        SubscriptionState s = NotifyReader.read(
                "l1",
                MWI,
                "active;expires=3600",
                "application/simple-message-summary",
                utf8("Messages-Waiting: yes\r\nVoice-Message: 2/8 (0/2)\r\n"),
                AT);

        assertThat(s.status()).isEqualTo(SubscriptionState.Status.ACTIVE);
        assertThat(s.expires()).isEqualTo(3600);
        assertThat(s.reason()).isNull();
        assertThat(s.at()).isEqualTo(AT);
        assertThat(s.kind()).isEqualTo(SubscriptionKind.MWI);
        assertThat(s.target()).isEqualTo("sip:vm@example.test");
        assertThat(s.summary().orElseThrow().voice().orElseThrow().newMessages())
                .isEqualTo(2);
        assertThat(NotifyReader.event(s))
                .containsEntry(LineEvents.KIND, "MWI")
                .containsEntry(LineEvents.TARGET, "sip:vm@example.test")
                .containsEntry(LineEvents.STATE, "active")
                .containsEntry(LineEvents.CONTENT_TYPE, "application/simple-message-summary")
                .containsEntry(LineEvents.MWI_WAITING, true)
                .containsEntry(LineEvents.MWI_NEW, 2)
                .containsEntry(LineEvents.MWI_OLD, 8)
                .doesNotContainKey(LineEvents.BLF_STATE);
    }

    @Test
    void aTerminatedNotifyWithoutBodyKeepsItsReason() {
        SubscriptionState s = NotifyReader.read("l1", BLF, "terminated;reason=noresource", null, new byte[0], AT);

        assertThat(s.status()).isEqualTo(SubscriptionState.Status.TERMINATED);
        assertThat(s.reason()).isEqualTo("noresource");
        assertThat(s.body()).isEmpty();
        assertThat(s.dialogs()).isEmpty();
        assertThat(NotifyReader.event(s))
                .containsEntry(LineEvents.STATE, "terminated")
                .containsEntry(LineEvents.CAUSE, "noresource")
                .doesNotContainKey(LineEvents.CONTENT_TYPE);
    }

    @Test
    void aDialogInfoBodyShowsTheLamp() {
        SubscriptionState s = NotifyReader.read(
                "l1",
                BLF,
                "active",
                "Application/Dialog-Info+XML",
                utf8("<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"4\" state=\"full\""
                        + " entity=\"sip:1002@example.test\"><dialog id=\"d\"><state>confirmed</state></dialog>"
                        + "</dialog-info>"),
                AT);

        assertThat(s.dialogs()).contains(new DialogInfo("sip:1002@example.test", DialogInfo.Lamp.BUSY, 4, true));
        assertThat(NotifyReader.event(s)).containsEntry(LineEvents.BLF_STATE, "BUSY");
    }

    @Test
    void aHugeBodyIsCutAndNotParsed() {
        String huge = "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"0\" state=\"full\""
                + " entity=\"sip:1002@example.test\">" + "<!-- padding -->".repeat(10_000) + "</dialog-info>";

        SubscriptionState s = NotifyReader.read("l1", BLF, "active", NotifyReader.DIALOG_INFO, utf8(huge), AT);

        assertThat(s.truncated()).isTrue();
        assertThat(s.body()).hasSize(SubscriptionState.MAX_BODY);
        assertThat(s.dialogs()).isEmpty();
    }

    @Test
    void aMalformedBodyOrStateStillGivesTheState() {
        SubscriptionState s = NotifyReader.read(
                "l1", MWI, "weird;expires=-5", NotifyReader.MESSAGE_SUMMARY, utf8("Voice-Message: 2/8\n"), AT);

        assertThat(s.status()).isEqualTo(SubscriptionState.Status.PENDING);
        assertThat(s.expires()).isEqualTo(-1);
        assertThat(s.summary()).isEmpty();
        assertThat(s.body()).isEqualTo("Voice-Message: 2/8\n");
        assertThat(NotifyReader.event(s)).doesNotContainKey(LineEvents.MWI_WAITING);

        SubscriptionState none = NotifyReader.read("l1", MWI, null, null, null, AT);
        assertThat(none.status()).isEqualTo(SubscriptionState.Status.PENDING);
        assertThat(none.body()).isEmpty();
    }
}
