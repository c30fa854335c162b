// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.policy;

import org.osgi.annotation.versioning.ConsumerType;
import org.sipfailover.api.config.LineConfig;

/**
 * A failover strategy: a pure function from a line's configuration, server health and current placement
 * to the placement it should have (DESIGN: "placement, not scripts").
 *
 * <p>Implementations are pure: no SIP, no threads, no clock of their own, no state between calls other
 * than what {@link PolicyInput} carries. This is what lets a host swap the policy of a live line: the
 * new policy gets the same input and nothing is re-registered unless it decides on another placement.
 *
 * <p>Published as OSGi services with the {@link #POLICY_NAME} property; a line selects one with its
 * {@code policy} setting. Methods may be called from any thread, concurrently for different lines.
 */
@ConsumerType
public interface FailoverPolicy {

    /** Service property: the policy's name, e.g. {@code aastra}, {@code redundant-asymmetric}. */
    String POLICY_NAME = "policy.name";

    /** This policy's name, the same as its {@link #POLICY_NAME} service property. */
    String name();

    /**
     * Checks that a line's configuration gives this policy what it needs.
     *
     * @throws IllegalArgumentException naming the line and the missing or contradictory setting
     */
    default void validate(LineConfig config) {
        // a policy with no requirement beyond a valid configuration accepts every line
    }

    /**
     * Decides where the line should be.
     *
     * @param input the line's configuration, placement, health, time and trigger
     * @return the decision; never {@code null}
     */
    Decision decide(PolicyInput input);
}
