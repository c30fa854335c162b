// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolutionSource;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;

class ResolutionFormatterTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void listsTargetsInOrderWithPositionAddressTransportSrvAndName() throws Exception {
        ServerAddress query = new ServerAddress("example.test", 0, Transport.UDP);
        Resolution r = Resolution.of(
                query,
                List.of(
                        new ResolvedTarget(
                                "sip1.example.test", InetAddress.getByName("127.0.0.11"), 5070, Transport.UDP, 10, 60),
                        new ResolvedTarget(
                                "sip2.example.test", InetAddress.getByName("127.0.0.12"), 5080, Transport.UDP, 10, 40),
                        new ResolvedTarget(
                                "backup.example.test", InetAddress.getByName("::1"), 5060, Transport.UDP, 20, 0)),
                NOW.plusSeconds(299).plusMillis(600),
                ResolutionSource.DNS);

        assertThat(ResolutionFormatter.format(r, NOW))
                .isEqualTo(String.join(
                        "\n",
                        "resolve example.test;transport=udp",
                        "#  target                  transport  priority  weight  from",
                        "1  127.0.0.11:5070         udp              10      60  sip1.example.test",
                        "2  127.0.0.12:5080         udp              10      40  sip2.example.test",
                        "3  [0:0:0:0:0:0:0:1]:5060  udp              20       0  backup.example.test",
                        "source DNS, ttl 299 s"));
    }

    @Test
    void literalHasUnlimitedTtl() throws Exception {
        ServerAddress query = new ServerAddress("127.0.0.1", 0, Transport.TLS);
        Resolution r = Resolution.of(
                query,
                List.of(new ResolvedTarget("127.0.0.1", InetAddress.getByName("127.0.0.1"), 5061, Transport.TLS, 0, 0)),
                Instant.MAX,
                ResolutionSource.LITERAL);

        assertThat(ResolutionFormatter.format(r, NOW))
                .isEqualTo(String.join(
                        "\n",
                        "resolve 127.0.0.1;transport=tls",
                        "#  target          transport  priority  weight  from",
                        "1  127.0.0.1:5061  tls               0       0  127.0.0.1",
                        "source LITERAL, ttl unlimited"));
    }

    @Test
    void emptyResultShowsTheCauseAndANeverNegativeTtl() {
        ServerAddress query = ServerAddress.of("nowhere.example.test", 0);
        Resolution r = Resolution.failed(query, NOW.minusSeconds(5), ResolutionSource.CACHE, "NXDOMAIN");

        assertThat(ResolutionFormatter.format(r, NOW))
                .isEqualTo(String.join(
                        "\n", "resolve nowhere.example.test", "no targets: NXDOMAIN", "source CACHE, ttl 0 s"));
    }
}
