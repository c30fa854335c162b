// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.embed;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.policy.internal.AastraPolicy;
import org.sipfailover.policy.internal.DualFlowPolicy;
import org.sipfailover.policy.internal.RedundantAsymmetricPolicy;
import org.sipfailover.policy.internal.RedundantSymmetricPolicy;

/**
 * The bundle's built-in failover policies without OSGi, made as its components are. A policy is pure logic with
 * no state of its own: one instance may serve every line, from any thread.
 */
@ProviderType
public final class Policies {

    /** Each built-in policy by its {@code policy.name}, in the order {@link #names()} gives them. */
    private static final Map<String, Supplier<FailoverPolicy>> BUILT_IN = Map.of(
            AastraPolicy.NAME, AastraPolicy::new,
            RedundantAsymmetricPolicy.NAME, RedundantAsymmetricPolicy::new,
            RedundantSymmetricPolicy.NAME, RedundantSymmetricPolicy::new,
            DualFlowPolicy.NAME, DualFlowPolicy::new);

    private static final List<String> NAMES = List.of(
            AastraPolicy.NAME, RedundantAsymmetricPolicy.NAME, RedundantSymmetricPolicy.NAME, DualFlowPolicy.NAME);

    private Policies() {}

    /** The {@code policy.name} of every built-in policy: {@code aastra}, {@code redundant-asymmetric}, ... */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * A new instance of the built-in policy with this {@code policy.name}.
     *
     * @throws IllegalArgumentException when no built-in policy has that name; the message lists those that do
     */
    public static FailoverPolicy named(String name) {
        Supplier<FailoverPolicy> make = BUILT_IN.get(name);
        if (make == null) {
            throw new IllegalArgumentException("policy: '" + name + "' is none of " + NAMES);
        }
        return make.get();
    }

    /** A new instance of every built-in policy, in the order of {@link #names()}. */
    public static List<FailoverPolicy> all() {
        return NAMES.stream().map(Policies::named).toList();
    }
}
