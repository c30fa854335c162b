// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.sipfailover.api.config.SubscriptionConfig;
import org.sipfailover.api.line.DialogInfo;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.MessageSummary;
import org.sipfailover.api.line.SubscriptionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a NOTIFY of a line's subscription into its {@link SubscriptionState} and the event that announces it. */
final class NotifyReader {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyReader.class);

    static final String MESSAGE_SUMMARY = "application/simple-message-summary";
    static final String DIALOG_INFO = "application/dialog-info+xml";

    private NotifyReader() {}

    /**
     * The state a NOTIFY reports. Never throws for what the notifier sent: a body that cannot be read gives a
     * state without a parsed form, and a log line naming the line, the target and why.
     *
     * @param subscriptionState the Subscription-State value with its parameters, or null
     */
    static SubscriptionState read(
            String lineId,
            SubscriptionConfig config,
            String subscriptionState,
            String contentType,
            byte[] body,
            Instant at) {
        byte[] b = body == null ? new byte[0] : body;
        boolean truncated = b.length > SubscriptionState.MAX_BODY;
        String text = new String(b, 0, Math.min(b.length, SubscriptionState.MAX_BODY), StandardCharsets.UTF_8);
        SubscriptionState.Status status = SubscriptionState.Status.PENDING;
        String reason = null;
        int expires = -1;
        if (subscriptionState != null) {
            String[] parts = subscriptionState.split(";");
            status = status(parts[0].strip());
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                String name = kv[0].strip().toLowerCase(Locale.ROOT);
                String value = kv.length > 1 ? kv[1].strip() : "";
                if (name.equals("reason") && !value.isEmpty()) {
                    reason = value;
                } else if (name.equals("expires") && value.matches("\\d{1,9}")) {
                    expires = Integer.parseInt(value);
                }
            }
        }
        String type = contentType == null ? null : contentType.strip().toLowerCase(Locale.ROOT);
        MessageSummary summary = null;
        DialogInfo dialogs = null;
        if (type != null && !text.isEmpty()) {
            try {
                if (truncated && (type.equals(MESSAGE_SUMMARY) || type.equals(DIALOG_INFO))) {
                    throw new IllegalArgumentException(
                            "body of " + b.length + " bytes, over the " + SubscriptionState.MAX_BODY + " kept");
                } else if (type.equals(MESSAGE_SUMMARY)) {
                    summary = MessageSummaryParser.parse(text);
                } else if (type.equals(DIALOG_INFO)) {
                    dialogs = DialogInfoParser.parse(text);
                }
            } catch (RuntimeException e) {
                // the notifier's mistake: the host still gets the state and the raw body
                LOG.warn("line {}: unreadable {} NOTIFY for {}: {}", lineId, type, config.target(), e.getMessage());
            }
        }
        return new SubscriptionState(
                config.kind(),
                config.target(),
                status,
                reason,
                expires,
                at,
                contentType,
                text,
                truncated,
                summary,
                dialogs);
    }

    private static SubscriptionState.Status status(String token) {
        return switch (token.toLowerCase(Locale.ROOT)) {
            case "active" -> SubscriptionState.Status.ACTIVE;
            case "terminated" -> SubscriptionState.Status.TERMINATED;
            default -> SubscriptionState.Status.PENDING;
        };
    }

    /** The properties of the {@link LineEvents#TOPIC_NOTIFY} event for a state (the line id and time are added). */
    static Map<String, Object> event(SubscriptionState s) {
        Map<String, Object> p = new HashMap<>();
        p.put(LineEvents.KIND, s.kind().name());
        p.put(LineEvents.TARGET, s.target());
        p.put(LineEvents.STATE, s.status().token());
        p.put(LineEvents.BODY, s.body());
        if (s.contentType() != null) {
            p.put(LineEvents.CONTENT_TYPE, s.contentType());
        }
        if (s.reason() != null) {
            p.put(LineEvents.CAUSE, s.reason());
        }
        if (s.messageSummary() != null) {
            MessageSummary m = s.messageSummary();
            p.put(LineEvents.MWI_WAITING, m.waiting());
            p.put(
                    LineEvents.MWI_NEW,
                    m.voice().map(MessageSummary.Counts::newMessages).orElse(0));
            p.put(
                    LineEvents.MWI_OLD,
                    m.voice().map(MessageSummary.Counts::oldMessages).orElse(0));
        }
        if (s.dialogInfo() != null) {
            p.put(LineEvents.BLF_STATE, s.dialogInfo().lamp().name());
        }
        return p;
    }
}
