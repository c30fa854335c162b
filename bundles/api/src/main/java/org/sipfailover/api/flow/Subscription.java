// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/** A subscription kept over a flow. Thread-safe. */
@ProviderType
public interface Subscription {

    SubscribeRequest request();

    /** Whether the subscription is active at the notifier right now. */
    boolean isActive();

    /**
     * Ends the subscription (SUBSCRIBE with Expires 0) and stops refreshing it.
     *
     * @return completes when the notifier answered or the attempt gave up; never exceptionally
     */
    CompletionStage<Void> unsubscribe();
}
