// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.config.SubscriptionKind;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;

/** Export: what is written reads back equal; what cannot be written is refused, by name. */
class AudioCodesWriterTest {

    private final AudioCodesParser parser = new AudioCodesParser();
    private final AudioCodesWriter writer = new AudioCodesWriter();

    static List<String> goldenFiles() {
        return Golden.FILES;
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void everyGoldenFileReadsBackEqualAfterWriting(String name) {
        List<LineConfig> lines = new ArrayList<>(Golden.parse(name).lines().values());

        String text = writer.write(lines);
        AudioCodesParseResult back = parser.parse(name, text);

        assertThat(back.problems()).isEmpty();
        assertThat(new ArrayList<>(back.lines().values())).isEqualTo(lines);
    }

    @Test
    void theExampleReadsBackEqualAndSharedKeysAreWrittenOnce() {
        List<LineConfig> lines = new ArrayList<>(
                parser.parse("00908f4c5d6e.cfg", Golden.example()).lines().values());

        String text = writer.write(lines);

        assertThat(new ArrayList<>(
                        parser.parse("00908f4c5d6e.cfg", text).lines().values()))
                .isEqualTo(lines);
        assertThat(text)
                .containsOnlyOnce("voip/signalling/sip/proxy_address=127.0.0.1\n")
                .containsOnlyOnce("system/type=440HD\n")
                .contains("voip/line/1/id=2102\n")
                .contains("voip/signalling/sip/redundant_proxy/address=127.0.0.2\n");
    }

    @Test
    void linesWithOtherIdsAreWrittenInListOrder() {
        LineConfig a = base("alice").user("201").build();
        LineConfig b = base("bob").user("202").build();

        AudioCodesParseResult back = parser.parse("desk.cfg", writer.write(List.of(a, b)));

        assertThat(back.lines().get(0).user()).isEqualTo("201");
        assertThat(back.lines().get(1).user()).isEqualTo("202");
        assertThat(back.lines().get(1).id()).isEqualTo("audiocodes-desk-line1");
    }

    @Test
    void settingsAnAudioCodesFileCannotHoldAreRefusedByName() {
        assertRefused(
                base("l")
                        .server(ServerRole.OUTBOUND_PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.5", 5060))
                        .server(ServerRole.OUTBOUND_PROXY, Rank.BACKUP, ServerAddress.of("192.0.2.6", 5060)),
                "servers");
        assertRefused(base("l").sipOutbound(true), "sipOutbound");
        assertRefused(
                base("l").subscription(new SubscriptionConfig(SubscriptionKind.BLF, "2100", Duration.ofSeconds(600))),
                "subscriptions");
        assertRefused(base("l").transport(null), "transport any");
        assertRefused(base("l").policy("aastra"), "policy aastra has no AudioCodes equivalent");
        assertRefused(
                base("l").probeInterval(Duration.ofMillis(1500)),
                "probeInterval PT1.5S: AudioCodes accepts " + "whole seconds 1..300");
        assertRefused(
                base("l").server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 65535)),
                "port 65535 means \"look up SRV\"");
        assertRefused(
                base("l").registrationRetry(Duration.ofSeconds(10)),
                "registrationRetry and " + "registrationTimeoutRetry differ");
        assertRefused(
                base("l").extra("voip/signalling/sip/proxy_port", "5060"),
                "is a key this adapter reads as a " + "setting");
    }

    @Test
    void linesThatDisagreeOnASharedSettingAreRefused() {
        LineConfig a = base("a").build();
        LineConfig b = base("b").transport(Transport.TCP).build();

        assertThatThrownBy(() -> writer.write(List.of(a, b)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lines a and b differ in voip/signalling/sip/transport_protocol");
    }

    @Test
    void aPasswordThatCannotBeWrittenIsNeverShown() {
        String password = "trailing-blank-secret ";
        LineConfig c = base("l").credentials(new Credentials("201", password)).build();

        assertThatThrownBy(() -> writer.write(List.of(c)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("credentials")
                .hasMessageNotContaining(password.strip());
        LineConfig broken = base("l")
                .credentials(new Credentials("201", "two\nlines-secret"))
                .build();
        assertThatThrownBy(() -> writer.write(List.of(broken)))
                .hasMessageContaining("credentials contains a line " + "break")
                .hasMessageNotContaining("lines-secret");
    }

    private void assertRefused(LineConfig.Builder b, String message) {
        LineConfig c = b.build();
        assertThatThrownBy(() -> writer.write(List.of(c)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line " + c.id())
                .hasMessageContaining(message);
    }

    private static LineConfig.Builder base(String id) {
        LineConfig.Builder b = Golden.line(id, "201");
        return b.server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 5060));
    }
}
