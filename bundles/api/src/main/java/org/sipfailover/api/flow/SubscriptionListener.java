// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the NOTIFYs of a subscription. Called on the flow manager's threads; must return quickly. */
@ConsumerType
public interface SubscriptionListener {

    /**
     * A NOTIFY arrived.
     *
     * @param subscription the subscription
     * @param contentType the body's content type, or {@code null} without a body
     * @param body the body, possibly empty
     */
    void onNotify(Subscription subscription, String contentType, byte[] body);

    /**
     * A NOTIFY arrived, with its {@code Subscription-State}. The default calls
     * {@link #onNotify(Subscription, String, byte[])}.
     *
     * @param subscription the subscription
     * @param subscriptionState the {@code Subscription-State} header's value with its parameters, such as
     *     {@code active;expires=3600} or {@code terminated;reason=timeout}, or {@code null} without one
     * @param contentType the body's content type, or {@code null} without a body
     * @param body the body, possibly empty
     * @since 1.4
     */
    default void onNotify(Subscription subscription, String subscriptionState, String contentType, byte[] body) {
        onNotify(subscription, contentType, body);
    }

    /** The subscription ended for a reason other than {@link Subscription#unsubscribe()}. */
    default void onTerminated(Subscription subscription, String reason) {
        // most listeners only care about notifications
    }
}
