// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.sipfailover.api.dns.Resolution;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.net.FailureCause;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.time.Scheduler;

/** The lookup of a flow's server: the targets it resolves to that use a transport this stack offers, or why none. */
final class TargetLookup {

    private final Supplier<ServerResolver> resolver;
    private final Scheduler scheduler;
    private final Predicate<Transport> offered;
    private final Supplier<List<Transport>> transports;

    /**
     * @param resolver the resolver service, {@code null} while there is none; read once per lookup
     * @param offered whether this stack listens on a transport
     * @param transports the transports this stack offers, to name them when no target uses one
     */
    TargetLookup(
            Supplier<ServerResolver> resolver,
            Scheduler scheduler,
            Predicate<Transport> offered,
            Supplier<List<Transport>> transports) {
        this.resolver = resolver;
        this.scheduler = scheduler;
        this.offered = offered;
        this.transports = transports;
    }

    /**
     * Resolves {@code address}; the usable targets, in the resolver's order, go to {@code found}, else the
     * cause and detail to {@code failed}. Both are called on the scheduler's thread, or at once on the caller's
     * when there is no resolver.
     */
    void start(ServerAddress address, Consumer<List<ResolvedTarget>> found, BiConsumer<FailureCause, String> failed) {
        ServerResolver r = resolver.get();
        if (r == null) {
            failed.accept(FailureCause.DNS_FAILURE, "no ServerResolver service");
            return;
        }
        r.resolveAsync(address)
                .whenComplete((res, err) -> scheduler.execute(() -> resolved(address, res, err, found, failed)));
    }

    private void resolved(
            ServerAddress address,
            Resolution res,
            Throwable err,
            Consumer<List<ResolvedTarget>> found,
            BiConsumer<FailureCause, String> failed) {
        if (err != null || res == null || res.isEmpty()) {
            failed.accept(
                    FailureCause.DNS_FAILURE,
                    err != null
                            ? err.toString()
                            : res == null ? "no resolution" : res.failure().orElse("no target"));
            return;
        }
        List<ResolvedTarget> usable =
                res.targets().stream().filter(t -> offered.test(t.transport())).toList();
        if (usable.isEmpty()) {
            failed.accept(
                    FailureCause.CONNECTION_REFUSED,
                    "no target of " + address + " uses a transport this stack offers " + transports.get());
            return;
        }
        found.accept(usable);
    }
}
