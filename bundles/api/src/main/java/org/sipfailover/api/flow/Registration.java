// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/** A registration kept over a flow. Thread-safe. */
@ProviderType
public interface Registration {

    RegisterRequest request();

    /** Whether the binding is in place at the registrar right now, as far as the flow knows. */
    boolean isRegistered();

    /** When the current binding expires, if registered. */
    Optional<Instant> expiresAt();

    /** The Flow-Timer the registrar gave (RFC 5626 §4.4.1), if any. */
    Optional<Duration> flowTimer();

    /** Whether the registrar answered with {@code Require: outbound}. */
    boolean outboundAccepted();

    /**
     * Removes the binding (REGISTER with expires 0) and stops refreshing it.
     *
     * @return completes when the registrar answered or the attempt gave up; never exceptionally
     */
    CompletionStage<Void> unregister();

    /**
     * Sends the REGISTER again now instead of at its refresh time: for a registrar that may have lost its
     * bindings while the flow did not notice (a restart within one retransmission window over UDP). Does
     * nothing while not registered, or once removed.
     *
     * @since 1.2
     */
    void refresh();
}
