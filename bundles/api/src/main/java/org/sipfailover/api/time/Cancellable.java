// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.time;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A task scheduled with a {@link Scheduler}. Every {@link Scheduler} implementation, a host's or a test's virtual
 * one, makes its own, so hosts implement this type too.
 */
@ConsumerType
public interface Cancellable {

    /**
     * Prevents the task from running if it has not started. Idempotent.
     *
     * @return whether this call stopped the task from running
     */
    boolean cancel();
}
