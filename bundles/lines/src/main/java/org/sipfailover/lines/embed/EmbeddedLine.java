// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.embed;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.policy.FailoverPolicy;

/**
 * A line made outside OSGi by {@link LineFactory}. Every method returns at once, except {@link
 * #reconfigure(LineConfig, FailoverPolicy)} when it has to start the line again; the work runs on the line's lane. Reads are
 * thread-safe snapshots, published when the lane is done with a task.
 */
@ProviderType
public interface EmbeddedLine extends LineStatus {

    /** Starts the line with a policy, or with none ({@code null}): it then waits for one, registering nothing. */
    void start(FailoverPolicy initialPolicy);

    /**
     * Hands the line another policy (or none). The new one gets the current placement and health: nothing is
     * re-registered unless it decides on another placement.
     */
    void swapPolicy(FailoverPolicy next);

    /**
     * Applies a new configuration of the line and its policy, as the OSGi component does: in place when the
     * configuration keeps the servers, identity, transport and flow timers (the policy is asked again, or swapped
     * when {@code policy} is another); over new flows that take the bindings over when only flow or registration
     * timers change; otherwise the old bindings are removed and the line starts again from nothing. Starting again
     * waits (at most 15 s) for the old line to stop, and starts the new one only if this line was started.
     *
     * @param policy the policy for the new configuration (normally the one it names), or {@code null} for none
     * @throws IllegalArgumentException when {@code next} is another line (another id)
     * @throws IllegalStateException when the line is closed
     */
    void reconfigure(LineConfig next, FailoverPolicy policy);

    /**
     * Stops the line. Idempotent.
     *
     * @param ending what becomes of the bindings and the saved placement
     * @return completes once the unregistrations (if any) ended or gave up, and the line's flows are closed
     */
    CompletionStage<Void> close(LineEnding ending);
}
