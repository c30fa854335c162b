// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.line;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.sipfailover.api.config.SubscriptionKind;

/**
 * The last NOTIFY of one of a line's subscriptions: its state, its body as text, and the body's parsed form when
 * it is a message summary (RFC 3842) or dialog information (RFC 4235).
 *
 * @param kind the subscription's kind
 * @param target the watched resource as configured ({@link org.sipfailover.api.config.SubscriptionConfig#target()})
 * @param status the NOTIFY's {@code Subscription-State} value
 * @param reason the {@code reason} parameter of a terminated subscription, or {@code null}
 * @param expires the {@code expires} parameter in seconds, or -1 without one
 * @param at when the NOTIFY arrived, on the line's scheduler clock
 * @param contentType the body's content type, such as {@code application/simple-message-summary}, or {@code null}
 *     without a body
 * @param body the body as UTF-8 text, at most {@link #MAX_BODY} bytes of it; empty without one
 * @param truncated whether the body was longer than {@link #MAX_BODY} bytes and was cut
 * @param messageSummary the parsed message summary, or {@code null} when the body is none or is malformed
 * @param dialogInfo the parsed dialog information, or {@code null} when the body is none or is malformed
 * @since 1.2
 */
public record SubscriptionState(
        SubscriptionKind kind,
        String target,
        Status status,
        String reason,
        int expires,
        Instant at,
        String contentType,
        String body,
        boolean truncated,
        MessageSummary messageSummary,
        DialogInfo dialogInfo) {

    /** How many bytes of a body are kept: 64 KiB. */
    public static final int MAX_BODY = 64 * 1024;

    /** A {@code Subscription-State} value (RFC 6665 §4.1.3). */
    public enum Status {
        /** The notifier accepted the subscription. */
        ACTIVE,
        /** The notifier has not decided yet; also a value this side does not know, or a NOTIFY without one. */
        PENDING,
        /** The subscription is over; {@link SubscriptionState#reason()} may say why. */
        TERMINATED;

        /** The header's token, such as {@code active}. */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SubscriptionState {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(body, "body");
    }

    /** The parsed message summary, if the body was a well-formed one. */
    public Optional<MessageSummary> summary() {
        return Optional.ofNullable(messageSummary);
    }

    /** The parsed dialog information, if the body was a well-formed one. */
    public Optional<DialogInfo> dialogs() {
        return Optional.ofNullable(dialogInfo);
    }
}
