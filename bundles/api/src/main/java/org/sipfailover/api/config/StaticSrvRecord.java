// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.config;

import java.util.Objects;

/**
 * A DNS SRV record given by the configuration rather than by DNS (Aastra {@code sip dns srvN ...},
 * AudioCodes {@code voip/dns_cache_srv/N/...}): used in place of a DNS answer for its name.
 *
 * @param name the owner name, e.g. {@code _sip._udp.example.com}
 * @param priority lower first, 0..65535
 * @param weight relative weight within the priority, 0..65535
 * @param port 1..65535
 * @param target the host name or IP literal of the target
 */
public record StaticSrvRecord(String name, int priority, int weight, int port, String target) {

    public StaticSrvRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        if (priority < 0 || priority > 65535) {
            throw new IllegalArgumentException("SRV record " + name + ": priority " + priority + " not in 0..65535");
        }
        if (weight < 0 || weight > 65535) {
            throw new IllegalArgumentException("SRV record " + name + ": weight " + weight + " not in 0..65535");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SRV record " + name + ": port " + port + " not in 1..65535");
        }
    }
}
