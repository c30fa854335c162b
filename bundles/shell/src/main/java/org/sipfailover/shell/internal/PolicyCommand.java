// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.api.policy.FailoverPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sipfailover:policy <line> <name>} switches a line to another failover policy the way an operator
 * would by hand: it sets the {@code policy} property of the line's factory configuration and updates it. The
 * lines bundle applies that in place; the line keeps its registrations unless the new policy wants another
 * placement. Apart from the other commands because it alone needs ConfigurationAdmin.
 */
@Component(
        service = PolicyCommand.class,
        property = {"osgi.command.scope=sipfailover", "osgi.command.function=policy"})
public final class PolicyCommand {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyCommand.class);

    /*
     * Optional, dynamic, greedy: the command is there without ConfigAdmin and says so when called, and follows
     * ConfigAdmin through restarts and updates of its bundle.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ConfigurationAdmin configAdmin;

    /* Multiple, dynamic: only to warn of a name no policy has right now. */
    @Reference(
            service = FailoverPolicy.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    final List<ServiceReference<FailoverPolicy>> policies = new CopyOnWriteArrayList<>();

    @Descriptor("switch a line to another failover policy by its configuration; registrations stay unless the new "
            + "policy wants another placement")
    public String policy(
            @Descriptor("the line id") String line,
            @Descriptor("the policy.name to use, e.g. aastra, redundant-asymmetric, redundant-symmetric, dual-flow")
                    String name)
            throws IOException, InvalidSyntaxException {
        ConfigurationAdmin ca = configAdmin;
        if (ca == null) {
            throw new IllegalStateException("no ConfigurationAdmin service is available: the policy of a line is "
                    + "part of its configuration");
        }
        String policyName = Objects.requireNonNull(name, "name").trim();
        if (policyName.isEmpty()) {
            throw new IllegalArgumentException("the policy name is empty");
        }
        Configuration[] found =
                ca.listConfigurations("(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + LineConfig.FACTORY_PID + ")");
        Map<LineConfigurations.Entry, Configuration> byEntry = new HashMap<>();
        for (Configuration c : found == null ? new Configuration[0] : found) {
            Dictionary<String, Object> props = c.getProperties();
            if (props != null) {
                byEntry.put(new LineConfigurations.Entry(c.getPid(), asMap(props)), c);
            }
        }
        LineConfigurations.Entry entry = LineConfigurations.find(byEntry.keySet(), line)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no line '" + line + "' is configured; lines: " + LineConfigurations.ids(byEntry.keySet())));
        Object before = entry.properties().get(LineProperties.POLICY);
        String was = before == null ? "(not set)" : before.toString().trim();
        List<String> out = new ArrayList<>();
        if (policyName.equals(was)) {
            out.add("line " + line + " is configured with policy " + policyName + " already; nothing changed");
        } else {
            Configuration c = byEntry.get(entry);
            Dictionary<String, Object> props = c.getProperties();
            props.put(LineProperties.POLICY, policyName);
            c.update(props);
            LOG.info(
                    "line {}: policy set to {} (was {}) in configuration {} from the shell",
                    line,
                    policyName,
                    was,
                    c.getPid());
            out.add("line " + line + ": policy " + was + " -> " + policyName + " (configuration " + c.getPid()
                    + " updated)");
        }
        List<String> names = policies.stream()
                .map(r -> String.valueOf(r.getProperty(FailoverPolicy.POLICY_NAME)))
                .distinct()
                .sorted()
                .toList();
        if (!names.contains(policyName)) {
            out.add("warning: no failover policy named '" + policyName + "' is registered now; the line keeps its "
                    + "registrations and waits for one (policies: " + names + ")");
        }
        Object source = entry.properties().get(LineProperties.SOURCE);
        if (source != null) {
            out.add("note: this line comes from " + source + "; a change of that file sets its policy again");
        }
        return String.join("\n", out);
    }

    /** The properties, less the private ones (a leading dot: the password), which this command never shows. */
    private static Map<String, Object> asMap(Dictionary<String, Object> d) {
        Map<String, Object> m = new HashMap<>();
        for (String k : Collections.list(d.keys())) {
            if (!k.startsWith(".") && !k.equals(Constants.SERVICE_PID)) {
                m.put(k, d.get(k));
            }
        }
        return m;
    }
}
