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
        assertThat(port).isBetween(1, 65535);
        try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(lo, port));
             ServerSocket t = new ServerSocket()) {
            t.bind(new InetSocketAddress(lo, port));
            assertThat(u.getLocalPort()).isEqualTo(t.getLocalPort());
        }
    }
}
