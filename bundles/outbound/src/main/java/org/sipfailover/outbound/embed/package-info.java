// SPDX-License-Identifier: Apache-2.0
/**
 * The RFC 5626 flow manager for hosts without OSGi (plain Java, examples, benchmarks): made by {@link
 * org.sipfailover.outbound.embed.FlowManagers}, used as the API's {@link org.sipfailover.api.flow.FlowManager}.
 */
@Export
@Version("0.1.0")
package org.sipfailover.outbound.embed;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
