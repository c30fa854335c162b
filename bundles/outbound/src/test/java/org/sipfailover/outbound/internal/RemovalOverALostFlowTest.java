// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.FlowState;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;

/**
 * A removal whose flow fails under it ends with the flow: it does not wait for the flow's recovery. A line that
 * moves away from a failed server unregisters its old binding and keeps the old flow until that removal ends;
 * had the removal waited out the flow's back-off (30 s and more), a line coming back to that server would find
 * the old, recovering flow and wait with it.
 */
class RemovalOverALostFlowTest {

    @TempDir
    Path work;

    private RealTimeFlowManager flows;
    private LoopbackRegistrar peer;

    @BeforeEach
    void start() throws Exception {
        peer = LoopbackRegistrar.start(0);
        flows = new RealTimeFlowManager(work, Map.of("localAddress", "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        flows.close();
        peer.close();
    }

    @Test
    void anUnregisterAnsweredWithAFlowFailureEndsAtOnce() throws Exception {
        FlowSpec spec = FlowSpec.builder(
                        "line",
                        ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY),
                        new ServerAddress("127.0.0.1", peer.port(), Transport.TCP))
                .regId(1)
                .outbound(true)
                .recovery(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60))
                .build();
        Flow flow = flows.manager.open(spec, e -> {});
        Registration reg = flow.register(new RegisterRequest(
                "sip:alice@example.test",
                ServerAddress.of("example.test", 0),
                null,
                Duration.ofSeconds(3600),
                Duration.ofSeconds(15),
                null));
        Poll.until(Duration.ofSeconds(5), reg::isRegistered, () -> "registered");

        // the registrar answers the removal 503 (no Retry-After): for the flow a failure, recovered in 30 s or more
        peer.sendBefore(request -> request.startsWith("REGISTER") && request.contains("\r\nExpires: 0")
                ? List.of(answer(request, "503 Service Unavailable"))
                : List.of());
        CompletableFuture<Void> removed = reg.unregister().toCompletableFuture();

        removed.get(5, TimeUnit.SECONDS);
        assertThat(flow.state()).isEqualTo(FlowState.RECOVERING);
        assertThat(reg.isRegistered()).isFalse();
    }

    /** A final response to {@code request} with its Via, From, To (tagged), Call-ID and CSeq. */
    private static String answer(String request, String status) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        for (String line : request.substring(0, request.indexOf("\r\n\r\n")).split("\r\n")) {
            String name = line.contains(":")
                    ? line.substring(0, line.indexOf(':')).strip().toLowerCase()
                    : "";
            switch (name) {
                case "via", "v", "from", "f", "call-id", "i", "cseq" ->
                    b.append(line).append("\r\n");
                case "to", "t" ->
                    b.append(line)
                            .append(line.contains(";tag=") ? "" : ";tag=refused")
                            .append("\r\n");
                default -> {}
            }
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }
}
