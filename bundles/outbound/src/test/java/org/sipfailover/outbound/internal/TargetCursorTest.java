// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.net.Transport;

class TargetCursorTest {

    private static ResolvedTarget target(int last) throws Exception {
        return new ResolvedTarget(
                "sip.example.com",
                InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last}),
                5060,
                Transport.TCP,
                0,
                0);
    }

    @Test
    void walksTheTargetsInOrderAndStaysAtTheLast() throws Exception {
        TargetCursor cursor = new TargetCursor();
        cursor.reset(List.of(target(1), target(2)));

        assertThat(cursor.current()).isEqualTo(target(1));
        assertThat(cursor.advance()).isTrue();
        assertThat(cursor.current()).isEqualTo(target(2));
        assertThat(cursor.advance()).isFalse();
        assertThat(cursor.current()).isEqualTo(target(2));
    }

    @Test
    void anEndedWalkHasNoTargetUntilResolvedAgain() throws Exception {
        TargetCursor cursor = new TargetCursor();
        cursor.reset(List.of(target(1)));
        cursor.end();

        assertThatThrownBy(cursor::current).isInstanceOf(IndexOutOfBoundsException.class);
        cursor.reset(List.of(target(3)));
        assertThat(cursor.current()).isEqualTo(target(3));
    }

    @Test
    void afterAnEndedWalkTheNextTargetIsTheFirstAgain() throws Exception {
        TargetCursor cursor = new TargetCursor();
        cursor.reset(List.of(target(1), target(2)));
        cursor.end();

        assertThat(cursor.advance()).isTrue();
        assertThat(cursor.current()).isEqualTo(target(1));
    }

    @Test
    void nothingResolvedHasNoTarget() {
        TargetCursor cursor = new TargetCursor();

        assertThat(cursor.advance()).isFalse();
        assertThatThrownBy(cursor::current).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
