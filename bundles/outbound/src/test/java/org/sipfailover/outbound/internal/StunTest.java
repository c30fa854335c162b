// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StunTest {

    private static final byte[] TX = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    @Test
    void bindingRequestIsAValidHeader() {
        byte[] req = Stun.bindingRequest(TX);
        assertThat(req).hasSize(20);
        assertThat(Stun.isStun(req, 0, req.length)).isTrue();
        assertThat(ByteBuffer.wrap(req).getShort()).isEqualTo((short) 1);
    }

    @Test
    void parsesXorMappedIpv4AndIpv6() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40001);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 5060);

        assertThat(Stun.parse(success(v4), 0, success(v4).length))
                .get()
                .satisfies(r -> assertThat(r.mapped()).isEqualTo(v4))
                .satisfies(r -> assertThat(r.answers(TX)).isTrue())
                .satisfies(r -> assertThat(r.success()).isTrue());
        assertThat(Stun.parse(success(v6), 0, success(v6).length).get().mapped())
                .isEqualTo(v6);
    }

    @Test
    void sipIsNeverTakenForStun() {
        byte[] sip = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(Stun.isStun(sip, 0, sip.length)).isFalse();
        assertThat(Stun.isStun(crlf, 0, crlf.length)).isFalse();
    }

    /** Bytes from the network: no input makes the parser throw. */
    @Test
    void randomAndMutatedInputNeverThrows() throws Exception {
        SplittableRandom random = new SplittableRandom(5389);
        byte[] valid = success(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40001));
        for (int i = 0; i < 200_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[random.nextInt(64)];
                random.nextBytes(b);
            } else {
                b = valid.clone();
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            Stun.parse(b, 0, b.length);
        }
        byte[] lying = valid.clone();
        lying[23] = (byte) 0xff; // the attribute claims more bytes than there are
        assertThat(Stun.parse(lying, 0, lying.length)).isEmpty();
    }

    private static byte[] success(InetSocketAddress mapped) {
        byte[] ip = mapped.getAddress().getAddress();
        ByteBuffer mask = ByteBuffer.allocate(16).putInt(Stun.MAGIC_COOKIE).put(TX);
        byte[] x = new byte[ip.length];
        for (int i = 0; i < ip.length; i++) {
            x[i] = (byte) (ip[i] ^ mask.get(i));
        }
        int attrLen = 4 + ip.length;
        return ByteBuffer.allocate(20 + 4 + attrLen)
                .putShort((short) 0x0101)
                .putShort((short) (4 + attrLen))
                .putInt(Stun.MAGIC_COOKIE)
                .put(TX)
                .putShort((short) 0x0020)
                .putShort((short) attrLen)
                .put((byte) 0)
                .put((byte) (ip.length == 4 ? 1 : 2))
                .putShort((short) (mapped.getPort() ^ (Stun.MAGIC_COOKIE >>> 16)))
                .put(x)
                .array();
    }
}
