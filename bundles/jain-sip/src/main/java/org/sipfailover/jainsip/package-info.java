// SPDX-License-Identifier: Apache-2.0
/**
 * Hooks into the transport of a JAIN-SIP stack, for the RFC 5626 flow manager: connection failures the
 * moment they happen, proof of life after a keep-alive, STUN on the SIP UDP socket, and TLS with a trust
 * store and host-name verification. JAIN-SIP loads {@link org.sipfailover.jainsip.FlowNetworkLayer} by
 * name, which is why it lives in the same bundle as the stack.
 */
@Export
@Version("1.2.0")
package org.sipfailover.jainsip;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
