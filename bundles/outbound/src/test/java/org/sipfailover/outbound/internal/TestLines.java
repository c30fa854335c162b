// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.util.List;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.net.ServerAddress;

/** The line the flow tests register, and how they read what a flow reported. */
final class TestLines {

    static final String AOR = "sip:alice@example.test";

    private TestLines() {}

    /** alice at example.test for 300 s, renewed 15 s before the end, without credentials. */
    static RegisterRequest alice() {
        return new RegisterRequest(
                AOR, ServerAddress.of("example.test", 0), null, Duration.ofSeconds(300), Duration.ofSeconds(15), null);
    }

    static List<FlowEvent> ofKind(List<FlowEvent> events, FlowEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }
}
