// SPDX-License-Identifier: Apache-2.0
/**
 * Lines: their configuration model, status, events and configuration PIDs.
 */
@Export
@Version("1.2.0")
package org.sipfailover.api.line;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
