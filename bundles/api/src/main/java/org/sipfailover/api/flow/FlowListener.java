// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a flow's events. Called on the flow manager's threads, one event at a time per flow; must
 * return quickly and must not throw (what it throws is logged and dropped).
 */
@ConsumerType
@FunctionalInterface
public interface FlowListener {

    void onEvent(FlowEvent event);
}
