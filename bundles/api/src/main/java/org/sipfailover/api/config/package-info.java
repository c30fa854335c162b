// SPDX-License-Identifier: Apache-2.0
/**
 * The line configuration model: what a line is configured with, whichever vendor file or hand-written
 * ConfigAdmin configuration it came from, and the PIDs under which lines are configured.
 */
@Export
@Version("2.0.0")
package org.sipfailover.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
