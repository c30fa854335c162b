// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * A flow manager that is closed (its bundle stopped or updated, its configuration changed) leaves no thread
 * behind: a thread left running holds the whole SIP stack and, in OSGi, the class loaders of the bundles, and a
 * non-daemon one keeps a plain-Java host's JVM from ending.
 */
@RealServers
class CloseEndsThreadsTest {

    @TempDir
    Path work;

    private Kamailio kamailio;

    @AfterEach
    void stop() {
        if (kamailio != null) {
            kamailio.close();
        }
    }

    @Test
    void closingAManagerThatRegisteredOverUdpAndTcpEndsEveryThreadItStarted() throws Exception {
        kamailio = Kamailio.start(KamailioConfig.builder().address("127.0.0.1").build(), work.resolve("kamailio"));
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());

        RealTimeFlowManager flows = new RealTimeFlowManager(work, Map.of("localAddress", "127.0.0.1"));
        try {
            for (Transport t : List.of(Transport.UDP, Transport.TCP)) {
                FlowSpec spec = FlowSpec.builder(
                                "line-" + t,
                                ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY),
                                new ServerAddress("127.0.0.1", kamailio.port(), t))
                        .regId(1)
                        .outbound(true)
                        .build();
                Flow flow = flows.manager.open(spec, e -> {});
                Registration reg = flow.register(new RegisterRequest(
                        "sip:" + t + "@example.test",
                        ServerAddress.of("example.test", 0),
                        null,
                        Duration.ofSeconds(300),
                        Duration.ofSeconds(15),
                        null));
                Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered over " + t);
            }
            Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
            started.removeAll(before);
            assertThat(started)
                    .as("the threads the manager started: %s", names(started))
                    .anyMatch(th -> th.getName().equals("EventScannerThread"));
        } finally {
            flows.close();
        }

        Poll.until(
                Duration.ofSeconds(10),
                () -> left(before).isEmpty(),
                () -> "every thread the manager started to end; still running: " + names(left(before)));
    }

    private static Set<Thread> left(Set<Thread> before) {
        Set<Thread> now = new HashSet<>(Thread.getAllStackTraces().keySet());
        now.removeAll(before);
        now.removeIf(t -> !t.isAlive());
        return now;
    }

    private static String names(Set<Thread> threads) {
        return threads.stream()
                .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
                .sorted()
                .collect(Collectors.joining(", "));
    }
}
