// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.sip.address.Address;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The dialog of a subscription (RFC 3261 §12): its Call-ID and tags, remote target and route set, and when it
 * was made. Immutable: its subscription replaces it under the subscription's lock.
 *
 * @param toTag the notifier's tag, {@code null} until the dialog is made
 * @param remoteTarget the notifier's Contact, {@code null} until one came
 * @param routeSet first hop first; empty until the dialog is made, or when nobody record-routed
 * @param since when the dialog was made, {@code null} until then
 */
record SubscribeDialog(
        String callId, String fromTag, String toTag, String remoteTarget, List<Address> routeSet, Instant since) {

    /** A dialog not made yet: the next SUBSCRIBE is an initial one, with a new Call-ID and From tag. */
    static SubscribeDialog fresh() {
        return new SubscribeDialog(
                UUID.randomUUID().toString(), Long.toHexString(System.nanoTime()), null, null, List.of(), null);
    }

    boolean made() {
        return toTag != null;
    }

    /** Whether a NOTIFY with this Call-ID and To tag belongs to this dialog. */
    boolean owns(String notifyCallId, String notifyToTag) {
        return notifyCallId.equals(callId) && fromTag.equals(notifyToTag);
    }

    /** Where the next SUBSCRIBE goes: the remote target once known, else the subscription's target. */
    String requestUri(String target) {
        return remoteTarget != null ? remoteTarget : target;
    }

    /** The Route of the next SUBSCRIBE: the route set once the dialog is made, none for an initial one. */
    List<Address> routes() {
        return toTag != null ? routeSet : List.of();
    }

    /** Whether the dialog was made less than {@code young} before {@code now}. */
    boolean youngerThan(Instant now, Duration young) {
        return since != null && now.isBefore(since.plus(young));
    }

    /** The dialog made by the 2xx to the SUBSCRIBE: its Record-Route, reversed, is the route set (§12.1.2). */
    SubscribeDialog madeBy(Response response, Instant now) {
        String tag = ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
        List<Address> rr = Requests.recordRoute(response);
        Collections.reverse(rr);
        return new SubscribeDialog(callId, fromTag, tag, remoteTarget, List.copyOf(rr), now);
    }

    /**
     * The dialog made by a NOTIFY (RFC 6665 §4.1.2.4): as the request's recipient, its Record-Route in order is
     * the route set (RFC 3261 §12.1.1).
     */
    SubscribeDialog madeBy(Request notify, Instant now) {
        String tag = ((FromHeader) notify.getHeader(FromHeader.NAME)).getTag();
        return new SubscribeDialog(callId, fromTag, tag, remoteTarget, List.copyOf(Requests.recordRoute(notify)), now);
    }

    /** The dialog with the remote target {@code m}'s Contact names, if it has one (a target refresh). */
    SubscribeDialog refreshedBy(Message m) {
        ContactHeader c = (ContactHeader) m.getHeader(ContactHeader.NAME);
        if (c == null) {
            return this;
        }
        return new SubscribeDialog(
                callId, fromTag, toTag, c.getAddress().getURI().toString(), routeSet, since);
    }
}
