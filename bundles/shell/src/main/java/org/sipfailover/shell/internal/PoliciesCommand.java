// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.policy.FailoverPolicy;

/**
 * {@code sipfailover:policies} lists the {@link FailoverPolicy} services: name, ranking, the bundle that provides
 * each, and how many lines it decides for. Reads service properties only; never gets a policy service.
 */
@Component(
        service = PoliciesCommand.class,
        property = {"osgi.command.scope=sipfailover", "osgi.command.function=policies"})
public final class PoliciesCommand {

    /* Multiple, dynamic: policies come and go with their bundles; references only, nothing is held. */
    @Reference(
            service = FailoverPolicy.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    final List<ServiceReference<FailoverPolicy>> policies = new CopyOnWriteArrayList<>();

    /* Multiple, dynamic: lines come and go with their configurations. */
    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    final List<LineStatus> lines = new CopyOnWriteArrayList<>();

    @Descriptor(
            "list the failover policies: policy.name, service.ranking, service.id, providing bundle, lines using it")
    public String policies() {
        return PolicyFormatter.table(
                policies.stream().map(PoliciesCommand::describe).toList(), List.copyOf(lines));
    }

    static PolicyFormatter.PolicyService describe(ServiceReference<?> ref) {
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        Bundle b = ref.getBundle();
        return new PolicyFormatter.PolicyService(
                String.valueOf(ref.getProperty(FailoverPolicy.POLICY_NAME)),
                ranking instanceof Integer i ? i : 0,
                (Long) ref.getProperty(Constants.SERVICE_ID),
                b == null
                        ? "(unregistered)"
                        : b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId() + "]");
    }
}
