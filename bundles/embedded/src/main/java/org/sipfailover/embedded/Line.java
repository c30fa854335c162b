// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.embedded;

import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineStatus;

/**
 * A line of a {@link SipFailover}: its status (thread-safe snapshots, published when the line's lane is done
 * with a task) and what a host may ask of it. The drills {@link #forceFailover()} and {@link #forceFailback()}
 * return at once; their effect shows in {@link #transitions()} and in the events.
 */
@ProviderType
public interface Line extends LineStatus {

    /**
     * Hands the line another of its {@link SipFailover}'s policies, by {@code policy.name}. The new policy gets
     * the current placement and health: nothing is re-registered unless it decides on another placement. Returns
     * at once.
     *
     * @throws IllegalArgumentException when no policy has that name; the message lists those that do
     * @throws IllegalStateException when the line is closed
     */
    void swapPolicy(String policyName);

    /**
     * Applies a new configuration of this line: in place when it keeps the servers, identity, transport and flow
     * timers (the policy is asked again); over new flows that take the bindings over when only flow or
     * registration timers change; otherwise the old bindings are removed and the line starts again. The policy
     * is the one the new configuration names. Starting again waits (at most 15 s) for the old bindings to go.
     *
     * @throws IllegalArgumentException when {@code next} has another id, or names no known policy
     * @throws IllegalStateException when the line is closed
     */
    void reconfigure(LineConfig next);

    /**
     * Unregisters the line and removes it from its {@link SipFailover}, waiting for the unregistration at most
     * the stop wait of the builder; the saved placement stays, so that the line added again starts where it
     * was. Idempotent. Not to be called from the event sink: the lines' thread would wait for itself.
     */
    void close();
}
