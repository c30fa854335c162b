// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The little of STUN (RFC 5389) that RFC 5626 §4.4.2 keep-alives need: a Binding request, and the parse
 * of its response with the mapped address. The parser reads bytes from the network: it checks every
 * length against the buffer and never throws.
 */
final class Stun {

    static final int MAGIC_COOKIE = 0x2112A442;
    static final int HEADER = 20;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int BINDING_SUCCESS = 0x0101;
    private static final int BINDING_ERROR = 0x0111;
    private static final int MAPPED_ADDRESS = 0x0001;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;

    private Stun() {}

    /** A Binding response. */
    record Response(byte[] transactionId, boolean success, InetSocketAddress mapped) {

        /** Whether it answers the request with this transaction id. */
        boolean answers(byte[] txId) {
            return Arrays.equals(transactionId, txId);
        }
    }

    /** A Binding request with no attributes. */
    static byte[] bindingRequest(byte[] transactionId) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("a STUN transaction id has 12 bytes");
        }
        return ByteBuffer.allocate(HEADER)
                .putShort((short) BINDING_REQUEST)
                .putShort((short) 0)
                .putInt(MAGIC_COOKIE)
                .put(transactionId)
                .array();
    }

    /**
     * Whether a datagram is STUN rather than SIP: the first two bits are zero, the length is a multiple of
     * four that matches the datagram, and the magic cookie is there (RFC 5389 §6, RFC 7983). A SIP message
     * starts with a letter, so the two never mix.
     */
    static boolean isStun(byte[] buf, int off, int len) {
        if (len < HEADER || off < 0 || off + len > buf.length) {
            return false;
        }
        int length = ((buf[off + 2] & 0xff) << 8) | (buf[off + 3] & 0xff);
        return (buf[off] & 0xC0) == 0
                && (length & 3) == 0
                && length + HEADER == len
                && ByteBuffer.wrap(buf, off + 4, 4).getInt() == MAGIC_COOKIE;
    }

    /** Parses a Binding success or error response; empty for anything else or anything malformed. */
    static Optional<Response> parse(byte[] buf, int off, int len) {
        if (!isStun(buf, off, len)) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        int type = b.getShort() & 0xffff;
        if (type != BINDING_SUCCESS && type != BINDING_ERROR) {
            return Optional.empty();
        }
        b.getShort();
        b.getInt();
        byte[] txId = new byte[12];
        b.get(txId);
        InetSocketAddress mapped = null;
        InetSocketAddress xorMapped = null;
        while (b.remaining() >= 4) {
            int attrType = b.getShort() & 0xffff;
            int attrLen = b.getShort() & 0xffff;
            if (attrLen > b.remaining()) {
                return Optional.empty();
            }
            byte[] value = new byte[attrLen];
            b.get(value);
            b.position(Math.min(b.limit(), b.position() + ((4 - attrLen % 4) % 4)));
            if (attrType == XOR_MAPPED_ADDRESS) {
                xorMapped = address(value, true, txId);
            } else if (attrType == MAPPED_ADDRESS) {
                mapped = address(value, false, txId);
            }
        }
        return Optional.of(new Response(txId, type == BINDING_SUCCESS, xorMapped != null ? xorMapped : mapped));
    }

    private static InetSocketAddress address(byte[] v, boolean xor, byte[] txId) {
        if (v.length < 4) {
            return null;
        }
        int family = v[1] & 0xff;
        int addrLen = family == 1 ? 4 : family == 2 ? 16 : -1;
        if (addrLen < 0 || v.length < 4 + addrLen) {
            return null;
        }
        int port = ((v[2] & 0xff) << 8) | (v[3] & 0xff);
        byte[] ip = Arrays.copyOfRange(v, 4, 4 + addrLen);
        if (xor) {
            port ^= MAGIC_COOKIE >>> 16;
            byte[] mask = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(txId).array();
            for (int i = 0; i < addrLen; i++) {
                ip[i] ^= mask[i];
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 bytes
        }
    }
}
