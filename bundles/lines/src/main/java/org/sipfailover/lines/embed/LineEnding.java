// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.embed;

import org.osgi.annotation.versioning.ProviderType;

/** How a line ends: what becomes of its bindings at the registrars and of its saved placement. */
@ProviderType
public enum LineEnding {
    /**
     * The bindings stay registered, to be taken over by the next instance of the line (same instance-id and
     * reg-id), and the placement stays saved: for a host that replaces the line or restarts at once.
     */
    HAND_OVER,
    /** The process stops: the bindings are removed; the placement stays saved for the next start. */
    SHUT_DOWN,
    /** The line is deleted: the bindings are removed and the placement forgotten. */
    DELETE
}
