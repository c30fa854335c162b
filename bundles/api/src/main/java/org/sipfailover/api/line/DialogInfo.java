// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.line;

import java.util.Objects;

/**
 * A dialog-state body ({@code application/dialog-info+xml}, RFC 4235) reduced to what a busy lamp shows.
 *
 * <p>A {@code partial} body speaks of the dialogs it carries only; {@link #lamp()} is what those dialogs show.
 *
 * @param entity the watched resource, the {@code entity} attribute
 * @param lamp the watched extension's state as a lamp shows it
 * @param version the {@code version} attribute
 * @param full whether the body is {@code state="full"} (else {@code partial})
 * @since 1.2
 */
public record DialogInfo(String entity, Lamp lamp, long version, boolean full) {

    /** A busy lamp field key's state. */
    public enum Lamp {
        /** No dialog, or every dialog terminated. */
        IDLE,
        /** An early dialog in which the entity is called: someone could pick the call up. */
        RINGING,
        /** A confirmed dialog, or an outgoing one being set up. */
        BUSY
    }

    public DialogInfo {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(lamp, "lamp");
    }
}
