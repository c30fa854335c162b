// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests;

import static org.sipfailover.itests.TestRecords.*;

import java.io.IOException;
import java.nio.file.Path;
import org.sipfailover.testkit.dns.DnsZone;
import org.sipfailover.testkit.dns.Dnsmasq;

/**
 * The test's two real DNS servers (dnsmasq on 127.0.0.1, free ports). Driver side only: Pax Exam calls
 * {@code @Configuration} outside the framework, and this class (with the testkit) is never loaded inside it.
 * The testkit stops the processes when the JVM exits.
 */
final class DnsServers {

    private static Dnsmasq first;
    private static Dnsmasq second;

    private DnsServers() {}

    /** Starts both servers once per JVM. @return their addresses, {@code 127.0.0.1:port}, first then second */
    static synchronized String[] start(Path workDir) throws IOException {
        if (first == null) {
            DnsZone.Builder a = DnsZone.builder().ttl(TTL).host(PROBE_HOST, FIRST_PROBE_IP);
            for (int i = 0; i < FIRST_TARGETS.length; i++) {
                a.srv(SRV_OWNER, FIRST_TARGETS[i], FIRST_PORTS[i], FIRST_PRIORITIES[i], FIRST_WEIGHTS[i])
                        .host(FIRST_TARGETS[i], FIRST_IPS[i]);
            }
            first = Dnsmasq.start(a.build(), workDir.resolve("dnsmasq-first"));
            second = Dnsmasq.start(
                    DnsZone.builder()
                            .ttl(TTL)
                            .host(PROBE_HOST, SECOND_PROBE_IP)
                            .srv(SRV_OWNER, SECOND_TARGET, SECOND_PORT, 5, 0)
                            .host(SECOND_TARGET, SECOND_IP)
                            .build(),
                    workDir.resolve("dnsmasq-second"));
        }
        return new String[] {first.address(), second.address()};
    }
}
