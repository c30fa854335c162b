// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.net;

/** The role a configured server plays for a line. */
public enum ServerRole {
    /** The proxy: its domain forms the line's address of record; INVITE and SUBSCRIBE are routed to it. */
    PROXY,
    /** The registrar: where REGISTER requests go. */
    REGISTRAR,
    /** The outbound proxy: the first hop of every request when configured (RFC 5626 edge proxy). */
    OUTBOUND_PROXY
}
