// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.HealthObservation;
import org.sipfailover.api.time.Cancellable;

/**
 * A line's {@code dns-ttl} failback timer: when the TTL of the server in use ends.
 *
 * <p>The server in use is looked up, and when the TTL of that answer ends the line hears a DNS observation of
 * it, the occasion on which the policy may return to the primary. A server given as an IP literal has no TTL to
 * end. Owned by the lane.
 */
final class DnsTtlWatch {

    /** Hears, on the lane, that the TTL of the server in use ended. */
    @FunctionalInterface
    interface Listener {
        void ended(ServerAddress address, HealthObservation o);
    }

    private final LineContext line;
    private final LineServers servers;
    /** The current resolver; may give {@code null}. */
    private final Supplier<ServerResolver> resolver;

    private final Listener listener;
    private Cancellable timer;
    private ServerAddress watched;

    DnsTtlWatch(LineContext line, LineServers servers, Supplier<ServerResolver> resolver, Listener listener) {
        this.line = line;
        this.servers = servers;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.listener = listener;
    }

    /** Watches the TTL of the active binding's first hop, when the line fails back on DNS TTL; else nothing. */
    void watch(Optional<Binding> active) {
        ServerAddress inUse =
                active.map(b -> servers.address(servers.firstHop(b))).orElse(null);
        if (line.config().failbackMode() != FailbackMode.DNS_TTL || inUse == null || inUse.isIpLiteral()) {
            LineContext.cancel(timer);
            timer = null;
            watched = null;
            return;
        }
        if (inUse.equals(watched)) {
            return;
        }
        LineContext.cancel(timer);
        timer = null;
        watched = inUse;
        ServerResolver r = resolver.get();
        if (r == null) {
            return;
        }
        ServerRef server = servers.firstHop(active.get());
        r.resolveAsync(inUse)
                .whenComplete((res, err) -> line.onLane(() -> {
                    if (line.closed() || !inUse.equals(watched) || res == null || res.expiry() == null) {
                        return;
                    }
                    Duration wait = Duration.between(line.now(), res.expiry());
                    if (wait.compareTo(Duration.ofDays(1)) > 0) {
                        return; // no TTL worth waiting for
                    }
                    timer = line.schedule(
                            () -> {
                                if (line.closed() || !inUse.equals(watched)) {
                                    return;
                                }
                                watched = null; // looked up again at the next reconcile, for the next TTL
                                listener.ended(
                                        inUse,
                                        HealthObservation.success(
                                                server,
                                                line.now(),
                                                HealthObservation.Source.DNS,
                                                "the DNS TTL of " + inUse + " ended"));
                            },
                            wait.isNegative() ? Duration.ZERO : wait);
                }));
    }

    /** Stops the timer, for a line that closes. */
    void cancel() {
        LineContext.cancel(timer);
    }
}
