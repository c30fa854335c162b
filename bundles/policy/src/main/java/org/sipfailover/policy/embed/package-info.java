// SPDX-License-Identifier: Apache-2.0
/**
 * The built-in failover policies for hosts without OSGi (plain Java, examples, benchmarks), by {@code
 * policy.name}: {@link org.sipfailover.policy.embed.Policies}.
 */
@Export
@Version("0.1.0")
package org.sipfailover.policy.embed;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
