// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.policy;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.ServerRef;

/**
 * Everything a policy may base a decision on. Built by the line; immutable.
 *
 * @param config the line's configuration
 * @param current the placement the line is in (or is trying to reach)
 * @param live the bindings of {@code current} that are registered right now
 * @param health what the line knows of each configured server; servers never observed are absent
 * @param now the current time (virtual in tests)
 * @param trigger why the policy is asked
 * @param observation the observation that triggered the decision, when {@code trigger} is
 *     {@link Trigger#OBSERVATION}; otherwise {@code null}
 * @param callInProgress whether the host reports a call in progress on this line
 */
public record PolicyInput(
        LineConfig config,
        Placement current,
        Set<Binding> live,
        Map<ServerRef, ServerHealth> health,
        Instant now,
        Trigger trigger,
        HealthObservation observation,
        boolean callInProgress) {

    public PolicyInput {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(trigger, "trigger");
        live = Set.copyOf(live);
        health = Map.copyOf(health);
    }

    /** The health of one server; {@link HealthState#UNKNOWN} if never observed. */
    public ServerHealth health(ServerRef server) {
        ServerHealth h = health.get(server);
        return h != null ? h : ServerHealth.unknown(server, now);
    }

    /** The triggering observation, if any. */
    public Optional<HealthObservation> observationIfAny() {
        return Optional.ofNullable(observation);
    }

    /** Whether every binding of the current placement is registered (false for an empty placement). */
    public boolean fullyRegistered() {
        return !current.isNone() && live.containsAll(current.bindings());
    }
}
