// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The flow manager's configuration, PID {@code org.sipfailover.outbound}. */
@ObjectClassDefinition(
        name = "sip-failover flow manager",
        description = "The SIP stack that carries RFC 5626 flows: local address and ports, TLS trust, time-outs")
public @interface OutboundConfig {

    @AttributeDefinition(
            name = "Local address",
            description = "the IP address the SIP stack binds to and puts in Via and Contact")
    String localAddress() default "127.0.0.1";

    @AttributeDefinition(
            name = "UDP port",
            description = "the UDP port of flows without symmetric UDP signalling; 0 = a random port")
    int udpPort() default 0;

    @AttributeDefinition(
            name = "Symmetric UDP port",
            description = "the local port that UDP flows with symmetric signalling (Aastra \"sip symmetric udp"
                    + " signaling\") send from and listen on, and put in Via and Contact; opened when the first"
                    + " such flow needs it. Flows without it keep the UDP port")
    int symmetricUdpPort() default 5060;

    @AttributeDefinition(name = "TCP port", description = "listening port for TCP; 0 = a random port")
    int tcpPort() default 0;

    @AttributeDefinition(name = "TLS port", description = "listening port for TLS; 0 = a random port, -1 = no TLS")
    int tlsPort() default -1;

    @AttributeDefinition(
            name = "Persistent TLS port",
            description = "the local port that TLS flows with persistent TLS (Aastra \"Persistent TLS\") connect"
                    + " from: one connection per server, shared by every flow to it; other TLS flows connect from"
                    + " random ports. Give the TLS port the same value to listen and connect on one port, as a"
                    + " phone does")
    int persistentTlsPort() default 5061;

    @AttributeDefinition(
            name = "Trust store",
            required = false,
            description = "PKCS12 or JKS file with the CAs that TLS servers must chain to; empty = the JDK's")
    String trustStore() default "";

    /**
     * The property {@code .trustStorePassword}: the leading dot keeps it out of the service's properties,
     * and so out of the shell's output.
     */
    @AttributeDefinition(
            name = "Trust store password",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD,
            required = false)
    String _trustStorePassword() default "";

    @AttributeDefinition(
            name = "Transaction time-out (ms)",
            description =
                    "how long a request waits for its final response before the flow counts as failed, unless the line sets its own (transactionTimeout); at most Timer F, 32 s")
    int transactionTimeoutMillis() default 8000;

    @AttributeDefinition(name = "User-Agent")
    String userAgent() default "sip-failover";
}
