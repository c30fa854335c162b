// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.dns.ResolvedTarget;

/**
 * One RFC 5626 flow (or, with outbound off, one plain connection) to a first-hop server. Thread-safe.
 * Registrations and subscriptions made over a flow survive its recovery: they are sent again, with the
 * same reg-id, once the flow is up again on a fresh connection.
 */
@ProviderType
public interface Flow extends AutoCloseable {

    FlowSpec spec();

    FlowState state();

    /** The target the flow is connected to (or trying), if resolution gave one. */
    Optional<ResolvedTarget> target();

    /** The keep-alive interval in use: from the registrar's Flow-Timer, else the configured one. */
    Duration keepAliveInterval();

    /**
     * The keep-alive as it runs now, for operators (shell, status pages). Never blocks.
     *
     * @since 1.1
     */
    default KeepAliveState keepAlive() {
        return new KeepAliveState(KeepAliveState.Method.NONE, keepAliveInterval(), Optional.empty(), Optional.empty());
    }

    /** Starts keeping a registration over this flow. */
    Registration register(RegisterRequest request);

    /** Starts keeping a subscription over this flow. */
    Subscription subscribe(SubscribeRequest request, SubscriptionListener listener);

    /**
     * Sends one OPTIONS request over this flow (AudioCodes keep-alive, failback probes).
     *
     * @return completes with the outcome; never exceptionally
     */
    CompletionStage<ProbeResult> probe();

    /** Closes the flow: stops keep-alives and recovery. Registrations are not removed; unregister first. */
    @Override
    void close();
}
