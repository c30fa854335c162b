// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.net.FreePorts;
import org.sipfailover.testkit.sip.SipMessage;
import org.sipfailover.testkit.sip.Sipp;

/** The answers a registrar gives when something is wrong, scripted with sipp on loopback. */
@RealServers
class ErrorAnswersWithSippTest {

    @TempDir
    Path work;

    private RealTimeFlowManager flows;
    private FlowManagerCore manager;
    private Sipp sipp;
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        flows = new RealTimeFlowManager(work, Map.of("localAddress", "127.0.0.1"));
        manager = flows.manager;
    }

    @AfterEach
    void stop() {
        flows.close();
        if (sipp != null) {
            sipp.close();
        }
    }

    private Registration registerAgainst(String scenario, Credentials credentials, Duration expires) throws Exception {
        int port = FreePorts.udpAndTcp(java.net.InetAddress.getLoopbackAddress());
        sipp = Sipp.uas(Sipp.scenario(scenario, work), "127.0.0.1", port, "u1", work.resolve("sipp"));
        FlowSpec spec = FlowSpec.builder(
                        "line1",
                        ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY),
                        new ServerAddress("127.0.0.1", port, Transport.UDP))
                .regId(1)
                .outbound(true)
                .keepAlive(Duration.ofSeconds(120), Duration.ofSeconds(10))
                .recovery(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(120))
                .build();
        Flow flow = manager.open(spec, events::add);
        return flow.register(new RegisterRequest(
                "sip:alice@example.test",
                ServerAddress.of("example.test", 0),
                credentials,
                expires,
                Duration.ofSeconds(15),
                null));
    }

    private List<SipMessage> registers() {
        return sipp.messages().stream()
                .filter(m -> m.isRequest() && "REGISTER".equals(m.method()))
                .toList();
    }

    /** The REGISTER that was answered 200 (UDP retransmissions of earlier ones may come between). */
    private SipMessage lastRegister() {
        List<SipMessage> all = registers();
        return all.get(all.size() - 1);
    }

    private FlowEvent firstFailure() {
        Poll.until(
                Duration.ofSeconds(10),
                () -> events.stream().anyMatch(e -> e.kind() == FlowEvent.Kind.FAILED),
                () -> "a failure; events " + events);
        return events.stream()
                .filter(e -> e.kind() == FlowEvent.Kind.FAILED)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void on439TheLineRegistersAgainWithoutOutbound() throws Exception {
        Registration reg = registerAgainst(Sipp.REGISTER_439, null, Duration.ofSeconds(300));

        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered after 439; events " + events);

        List<SipMessage> sent = registers();
        assertThat(sent).hasSizeGreaterThanOrEqualTo(2);
        assertThat(sent.get(0).header("Contact")).get().asString().contains("reg-id=1");
        assertThat(lastRegister().header("Contact"))
                .get()
                .asString()
                .doesNotContain("reg-id")
                .doesNotContain("+sip.instance");
        assertThat(events).anyMatch(e -> e.cause() == FailureCause.FIRST_HOP_LACKS_OUTBOUND);
        assertThat(reg.outboundAccepted()).isFalse();
    }

    @Test
    void on430TheFlowFails() throws Exception {
        registerAgainst(Sipp.REGISTER_430, null, Duration.ofSeconds(300));

        assertThat(firstFailure().cause()).isEqualTo(FailureCause.FLOW_FAILED);
    }

    @Test
    void on503TheRetryAfterIsReported() throws Exception {
        registerAgainst(Sipp.REGISTER_503_RETRY_AFTER, null, Duration.ofSeconds(300));

        FlowEvent failed = firstFailure();
        assertThat(failed.cause()).isEqualTo(FailureCause.SERVICE_UNAVAILABLE);
        assertThat(failed.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void on423TheMinExpiresIsUsed() throws Exception {
        Registration reg = registerAgainst(Sipp.REGISTER_423, null, Duration.ofSeconds(60));

        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered after 423; events " + events);

        assertThat(lastRegister().header("Expires")).contains("3600");
        assertThat(reg.expiresAt()).isPresent();
    }

    @Test
    void on401TheChallengeIsAnsweredWithTheCredentials() throws Exception {
        Registration reg = registerAgainst(
                Sipp.REGISTER_401, new Credentials(Sipp.DEFAULT_USER, Sipp.DEFAULT_PASSWORD), Duration.ofSeconds(300));

        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered after 401; events " + events);

        assertThat(lastRegister().header("Authorization"))
                .get()
                .asString()
                .contains("Digest")
                .contains("username=\"alice\"")
                .doesNotContain(Sipp.DEFAULT_PASSWORD);
    }

    @Test
    void wrongCredentialsAreReportedNotRetriedForEver() throws Exception {
        registerAgainst(Sipp.REGISTER_401, new Credentials(Sipp.DEFAULT_USER, "wrong"), Duration.ofSeconds(300));

        assertThat(firstFailure().cause()).isEqualTo(FailureCause.AUTHENTICATION_FAILED);
        assertThat(firstFailure().detail()).doesNotContain("wrong");
    }
}
