// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.line;

/**
 * EventAdmin topics and event properties posted by lines, and service-property names of
 * {@link LineStatus} services. Events are posted asynchronously.
 */
public final class LineEvents {

    /** Topic prefix of every line event; subscribe to {@code org/sipfailover/line/*} for all of them. */
    public static final String TOPIC_PREFIX = "org/sipfailover/line/";

    /** A line's placement changed: properties {@link #LINE_ID}, {@link #FROM}, {@link #TO}, {@link #CAUSE}. */
    public static final String TOPIC_TRANSITION = TOPIC_PREFIX + "TRANSITION";

    /** Every binding of a line's placement is registered: property {@link #LINE_ID}, {@link #TO}. */
    public static final String TOPIC_REGISTERED = TOPIC_PREFIX + "REGISTERED";

    /**
     * A registered line has lost a binding of its placement (a refresh failed, the registrar dropped it):
     * properties {@link #LINE_ID}, {@link #CAUSE}. Not posted when the line moves to another placement: the
     * {@link #TOPIC_TRANSITION} event says that, and the old bindings stay until the new ones are registered.
     */
    public static final String TOPIC_UNREGISTERED = TOPIC_PREFIX + "UNREGISTERED";

    /** A server's health changed: properties {@link #LINE_ID}, {@link #SERVER}, {@link #HEALTH}, {@link #CAUSE}. */
    public static final String TOPIC_HEALTH = TOPIC_PREFIX + "HEALTH";

    /**
     * A NOTIFY of one of a line's subscriptions arrived: properties {@link #LINE_ID}, {@link #KIND},
     * {@link #TARGET}, {@link #STATE}, {@link #BODY}, {@link #CONTENT_TYPE} when it has a body, {@link #CAUSE}
     * with the reason of a terminated subscription when given; with a well-formed message summary also
     * {@link #MWI_WAITING}, {@link #MWI_NEW} and {@link #MWI_OLD}, with well-formed dialog information also
     * {@link #BLF_STATE}. {@link LineStatus#subscriptions()} keeps the last one of each subscription.
     *
     * @since 1.2
     */
    public static final String TOPIC_NOTIFY = TOPIC_PREFIX + "NOTIFY";

    /** Event and service property: the line id (String). */
    public static final String LINE_ID = "line.id";

    /** Event property: the placement before, as text (String). */
    public static final String FROM = "placement.from";

    /** Event property: the placement after, as text (String). */
    public static final String TO = "placement.to";

    /** Event property: the cause (String). */
    public static final String CAUSE = "cause";

    /** Event property: the server, as text such as "backup registrar" (String). */
    public static final String SERVER = "server";

    /** Event property: the server's new health state name (String). */
    public static final String HEALTH = "health";

    /** Event property: the {@code policy.name} that decided (String). */
    public static final String POLICY = "policy.name";

    /** Event property: the time of the event in milliseconds since the epoch (Long), as EventAdmin's own. */
    public static final String TIMESTAMP = "timestamp";

    /**
     * Event property: the subscription's kind, a {@link org.sipfailover.api.config.SubscriptionKind} name (String).
     *
     * @since 1.2
     */
    public static final String KIND = "subscription.kind";

    /**
     * Event property: the subscription's target as configured (String).
     *
     * @since 1.2
     */
    public static final String TARGET = "subscription.target";

    /**
     * Event property: the {@code Subscription-State}: {@code active}, {@code pending} or {@code terminated} (String).
     *
     * @since 1.2
     */
    public static final String STATE = "subscription.state";

    /**
     * Event property: the NOTIFY body's content type (String).
     *
     * @since 1.2
     */
    public static final String CONTENT_TYPE = "content.type";

    /**
     * Event property: the NOTIFY body as text, at most {@link SubscriptionState#MAX_BODY} bytes of it (String).
     *
     * @since 1.2
     */
    public static final String BODY = "body";

    /**
     * Event property: whether messages are waiting (Boolean).
     *
     * @since 1.2
     */
    public static final String MWI_WAITING = "mwi.waiting";

    /**
     * Event property: new voice messages, 0 when the summary counts none (Integer).
     *
     * @since 1.2
     */
    public static final String MWI_NEW = "mwi.new";

    /**
     * Event property: old voice messages, 0 when the summary counts none (Integer).
     *
     * @since 1.2
     */
    public static final String MWI_OLD = "mwi.old";

    /**
     * Event property: the watched extension's lamp, a {@link DialogInfo.Lamp} name (String).
     *
     * @since 1.2
     */
    public static final String BLF_STATE = "blf.state";

    private LineEvents() {}
}
