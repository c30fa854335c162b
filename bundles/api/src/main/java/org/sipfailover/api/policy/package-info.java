// SPDX-License-Identifier: Apache-2.0
/**
 * Failover policies: pure decisions of where a line should be placed, given its configuration and server health.
 */
@Export
@Version("1.0.0")
package org.sipfailover.api.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
