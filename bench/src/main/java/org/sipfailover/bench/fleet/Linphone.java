// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * linphonec 5.1 (Debian package {@code linphone-cli}) with the two servers. Linphone has no backup proxy,
 * backup registrar or alternate outbound proxy setting (its route list is a path, not alternates; users ask for
 * one in linphone-android#2456): its documented failover is SRV, which needs a DNS server on port 53 that
 * linphonec takes from {@code /etc/resolv.conf} (a loopback dnsmasq on another port cannot be given in its
 * configuration). What a user can configure is two accounts with the same identity, one per server
 * ({@code [proxy_0]} at the primary, {@code [proxy_1]} at the backup), both registered: that is what runs here.
 */
final class Linphone extends ExternalClient {

    Linphone(String transport) {
        super(transport);
    }

    @Override
    public String name() {
        return "linphonec";
    }

    @Override
    String debianPackage() {
        return "linphone-cli";
    }

    @Override
    public String setup() {
        return "two accounts (proxy_0 primary, proxy_1 backup)";
    }

    @Override
    List<String> configure(Registrars servers, Path dir, int localPort) throws IOException {
        String t = ";transport=" + transport;
        String identity = "sip:" + USER + "@" + Registrars.SHARED_DOMAIN;
        String rc = String.join(
                "\n",
                "[sip]",
                "sip_port=" + (transport.equals("udp") ? localPort : -1),
                "sip_tcp_port=" + (transport.equals("tcp") ? localPort : -1),
                "sip_tls_port=-1",
                "bind_address=127.0.0.1",
                "default_proxy=0",
                "register_only_when_network_is_up=0",
                "guess_hostname=1",
                "[net]",
                "mtu=1300",
                "[sound]",
                "playback_dev_id=",
                "capture_dev_id=",
                "[video]",
                "enabled=0",
                "capture=0",
                "display=0",
                "[proxy_0]",
                "reg_proxy=<sip:127.0.0.1:" + servers.primary.k.port() + t + ">",
                "reg_identity=" + identity,
                "reg_expires=600",
                "reg_sendregister=1",
                "publish=0",
                "dial_escape_plus=0",
                "[proxy_1]",
                "reg_proxy=<sip:127.0.0.2:" + servers.backup.k.port() + t + ">",
                "reg_identity=" + identity,
                "reg_expires=600",
                "reg_sendregister=1",
                "publish=0",
                "dial_escape_plus=0",
                "");
        Path file = dir.resolve("linphonerc");
        Files.writeString(file, rc);
        return List.of("/usr/bin/linphonec", "-c", file.toString());
    }
}
