// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.flow.KeepAliveState;
import org.sipfailover.api.flow.ProbeResult;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.flow.SubscribeRequest;
import org.sipfailover.api.flow.Subscription;
import org.sipfailover.api.flow.SubscriptionListener;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;

class FlowFormatterTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /** A flow as a flow manager reports it: only what the table reads. */
    private static Flow flow(FlowSpec spec, FlowState state, ResolvedTarget target, KeepAliveState ka) {
        return new Flow() {
            public FlowSpec spec() {
                return spec;
            }

            public FlowState state() {
                return state;
            }

            public Optional<ResolvedTarget> target() {
                return Optional.ofNullable(target);
            }

            public Duration keepAliveInterval() {
                return ka.interval();
            }

            public KeepAliveState keepAlive() {
                return ka;
            }

            public Registration register(RegisterRequest request) {
                throw new UnsupportedOperationException();
            }

            public Subscription subscribe(SubscribeRequest request, SubscriptionListener listener) {
                throw new UnsupportedOperationException();
            }

            public CompletionStage<ProbeResult> probe() {
                throw new UnsupportedOperationException();
            }

            public void close() {}
        };
    }

    @Test
    void eachFlowShowsItsTargetStateKeepAliveAndLine() throws Exception {
        FlowSpec tcp = FlowSpec.builder(
                        "alice",
                        ServerRef.of(ServerRole.PROXY, Rank.PRIMARY),
                        new ServerAddress("pbx.example.test", 0, Transport.TCP))
                .regId(1)
                .build();
        FlowSpec udp = FlowSpec.builder(
                        "bob", ServerRef.of(ServerRole.PROXY, Rank.BACKUP), new ServerAddress("127.0.0.2", 5070, null))
                .regId(0)
                .outbound(false)
                .build();
        ResolvedTarget resolved = new ResolvedTarget(
                "pbx.example.test", InetAddress.getByName("192.0.2.10"), 5060, Transport.TCP, 10, 60);
        Flow up = flow(
                tcp,
                FlowState.UP,
                resolved,
                new KeepAliveState(
                        KeepAliveState.Method.CRLF,
                        Duration.ofSeconds(25),
                        Optional.of(NOW.minusSeconds(3)),
                        Optional.of(NOW.minusSeconds(3))));
        Flow connecting = flow(
                udp,
                FlowState.CONNECTING,
                null,
                new KeepAliveState(
                        KeepAliveState.Method.NONE, Duration.ofMillis(500), Optional.empty(), Optional.empty()));

        String text = FlowFormatter.table(List.of(connecting, up), NOW);

        List<String> rows = text.lines().toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).split(" +"))
                .containsExactly(
                        "TARGET",
                        "STATE",
                        "KEEP-ALIVE",
                        "INTERVAL",
                        "LAST",
                        "PING",
                        "LAST",
                        "PONG",
                        "LINE",
                        "SERVER",
                        "REG-ID");
        // sorted by line: alice first
        assertThat(rows.get(1).split(" {2,}"))
                .containsExactly(
                        "192.0.2.10:5060 tcp",
                        "UP",
                        "CRLF",
                        "25 s",
                        "3 s ago",
                        "3 s ago",
                        "alice",
                        "primary proxy",
                        "1");
        assertThat(rows.get(2).split(" {2,}"))
                .containsExactly(
                        "127.0.0.2:5070 udp", "CONNECTING", "NONE", "0.5 s", "-", "-", "bob", "backup proxy", "-");
        // columns line up: every row's state starts where the header's does
        int state = rows.get(0).indexOf("STATE");
        assertThat(rows).allSatisfy(r -> assertThat(r.charAt(state - 1)).isEqualTo(' '));
        assertThat(rows.get(1).substring(state)).startsWith("UP ");
    }

    @Test
    void noFlowsSaysSo() {
        assertThat(FlowFormatter.table(List.of(), NOW)).startsWith("no flows");
    }
}
