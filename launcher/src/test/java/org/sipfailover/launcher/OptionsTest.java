// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsOpenTheShellOnFreshStorageWithTheSystemResolvers() {
        Options o = Options.parse();

        assertThat(o.dnsServers()).isEmpty();
        assertThat(o.dataDir()).isEmpty();
        assertThat(o.commands()).isEmpty();
        assertThat(o.shell()).isTrue();
        assertThat(o.execOnly()).isFalse();
        assertThat(o.help()).isFalse();
    }

    @Test
    void repeatableOptionsKeepTheirOrder() {
        Options o = Options.parse(
                "--dns",
                "127.0.0.1:5353",
                "--exec",
                "lb",
                "--dns",
                "[::1]:53",
                "--exec",
                "sipfailover:resolve example.test 0 udp",
                "--data",
                "run/data",
                "--no-shell");

        assertThat(o.dnsServers()).containsExactly("127.0.0.1:5353", "[::1]:53");
        assertThat(o.commands()).containsExactly("lb", "sipfailover:resolve example.test 0 udp");
        assertThat(o.dataDir()).contains(Path.of("run/data"));
        assertThat(o.shell()).isFalse();
        assertThat(o.execOnly()).isTrue();
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> Options.parse("--dns")).hasMessage("--dns needs a value");
        assertThatThrownBy(() -> Options.parse("--dns", "a b")).hasMessageContaining("'a b'");
        assertThatThrownBy(() -> Options.parse("--exec", " ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Options.parse("--shell")).hasMessage("unknown option '--shell'");
    }
}
