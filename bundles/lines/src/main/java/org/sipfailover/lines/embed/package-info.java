// SPDX-License-Identifier: Apache-2.0
/**
 * The line runtime for hosts without OSGi (plain Java, examples, benchmarks): made by {@link
 * org.sipfailover.lines.embed.LineFactory}, read as the API's {@link org.sipfailover.api.line.LineStatus}.
 */
@Export
@Version("0.1.0")
package org.sipfailover.lines.embed;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
