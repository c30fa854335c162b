// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

/** The life of a flow. */
public enum FlowState {
    /** Resolving the server and connecting (or, for UDP, sending the first request). */
    CONNECTING,
    /** Connected, and keep-alives are answered. */
    UP,
    /** Failed; a new attempt is scheduled per RFC 5626 §4.5 on a fresh connection. */
    RECOVERING,
    /** Closed by its owner; final. */
    CLOSED
}
