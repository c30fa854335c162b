// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowListener;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers a flow's events to its listener on the scheduler's thread, in order; a failing listener is logged. */
final class FlowEvents {

    private static final Logger LOG = LoggerFactory.getLogger(FlowEvents.class);

    private final Flow flow;
    private final FlowListener listener;
    private final Scheduler scheduler;

    FlowEvents(Flow flow, FlowListener listener, Scheduler scheduler) {
        this.flow = flow;
        this.listener = listener;
        this.scheduler = scheduler;
    }

    void emit(FlowEvent.Kind kind, FailureCause cause, Duration retryAfter, String detail) {
        FlowEvent e = new FlowEvent(flow, kind, scheduler.now(), cause, retryAfter, detail);
        scheduler.execute(() -> {
            try {
                listener.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("the listener of flow {} failed on {}", flow, kind, ex);
            }
        });
    }
}
