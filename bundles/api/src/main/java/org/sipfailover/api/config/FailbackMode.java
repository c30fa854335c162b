// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.config;

/**
 * When a homing policy returns a line from the backup to the recovered primary (the taxonomy of
 * Yealink's {@code failback_mode} and Polycom's {@code failOver.failBack.mode}). In every mode the
 * primary must have stayed healthy for the line's failback hold-off first, and a return can wait until
 * no call is in progress.
 */
public enum FailbackMode {
    /** As soon as the primary is seen healthy (by background flow recovery or a probe). */
    IMMEDIATE,
    /** Every new request tries the primary first; the line returns when one succeeds there. */
    NEW_REQUESTS,
    /** When the DNS TTL of the current server's resolution ends. */
    DNS_TTL,
    /** At the next registration refresh. */
    REGISTRATION,
    /** After the failback timeout has passed on the backup. */
    DURATION,
    /** Never: stay on the backup until it fails (symmetric behaviour). */
    NEVER
}
