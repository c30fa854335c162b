// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolutionSource;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;

class ResolveCommandTest {

    /** Answers every query with one target on 127.0.0.1 and records what it was asked. */
    static final class RecordingResolver implements ServerResolver {
        final List<ServerAddress> asked = new ArrayList<>();

        @Override
        public Resolution resolve(ServerAddress address) {
            asked.add(address);
            try {
                int port = address.port() == 0 ? 5060 : address.port();
                Transport t = address.transportIfSet().orElse(Transport.UDP);
                return Resolution.of(
                        address,
                        List.of(new ResolvedTarget(address.host(), InetAddress.getByName("127.0.0.1"), port, t, 0, 0)),
                        Instant.MAX,
                        ResolutionSource.LITERAL);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public CompletionStage<Resolution> resolveAsync(ServerAddress address) {
            return CompletableFuture.completedFuture(resolve(address));
        }
    }

    private final RecordingResolver resolver = new RecordingResolver();
    private final ResolveCommand command = new ResolveCommand();

    @Test
    void passesHostPortAndTransportToTheResolver() {
        command.resolver = resolver;

        String out = command.resolve("Example.TEST", "0", "TCP");

        assertThat(resolver.asked).containsExactly(new ServerAddress("example.test", 0, Transport.TCP));
        assertThat(out).startsWith("resolve example.test;transport=tcp\n").endsWith("source LITERAL, ttl unlimited");
    }

    @Test
    void singleArgumentIsParsedAsAServerAddress() {
        command.resolver = resolver;

        command.resolve("127.0.0.1:5070;transport=tls");
        command.resolve("example.test", "5062");

        assertThat(resolver.asked)
                .containsExactly(
                        new ServerAddress("127.0.0.1", 5070, Transport.TLS),
                        new ServerAddress("example.test", 5062, null));
    }

    @Test
    void malformedInputIsRejectedWithAMessageNamingIt() {
        command.resolver = resolver;

        assertThatThrownBy(() -> command.resolve("example.test", "50x60"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'50x60'");
        assertThatThrownBy(() -> command.resolve("example.test", "70000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> command.resolve("exa mple.test", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'exa mple.test'");
        assertThatThrownBy(() -> command.resolve("example.test", "0", "sctp"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sctp'");
        assertThat(resolver.asked).isEmpty();
    }

    @Test
    void saysSoWhenNoResolverIsAvailable() {
        assertThatThrownBy(() -> command.resolve("example.test"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no ServerResolver");
    }
}
