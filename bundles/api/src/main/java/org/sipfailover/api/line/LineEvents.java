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

    private LineEvents() {}
}
