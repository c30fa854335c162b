// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sipfailover.api.line.DialogInfo;

/** Dialog-info bodies: the RFC 4235 examples, the lamp each state shows, and hostile XML. */
class DialogInfoParserTest {

    private static final String HEAD = "<?xml version=\"1.0\"?>\n"
            + "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\"\n"
            + "             version=\"%d\" state=\"%s\"\n"
            + "             entity=\"sip:alice@example.com\">\n";

    private static String doc(int version, String state, String dialogs) {
        return String.format(HEAD, version, state) + dialogs + "</dialog-info>\n";
    }

    private static String dialog(String direction, String state) {
        return "  <dialog id=\"as7d900as8\" call-id=\"a84b4c76e66710\" local-tag=\"1928301774\""
                + (direction == null ? "" : " direction=\"" + direction + "\"") + ">\n"
                + "    <state>" + state + "</state>\n"
                + "  </dialog>\n";
    }

    /** RFC 4235 §8 (first example): Alice has placed a call, not answered yet. */
    @Test
    void anEarlyDialogTheEntityInitiatedIsBusy() {
        DialogInfo d = DialogInfoParser.parse(doc(0, "full", dialog("initiator", "early")));

        assertThat(d).isEqualTo(new DialogInfo("sip:alice@example.com", DialogInfo.Lamp.BUSY, 0, true));
    }

    /** RFC 4235 §9: a confirmed dialog with its participants, sent as a partial notification. */
    @Test
    void aConfirmedDialogWithParticipantsIsBusy() {
        String body = doc(
                1,
                "partial",
                "  <dialog id=\"as7d900as8\" call-id=\"a84b4c76e66710\" local-tag=\"1928301774\""
                        + " remote-tag=\"456887766\" direction=\"initiator\">\n"
                        + "    <state event=\"remote-bye\">confirmed</state>\n"
                        + "    <duration>274</duration>\n"
                        + "    <local>\n"
                        + "      <identity display=\"Alice\">sip:alice@example.com</identity>\n"
                        + "      <target uri=\"sip:alice@pc33.example.com\"/>\n"
                        + "    </local>\n"
                        + "    <remote>\n"
                        + "      <identity display=\"Bob\">sip:bob@example.org</identity>\n"
                        + "      <target uri=\"sip:bobster@phone21.example.org\"/>\n"
                        + "    </remote>\n"
                        + "  </dialog>\n");

        DialogInfo d = DialogInfoParser.parse(body);

        assertThat(d.lamp()).isEqualTo(DialogInfo.Lamp.BUSY);
        assertThat(d.version()).isEqualTo(1);
        assertThat(d.full()).isFalse();
    }

    @Test
    void noDialogOrOnlyTerminatedOnesIsIdle() {
        assertThat(DialogInfoParser.parse(doc(0, "full", "")).lamp()).isEqualTo(DialogInfo.Lamp.IDLE);
        assertThat(DialogInfoParser.parse(doc(2, "full", dialog("recipient", "terminated")))
                        .lamp())
                .isEqualTo(DialogInfo.Lamp.IDLE);
    }

    @Test
    void anEarlyDialogWhereTheEntityIsCalledRingsAndWinsOverBusy() {
        assertThat(DialogInfoParser.parse(doc(3, "full", dialog("recipient", "early")))
                        .lamp())
                .isEqualTo(DialogInfo.Lamp.RINGING);
        assertThat(DialogInfoParser.parse(doc(3, "full", dialog(null, "confirmed") + dialog("recipient", "proceeding")))
                        .lamp())
                .isEqualTo(DialogInfo.Lamp.RINGING);
        assertThat(DialogInfoParser.parse(doc(3, "full", dialog(null, "trying")))
                        .lamp())
                .isEqualTo(DialogInfo.Lamp.BUSY);
    }

    @Test
    void aDtdWithAnExternalEntityIsRefusedUnread() {
        String xxe = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE dialog-info [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"0\" state=\"full\""
                + " entity=\"&xxe;\"/>";

        assertThatThrownBy(() -> DialogInfoParser.parse(xxe))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("root:");
    }

    @Test
    void entityExpansionIsRefused() {
        String laughs = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
                + "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"0\" state=\"full\""
                + " entity=\"&b;\"/>";

        assertThatThrownBy(() -> DialogInfoParser.parse(laughs)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedOrForeignDocumentsAreRefused() {
        String whole = doc(0, "full", dialog("recipient", "early"));

        assertThatThrownBy(() -> DialogInfoParser.parse(whole.substring(0, whole.length() / 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> DialogInfoParser.parse("<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"/>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a dialog-info");
        assertThatThrownBy(() -> DialogInfoParser.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongNumbersAndStatesAreRefused() {
        assertThatThrownBy(() -> DialogInfoParser.parse(doc(0, "full", "").replace("version=\"0\"", "version=\"x\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
        assertThatThrownBy(() -> DialogInfoParser.parse(doc(-1, "full", "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DialogInfoParser.parse(doc(0, "some", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("full nor partial");
        assertThatThrownBy(() -> DialogInfoParser.parse(doc(0, "full", dialog("recipient", "ringing"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ringing");
    }
}
