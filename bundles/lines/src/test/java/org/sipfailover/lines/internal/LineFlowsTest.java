// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.testkit.flows.RecordingFlowManager;
import org.sipfailover.testkit.lines.TestLines;
import org.sipfailover.testkit.time.VirtualScheduler;

/**
 * A line's flows and the bindings they carry, without the rest of the line: one flow per first hop and reg-id,
 * the old binding kept until the new one is registered, and a flow closed once it carries nothing.
 */
class LineFlowsTest {

    private static final Placement PRIMARY = Placement.of(new Binding(1, Rank.PRIMARY, Rank.PRIMARY, null));
    private static final Placement BACKUP = Placement.of(new Binding(1, Rank.BACKUP, Rank.BACKUP, null));

    private final VirtualScheduler time = new VirtualScheduler();
    private final RecordingFlowManager recording = RecordingFlowManager.scripted(time);
    private final LineContext line = new LineContext(
            TestLines.proxies("l1", "10.0.0.1:5060", "10.0.0.2:5060")
                    .transport(Transport.TCP)
                    .sipOutbound(true)
                    .policy("p")
                    .build(),
            time);
    private final LineServers servers = new LineServers(line);
    private final LineFlows flows = new LineFlows(line, recording, servers);
    private final BindingReconciler bindings = new BindingReconciler(line, servers, flows);

    LineFlowsTest() {
        flows.wire((slot, e) -> {}, bindings);
    }

    @Test
    void oneFlowPerFirstHopAndRegId() {
        LineFlows.Slot a = flows.flowFor(servers.registrarRef(Rank.PRIMARY), 1);

        assertThat(flows.flowFor(servers.registrarRef(Rank.PRIMARY), 1)).isSameAs(a);
        assertThat(flows.flowFor(servers.registrarRef(Rank.PRIMARY), 2)).isNotSameAs(a);
        assertThat(recording.log()).containsExactly("open 10.0.0.1 reg-id 1", "open 10.0.0.1 reg-id 2");
    }

    @Test
    void theOldBindingStaysUntilTheNewOneIsRegisteredAndItsIdleFlowThenCloses() {
        bindings.reconcile(PRIMARY);
        recording.flowTo("10.0.0.1").registered();
        assertThat(bindings.live(PRIMARY)).containsExactlyElementsOf(PRIMARY.bindings());
        recording.log().clear();

        assertThat(bindings.reconcile(BACKUP)).isEmpty();
        assertThat(recording.log())
                .containsExactly(
                        "open 10.0.0.2 reg-id 1", "register sip:1001@10.0.0.2 at 10.0.0.2 over 10.0.0.2 reg-id 1");

        recording.flowTo("10.0.0.2").registered();
        assertThat(bindings.reconcile(BACKUP)).containsExactlyElementsOf(BACKUP.bindings());
        time.runDue();
        assertThat(recording.log())
                .endsWith("unregister sip:1001@10.0.0.1 at 10.0.0.1 over 10.0.0.1 reg-id 1", "close 10.0.0.1 reg-id 1");
        assertThat(flows.open()).hasSize(1);
    }
}
