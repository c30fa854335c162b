// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.policy;

/** What a line knows of one server (after reSIProcate's grey and black lists). */
public enum HealthState {
    /** Nothing observed yet. */
    UNKNOWN,
    /** The last observation was a success: a registration, a pong, a STUN answer, an OPTIONS answer. */
    UP,
    /**
     * Grey-listed: the last observation was a failure (transport error, timeout, missing pong). Not used
     * for new work while another server can take it; recovered in the background.
     */
    GREY,
    /** Black-listed: the server asked not to be used until {@link ServerHealth#until()} (503 Retry-After). */
    BLACK
}
