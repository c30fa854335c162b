// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import java.time.Duration;
import org.sipfailover.api.net.FailureCause;

/**
 * The outcome of one OPTIONS probe.
 *
 * @param status the response status code, or 0 when none arrived
 * @param roundTrip the time to the response, or {@code null} when none arrived
 * @param cause why the probe failed, or {@code null} when the server answered (any response counts: the
 *     server is alive)
 */
public record ProbeResult(int status, Duration roundTrip, FailureCause cause) {

    public boolean answered() {
        return cause == null;
    }
}
