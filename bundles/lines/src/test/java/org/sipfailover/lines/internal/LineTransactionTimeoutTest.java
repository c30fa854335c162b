// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;

/**
 * A line's own transaction time-out ({@link LineConfig#transactionTimeout()}: AudioCodes
 * {@code outgoing_request_no_response_timeout_ms}, Aastra {@code sip transaction timer}) decides how soon a
 * frozen registrar is noticed. An AudioCodes-style line (no SIP outbound, so no keep-alive; the primary
 * probed every second) at a primary that is SIGSTOPped: the flow manager's time-out is 30 s, longer than the
 * wait below, so only the line's 1.5 s can move it to the backup in time.
 */
@RealServers
class LineTransactionTimeoutTest {

    @TempDir
    Path work;

    private TwoRegistrars registrars;
    private LineHarness harness;

    @BeforeEach
    void start() throws Exception {
        registrars = new TwoRegistrars(work);
        harness = new LineHarness(work, 30_000);
    }

    @AfterEach
    void stop() {
        harness.close();
        registrars.close();
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(
            value = Transport.class,
            names = {"UDP", "TCP"})
    void aFrozenPrimaryIsLeftAtTheLinesOwnTransactionTimeout(Transport t) {
        LineConfig config = registrars
                .line("t", t, "redundant-asymmetric", false)
                .transactionTimeout(Duration.ofMillis(1500))
                .build();
        LineRuntime line = harness.start(config, Policies.named("redundant-asymmetric"));
        Poll.until(
                Duration.ofSeconds(15),
                () -> registrars
                                        .primary
                                        .bindings(TwoRegistrars.aor(Rank.PRIMARY))
                                        .size()
                                == 1
                        && line.isRegistered(),
                () -> "registered at the primary; transitions " + line.transitions());

        registrars.primary.pause();
        try {
            // well short of the manager's 30 s (and of Timer F, 32 s)
            Poll.until(
                    Duration.ofSeconds(15),
                    () -> registrars
                                            .backup
                                            .bindings(TwoRegistrars.aor(Rank.BACKUP))
                                            .size()
                                    == 1
                            && line.isRegistered(),
                    () -> "registered at the backup; transitions " + line.transitions() + ", health " + line.health());
            assertThat(line.transitions())
                    .last()
                    .extracting(LineTransition::cause)
                    .asString()
                    .contains(FailureCause.PROBE_TIMEOUT.name());
        } finally {
            registrars.primary.resume();
        }
    }
}
