// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.flow.SubscribeRequest;
import org.sipfailover.api.flow.Subscription;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;

/**
 * The usual way to use a flow, {@code open()} and at once {@code register()} and {@code subscribe()}, races the
 * flow's own first connection attempt on the scheduler's thread; whoever wins, each request leaves once.
 */
class OpenThenRegisterTest {

    private static final int ROUNDS = 150;

    @TempDir
    Path work;

    private RealTimeFlowManager flows;
    private FlowManagerCore manager;
    private LoopbackRegistrar peer;

    @BeforeEach
    void start() throws Exception {
        peer = LoopbackRegistrar.start(0);
        flows = new RealTimeFlowManager(work, Map.of("localAddress", "127.0.0.1"));
        manager = flows.manager;
    }

    @AfterEach
    void stop() {
        flows.close();
        peer.close();
    }

    @Test
    void aRegistrationAndASubscriptionMadeRightAfterOpenAreSentOnce() {
        for (int i = 1; i <= ROUNDS; i++) {
            FlowSpec spec = FlowSpec.builder(
                            "line" + i,
                            ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY),
                            new ServerAddress("127.0.0.1", peer.port(), Transport.UDP))
                    .regId(1)
                    .outbound(true)
                    .build();
            Flow flow = manager.open(spec, e -> {});
            Registration reg = flow.register(new RegisterRequest(
                    "sip:alice@example.test",
                    ServerAddress.of("example.test", 0),
                    null,
                    Duration.ofSeconds(3600),
                    Duration.ofSeconds(15),
                    null));
            Subscription sub = flow.subscribe(
                    new SubscribeRequest(
                            "dialog", "sip:bob@example.test", "sip:alice@example.test", null, Duration.ofSeconds(3600)),
                    (s, type, body) -> {});
            Poll.until(
                    Duration.ofSeconds(5),
                    () -> reg.isRegistered() && sub.isActive(),
                    () -> "registered and subscribed");
            flow.close();
            int round = i;
            assertThat(peer.transactions("REGISTER"))
                    .as("REGISTERs after %d rounds", round)
                    .isEqualTo(round);
            assertThat(peer.transactions("SUBSCRIBE"))
                    .as("SUBSCRIBEs after %d rounds", round)
                    .isEqualTo(round);
        }
    }
}
