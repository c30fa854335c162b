package org.sipfailover.api.time;

import org.osgi.annotation.versioning.ProviderType;

/** A task scheduled with a {@link Scheduler}. */
@ProviderType
public interface Cancellable {

    /**
     * Prevents the task from running if it has not started. Idempotent.
     *
     * @return whether this call stopped the task from running
     */
    boolean cancel();
}
