// SPDX-License-Identifier: Apache-2.0
/**
 * Server addresses and transports: what a configuration names before anything is resolved.
 */
@Export
@Version("1.0.0")
package org.sipfailover.api.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
