// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.net;

/**
 * Why a server was found failed. Each cause comes from a flow, a transaction, a probe or DNS; the line
 * keeps it in the server's health and shows it in transitions.
 */
public enum FailureCause {
    /** The TCP/TLS connection was reset or closed by the peer. */
    CONNECTION_RESET,
    /** The connection could not be opened (refused, unreachable, TLS handshake failed). */
    CONNECTION_REFUSED,
    /** No CRLF pong within the pong deadline (RFC 5626 §4.4.1). */
    PONG_TIMEOUT,
    /** No STUN binding response within the deadline (RFC 5626 §4.4.2). */
    STUN_TIMEOUT,
    /** The STUN mapped address changed: the NAT binding, and so the flow, is gone (RFC 5626 §4.4.2). */
    STUN_MAPPING_CHANGED,
    /** A SIP transaction timed out (Timer B/F) or was answered 408. */
    TRANSACTION_TIMEOUT,
    /** 430 Flow Failed (RFC 5626 §5.3, §11.5). */
    FLOW_FAILED,
    /** 439 First Hop Lacks Outbound Support (RFC 5626 §11.6). */
    FIRST_HOP_LACKS_OUTBOUND,
    /** 503 Service Unavailable, possibly with Retry-After. */
    SERVICE_UNAVAILABLE,
    /** An OPTIONS probe went unanswered. */
    PROBE_TIMEOUT,
    /** The server's name could not be resolved. */
    DNS_FAILURE,
    /** The server answered something that makes no sense (malformed, unexpected). */
    BAD_RESPONSE,
    /** The server rejected the request (a final error response other than those above). */
    REJECTED,
    /** Authentication failed: wrong or missing credentials. */
    AUTHENTICATION_FAILED,
    /** An operator or test forced the failover. */
    FORCED
}
