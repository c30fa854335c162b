// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.time.Instant;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.sipfailover.api.flow.FlowManager;

/**
 * {@code sipfailover:flows}: the {@link FlowManager}'s flows, each with its target, state and keep-alive (method,
 * interval, when the last ping went out and the last pong came back), and the line, server and reg-id it is for.
 */
@Component(
        service = FlowsCommand.class,
        property = {"osgi.command.scope=sipfailover", "osgi.command.function=flows"})
public final class FlowsCommand {

    /*
     * Optional, dynamic and greedy: the command stays while the outbound bundle is stopped, updated or
     * replaced, and says so when there is no flow manager.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FlowManager flowManager;

    @Descriptor("list the SIP flows: target, state, keep-alive method and interval, last ping and pong, line, "
            + "server, reg-id")
    public String flows() {
        FlowManager current = flowManager;
        if (current == null) {
            throw new IllegalStateException("no FlowManager service is available (is the outbound bundle active?)");
        }
        return FlowFormatter.table(current.flows(), Instant.now());
    }
}
