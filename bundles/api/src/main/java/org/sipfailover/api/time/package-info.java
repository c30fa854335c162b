// SPDX-License-Identifier: Apache-2.0
/**
 * The one clock and scheduler every timer of the product goes through, so that logic can run in virtual time.
 */
@Export
@Version("1.1.0")
package org.sipfailover.api.time;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
