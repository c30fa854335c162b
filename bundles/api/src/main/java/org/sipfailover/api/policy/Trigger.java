// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.policy;

/** Why a policy is being asked for a decision. */
public enum Trigger {
    /** The line starts; {@link PolicyInput#current()} is the placement persisted before, or none. */
    START,
    /** A health observation arrived; see {@link PolicyInput#observation()}. */
    OBSERVATION,
    /** The time the policy asked to be asked again has come. */
    TIMER,
    /** A registration attempt on the current placement ended (success or failure). */
    REGISTRATION,
    /** The line's configuration changed in place. */
    CONFIG_CHANGED,
    /** This policy has just replaced another one on a running line. */
    POLICY_SWAPPED,
    /** A call ended: a failback deferred until the line is idle may happen now. */
    IDLE,
    /** An operator forced a failover (drill). */
    FORCED_FAILOVER,
    /** An operator forced a failback (drill). */
    FORCED_FAILBACK
}
