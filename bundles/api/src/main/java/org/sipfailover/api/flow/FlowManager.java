// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.flow;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens and keeps RFC 5626 flows ("SIP outbound") from one SIP stack per framework: connections to a
 * first-hop server, kept alive with CRLF pings (TCP/TLS) or STUN (UDP), watched for failure, and
 * recovered in the background (RFC 5626 §4.5). Registrations, subscriptions and probes run over flows.
 *
 * <p>The instance-id ({@code +sip.instance}, a {@code urn:uuid}) is made once and kept for the life of
 * the installation (RFC 5626 §4.1). Thread-safe. Configured under {@link #PID}.
 */
@ProviderType
public interface FlowManager {

    /** The configuration PID of the flow manager component. */
    String PID = "org.sipfailover.outbound";

    /** The stable instance-id, e.g. {@code urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF}. */
    String instanceId();

    /**
     * Opens a flow. Returns at once; the flow connects in the background and reports its progress to
     * the listener.
     *
     * @throws IllegalArgumentException naming the setting when the spec is unusable (unknown transport,
     *     bad port, a reg-id already in use for the line)
     */
    Flow open(FlowSpec spec, FlowListener listener);

    /** The flows open now, in no particular order. */
    List<Flow> flows();
}
