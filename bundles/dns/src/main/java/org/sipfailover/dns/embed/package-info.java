// SPDX-License-Identifier: Apache-2.0
/**
 * The DNS resolver for hosts without OSGi (plain Java, examples, benchmarks): made by {@link
 * org.sipfailover.dns.embed.DnsResolvers}, used as the API's {@link org.sipfailover.api.dns.ServerResolver}.
 */
@Export
@Version("0.1.0")
package org.sipfailover.dns.embed;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
