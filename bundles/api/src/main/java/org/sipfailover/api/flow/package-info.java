// SPDX-License-Identifier: Apache-2.0
/**
 * RFC 5626 flows and the SIP work done over them (REGISTER, SUBSCRIBE, OPTIONS).
 */
@Export
@Version("1.4.0")
package org.sipfailover.api.flow;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
