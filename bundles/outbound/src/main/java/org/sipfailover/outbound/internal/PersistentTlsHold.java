// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.net.InetSocketAddress;
import org.sipfailover.jainsip.TransportHooks;

/** A flow's wish for a persistent TLS connection (made from the persistent TLS port), until it gives it back. */
final class PersistentTlsHold {

    private final Object lock;
    private final TransportHooks hooks;
    // guarded by lock
    private InetSocketAddress held;

    /** @param lock the flow's lock, which guards what is held */
    PersistentTlsHold(Object lock, TransportHooks hooks) {
        this.lock = lock;
        this.hooks = hooks;
    }

    /** Gives back the wish held, if any, then asks for a persistent connection to {@code remote}. */
    void hold(InetSocketAddress remote) {
        release();
        synchronized (lock) {
            held = remote;
        }
        hooks.holdPersistentTls(remote);
    }

    /** Gives back the wish held, if any. */
    void release() {
        InetSocketAddress h;
        synchronized (lock) {
            h = held;
            held = null;
        }
        if (h != null) {
            hooks.releasePersistentTls(h);
        }
    }
}
