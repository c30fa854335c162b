// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.shell.internal;

import java.time.Instant;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;

/**
 * {@code sipfailover:resolve}: resolves a server with the {@link ServerResolver} service and prints the
 * ordered targets. Registered as a Gogo command through the {@code osgi.command.*} properties, which both
 * Felix Gogo and Karaf's shell pick up.
 *
 * <p>Malformed input surfaces as an {@link IllegalArgumentException} whose message names the bad value:
 * both shells print only the message, and a scripted run sees the command fail.
 */
@Component(
        service = ResolveCommand.class,
        property = {"osgi.command.scope=sipfailover", "osgi.command.function=resolve"})
public final class ResolveCommand {

    /*
     * Optional, dynamic and greedy: the command stays available while the resolver's bundle is stopped,
     * updated or replaced, and switches at once to a new or better-ranked resolver.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ServerResolver resolver;

    @Descriptor("resolve a SIP server: host, host:port or [v6]:port, optionally with ;transport=udp|tcp|tls")
    public String resolve(
            @Descriptor("the server, e.g. example.com, 192.0.2.1:5060 or example.com;transport=tcp") String server) {
        return resolve(ServerAddress.parse(server));
    }

    @Descriptor("resolve a SIP server on a port (0: use DNS SRV for a domain name)")
    public String resolve(
            @Descriptor("domain name or IP literal") String host,
            @Descriptor("0 (SRV lookup) or 1..65535") String port) {
        return resolve(address(host, port, null));
    }

    @Descriptor("resolve a SIP server on a port (0: use DNS SRV for a domain name) with a transport")
    public String resolve(
            @Descriptor("domain name or IP literal") String host,
            @Descriptor("0 (SRV lookup) or 1..65535") String port,
            @Descriptor("udp, tcp or tls") String transport) {
        return resolve(address(host, port, transport));
    }

    private String resolve(ServerAddress address) {
        ServerResolver current = resolver;
        if (current == null) {
            throw new IllegalStateException("no ServerResolver service is available (is the dns bundle active?)");
        }
        return ResolutionFormatter.format(current.resolve(address), Instant.now());
    }

    /**
     * @throws IllegalArgumentException naming the host, port or transport that is malformed
     */
    static ServerAddress address(String host, String port, String transport) {
        int p;
        try {
            p = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed port '" + port + "': expected 0 (not set) or 1..65535");
        }
        return new ServerAddress(host, p, transport == null ? null : Transport.parse(transport));
    }
}
