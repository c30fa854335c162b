// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.line;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.ServerHealth;

/**
 * A running line, one service per line, with the {@link LineEvents#LINE_ID} service property. Reads are
 * thread-safe snapshots.
 */
@ProviderType
public interface LineStatus {

    /** The line's id (its factory configuration's name). */
    String lineId();

    /** The configuration in force. */
    LineConfig config();

    /** The placement the line is in or moving to. */
    Placement placement();

    /** The bindings of {@link #placement()} registered right now. */
    Set<Binding> liveBindings();

    /** Whether every binding of the placement is registered. */
    default boolean isRegistered() {
        return !placement().isNone() && liveBindings().containsAll(placement().bindings());
    }

    /** The {@code policy.name} deciding for this line now. */
    String policyName();

    /** What the line knows of each of its servers. */
    Map<ServerRef, ServerHealth> health();

    /** The most recent transitions, oldest first; bounded. */
    List<LineTransition> transitions();

    /**
     * The last NOTIFY of each of the line's subscriptions that has had one, in the configuration's order. A
     * subscription keeps its state when it moves to another proxy, and loses it when it is no longer configured.
     *
     * @since 1.2
     */
    default List<SubscriptionState> subscriptions() {
        return List.of();
    }

    /**
     * A drill: asks the line's policy to fail over now as if the server in use had failed (the policy's
     * {@link org.sipfailover.api.policy.Trigger#FORCED_FAILOVER}). Returns at once; the move, if the policy
     * makes one, shows in {@link #transitions()} and as a {@link LineEvents#TOPIC_TRANSITION} event. A homing
     * policy comes back to the primary on its next failback occasion.
     *
     * @since 1.1
     */
    void forceFailover();

    /**
     * A drill: asks the line's policy to go back to its preferred servers now, without waiting for its
     * failback mode ({@link org.sipfailover.api.policy.Trigger#FORCED_FAILBACK}). Returns at once.
     *
     * @since 1.1
     */
    void forceFailback();

    /**
     * Tells the line whether a call is in progress, so that a failback can wait until it is idle. Hosts
     * call it when calls start and end.
     */
    void setCallInProgress(boolean inProgress);
}
