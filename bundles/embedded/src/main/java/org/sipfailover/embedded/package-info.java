// SPDX-License-Identifier: Apache-2.0
/**
 * sip-failover in a plain-Java host, without OSGi: {@link org.sipfailover.embedded.SipFailover} wires the
 * resolver, the flow manager, the failover policies and the lines; each {@link org.sipfailover.embedded.Line}
 * is read as the API's {@link org.sipfailover.api.line.LineStatus}.
 */
@Export
@Version("0.1.0")
package org.sipfailover.embedded;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
