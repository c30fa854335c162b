// SPDX-License-Identifier: Apache-2.0
/**
 * Resolution of configured server addresses into ordered, expiring targets (RFC 3263, RFC 2782).
 */
@Export
@Version("1.0.0")
package org.sipfailover.api.dns;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
