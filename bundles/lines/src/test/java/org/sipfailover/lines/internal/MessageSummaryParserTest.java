// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sipfailover.api.line.MessageSummary;

/** Message-summary bodies: the RFC 3842 examples and bodies a careless or hostile notifier sends. */
class MessageSummaryParserTest {

    /** RFC 3842 §5.2 and the NOTIFY of §6. */
    @Test
    void theRfcExampleWithUrgentCounts() {
        MessageSummary m = MessageSummaryParser.parse("Messages-Waiting: yes\r\n"
                + "Message-Account: sip:alice@vmail.example.com\r\n"
                + "Voice-Message: 2/8 (0/2)\r\n");

        assertThat(m.waiting()).isTrue();
        assertThat(m.account()).isEqualTo("sip:alice@vmail.example.com");
        assertThat(m.voice()).contains(new MessageSummary.Counts(2, 8, 0, 2));
        assertThat(m.voice().orElseThrow().hasUrgent()).isTrue();
    }

    /** RFC 3842 §5.2: several message-context classes, and the optional message headers after a blank line. */
    @Test
    void severalClassesAndTrailingMessageHeaders() {
        MessageSummary m = MessageSummaryParser.parse("Messages-Waiting: yes\r\n"
                + "Message-Account: sip:alice@vmail.example.com\r\n"
                + "Voice-Message: 4/8 (1/2)\r\n"
                + "Fax-Message: 1/0\r\n"
                + "\r\n"
                + "To: <alice@atlanta.example.com>\r\n"
                + "From: <bob@biloxi.example.com>\r\n"
                + "Subject: carpool tomorrow?\r\n");

        assertThat(m.voice()).contains(new MessageSummary.Counts(4, 8, 1, 2));
        assertThat(m.counts()).containsEntry("fax-message", new MessageSummary.Counts(1, 0, -1, -1));
        assertThat(m.counts().keySet()).containsExactly("voice-message", "fax-message");
    }

    @Test
    void noMessagesAndNoCounts() {
        MessageSummary m = MessageSummaryParser.parse("Messages-Waiting: no\n");

        assertThat(m.waiting()).isFalse();
        assertThat(m.account()).isNull();
        assertThat(m.voice()).isEmpty();
    }

    @Test
    void namesAreCaseInsensitive() {
        MessageSummary m = MessageSummaryParser.parse("messages-waiting: YES\nvoice-message: 3/0\n");

        assertThat(m.waiting()).isTrue();
        assertThat(m.voice()).contains(new MessageSummary.Counts(3, 0, -1, -1));
    }

    @Test
    void wrongNumbersAreRefused() {
        assertThatThrownBy(() -> MessageSummaryParser.parse("Messages-Waiting: yes\nVoice-Message: -2/8\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("voice-message");
        assertThatThrownBy(() -> MessageSummaryParser.parse("Messages-Waiting: yes\nVoice-Message: 99999999999/8\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageSummaryParser.parse("Messages-Waiting: yes\nVoice-Message: two/eight\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageSummaryParser.parse("Messages-Waiting: yes\nVoice-Message: 2/8 (0/\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBodyWithoutMessagesWaitingIsRefused() {
        assertThatThrownBy(() -> MessageSummaryParser.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Messages-Waiting");
        assertThatThrownBy(() -> MessageSummaryParser.parse("Voice-Message: 2/8\nMessages-Waiting: yes\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageSummaryParser.parse("Messages-Waiting: maybe\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maybe");
    }

    @Test
    void garbageIsRefusedWithAShortReason() {
        String huge = "x".repeat(100_000);

        assertThatThrownBy(() -> MessageSummaryParser.parse(huge))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(100));
    }
}
