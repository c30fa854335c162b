// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void portIsFreeForUdpAndTcp() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        int port = FreePorts.udpAndTcp(lo);
        // below the ephemeral range: no client socket can take it while its server is down for a restart
        assertThat(port).isBetween(FreePorts.LOWEST, FreePorts.ephemeralLow() - 1);
        try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(lo, port));
                ServerSocket t = new ServerSocket()) {
            t.bind(new InetSocketAddress(lo, port));
            assertThat(u.getLocalPort()).isEqualTo(t.getLocalPort());
        }
    }
}
