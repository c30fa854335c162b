// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;

class AastraExportTest {

    private final AastraExport export = new AastraExport();
    private final AastraReader reader = new AastraReader();

    private AastraParseResult readBack(String phone, String text) {
        return reader.read(phone, phone + ".cfg", text);
    }

    @Test
    void theVendorExampleAndTheExamplePairReadBackEqual() {
        for (AastraParseResult original : List.of(
                Golden.read("vendor-example"),
                Golden.read(Golden.examples()),
                Golden.read("srv-rules"),
                Golden.read("set-wise-override"),
                Golden.read("syntax"))) {
            List<LineConfig> lines = new ArrayList<>(original.lines().values());
            String text = export.export(lines);
            AastraParseResult back = readBack(original.phone(), text);
            assertThat(back.problems()).as(text).isEmpty();
            assertThat(back.lines()).isEqualTo(original.lines());
        }
    }

    @Test
    void valuesWithHashOrOuterBlanksAreQuoted() {
        LineConfig c = Golden.aastraLine("p", 1)
                .user("1")
                .displayName(" Sales #1 ")
                .credentials(new Credentials("1", "a#b"))
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 0))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 0))
                .build();
        String text = export.export(List.of(c));
        assertThat(text).contains("sip line1 display name: \" Sales #1 \"\n", "sip line1 password: \"a#b\"\n");
        assertThat(readBack("p", text).lines().get(1)).isEqualTo(c);
    }

    private static LineConfig.Builder plain() {
        return Golden.aastraLine("p", 1)
                .user("1")
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 0))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 0));
    }

    @Test
    void whatAastraFilesCannotSayIsRefusedWithTheSettingNamed() {
        assertThatThrownBy(() -> export.export(
                        List.of(plain().policy("audiocodes-symmetric").build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aastra-p-line1")
                .hasMessageContaining("policy");
        assertThatThrownBy(() -> export.export(List.of(
                        plain().keepAliveInterval(Duration.ofMillis(1500)).build())))
                .hasMessageContaining("keepAliveInterval");
        assertThatThrownBy(() -> export.export(List.of(
                        plain().failback(FailbackMode.NEVER, Duration.ofSeconds(30), Duration.ofSeconds(3600), true)
                                .build())))
                .hasMessageContaining("failbackMode");
        assertThatThrownBy(() -> export.export(List.of(
                        plain().server(ServerRole.PROXY, Rank.PRIMARY, new ServerAddress("192.0.2.1", 0, Transport.TCP))
                                .build())))
                .hasMessageContaining("servers");
        assertThatThrownBy(() -> export.export(List.of(
                        plain().server(ServerRole.REGISTRAR, Rank.PRIMARY, null).build())))
                .hasMessageContaining("cannot be expressed")
                .hasMessageContaining("no registrar");
        assertThatThrownBy(() -> export.export(
                        List.of(plain().extra("sip proxy ip", "192.0.2.9").build())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> export.export(List.of(plain().extra("a\nb", "x").build())))
                .isInstanceOf(IllegalArgumentException.class);
        LineConfig other = LineConfig.builder("alice")
                .user("1")
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 0))
                .build();
        assertThatThrownBy(() -> export.export(List.of(other))).hasMessageContaining("aastra-<phone>-line<N>");
    }

    @Test
    void twoLinesDisagreeingOnAPhoneWideSettingAreRefused() {
        LineConfig a = plain().transport(Transport.TCP).build();
        LineConfig b = Golden.aastraLine("p", 2)
                .user("2")
                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 0))
                .server(ServerRole.REGISTRAR, Rank.PRIMARY, ServerAddress.of("192.0.2.1", 0))
                .build();
        assertThatThrownBy(() -> export.export(List.of(a, b)))
                .hasMessageContaining("aastra-p-line2")
                .hasMessageContaining("transport");
    }

    @Test
    void aRefusalNeverShowsThePassword() {
        LineConfig c =
                plain().credentials(new Credentials("", "Pw-Never-Shown")).build();
        assertThatThrownBy(() -> export.export(List.of(c)))
                .hasMessageContaining("credentials")
                .hasMessageNotContaining("Pw-Never-Shown");
    }
}
