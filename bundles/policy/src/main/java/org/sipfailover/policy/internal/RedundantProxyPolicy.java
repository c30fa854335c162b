// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import static org.sipfailover.policy.internal.Servers.allUsable;
import static org.sipfailover.policy.internal.Servers.failure;
import static org.sipfailover.policy.internal.Servers.firstUnusable;
import static org.sipfailover.policy.internal.Servers.has;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.HealthState;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.api.policy.Trigger;

/**
 * The AudioCodes 400HD redundant proxy (seed 004), both modes; {@link RedundantAsymmetricPolicy} and
 * {@link RedundantSymmetricPolicy} publish it. The line registers to one proxy at a time, with one binding
 * (reg-id 1 with SIP outbound, 0 without), and keeps it alive with OPTIONS every probe interval.
 *
 * <p>The servers that go with a proxy: AudioCodes has no backup registrar of its own, so the registrar
 * has the proxy's rank when a backup registrar is configured or the line has no registrar (its proxies
 * register), and stays the primary registrar otherwise; likewise the outbound proxy has the proxy's rank
 * when a backup outbound proxy is configured, stays the primary one when only that is configured, and is
 * absent otherwise. The proxy "does not answer" when any server that goes with it is unusable (grey, or
 * black-listed by a 503 Retry-After until then).
 *
 * <ul>
 * <li><b>Asymmetric</b> (mode 0): the line registers to the primary and probes it. When it does not
 *     answer (a probe timeout, or any failure observed on it), the line registers to the redundant proxy
 *     and goes on probing the primary (and the servers that go with it), and probes the redundant proxy
 *     too, as the phone's registrar keep-alive does, so that its silence is seen before the next
 *     REGISTER and the line goes back to a primary that answers, hold-off or not. When the primary answers again
 *     the line returns by the {@link Failback} rules: up for the hold-off, the failback mode's occasion,
 *     not during a call when {@code failbackWhenIdle}.
 * <li><b>Symmetric</b> (mode 1): the proxy in use, whichever it is, is the only one probed, and the line
 *     switches only when it does not answer: it never returns while the current one works.
 * <li><b>Both</b>: when the proxy in use does not answer and the other one is usable, the line registers
 *     to the other one at once. When neither answers (the line is not registered), it alternates between
 *     them until one registers: the one that failed first is tried first, then the other, changing every
 *     {@code max(registrationRetry, registrationTimeoutRetry)} counted from the moment both were known
 *     down; the other one is probed meanwhile, so an answer moves the line at once. A proxy black-listed
 *     by Retry-After is not tried before its time. After a restart ({@link Trigger#START} with the saved
 *     placement) the line starts with the proxy it was last using or trying, not necessarily the primary.
 * </ul>
 *
 * {@link Trigger#FORCED_FAILOVER}: asymmetric to the redundant proxy, symmetric to the other proxy; {@link
 * Trigger#FORCED_FAILBACK}: to the primary. {@link #validate} requires a redundant proxy.
 */
abstract class RedundantProxyPolicy implements FailoverPolicy {

    private final boolean symmetric;

    RedundantProxyPolicy(boolean symmetric) {
        this.symmetric = symmetric;
    }

    @Override
    public void validate(LineConfig c) {
        if (!has(c, ServerRole.PROXY, Rank.BACKUP)) {
            throw new IllegalArgumentException("line " + c.id() + ": policy " + name() + " needs a backup proxy ("
                    + LineProperties.serverKey(ServerRole.PROXY, Rank.BACKUP) + ")");
        }
    }

    @Override
    public Decision decide(PolicyInput in) {
        LineConfig c = in.config();
        Steps steps = new Steps();
        // the placement the line has or is trying: after a restart, the saved one ("the last proxy it was trying")
        Rank rank = in.current().activeBinding().map(Binding::proxy).orElse(Rank.PRIMARY);
        if (!has(c, ServerRole.PROXY, Rank.BACKUP)) {
            rank = Rank.PRIMARY; // refused by validate; a line that runs anyway stays where it can
        } else {
            rank = next(in, rank, steps);
        }
        // the proxy in use is always probed: the keep-alive of seed 004 (symmetric: the proxy in use; asymmetric:
        // the primary), and on the redundant proxy in asymmetric mode what the phone's registrar keep-alive
        // (registrar_ka) does there: without it a silent redundant proxy would show only at the next REGISTER
        steps.probe(ServerRef.of(ServerRole.PROXY, rank));
        if (!symmetric && rank == Rank.BACKUP && Failback.watch(in, servers(c, Rank.PRIMARY))) {
            // asymmetric on the redundant proxy "continues sending keep-alive messages to the primary"; with a
            // registrar or outbound proxy of its own the primary's are watched too, or they would stay grey
            steps.probe(servers(c, Rank.PRIMARY));
        }
        return steps.decide(in, Placement.of(binding(c, rank)), "placement fitted to " + name() + " on line " + c.id());
    }

    private Rank next(PolicyInput in, Rank rank, Steps steps) {
        LineConfig c = in.config();
        Rank other = rank.other();
        if (in.trigger() == Trigger.FORCED_FAILOVER) {
            Rank to = symmetric ? other : Rank.BACKUP;
            if (to != rank) {
                steps.moved("forced failover to the " + name(to) + " proxy");
            }
            return to;
        }
        if (in.trigger() == Trigger.FORCED_FAILBACK) {
            if (rank != Rank.PRIMARY) {
                steps.moved("forced failback to the primary proxy");
            }
            return Rank.PRIMARY;
        }
        List<ServerRef> mine = servers(c, rank);
        List<ServerRef> theirs = servers(c, other);
        if (!allUsable(in, mine)) {
            if (allUsable(in, theirs)) {
                steps.moved(failure(in, firstUnusable(in, mine).orElseThrow()) + ": registering to the " + name(other)
                        + " proxy");
                return other;
            }
            steps.probe(theirs);
            return bothDown(in, rank, mine, theirs, steps);
        }
        if (symmetric || rank == Rank.PRIMARY) {
            return rank;
        }
        Failback.Outcome o = Failback.check(in, servers(c, Rank.PRIMARY), mine);
        switch (o.verdict()) {
            case GO:
                steps.moved("the primary proxy answers again: " + o.reason());
                return Rank.PRIMARY;
            case WAIT:
                steps.askAt(o.at());
                steps.stayed(o.reason());
                return rank;
            default:
                steps.stayed(o.reason());
                return rank;
        }
    }

    /**
     * Neither proxy answers: "the phone attempts to register to an alternative proxy. These attempts
     * continue until the phone successfully registers" (seed 004). The policy has no memory, so the
     * alternation is read from time: slots of the retry wait counted from when both were known down, the
     * one that failed first in the even slots. Every decision inside a slot gives the same answer, so the
     * line's many observations of two dead servers never make it flip back and forth.
     */
    private Rank bothDown(PolicyInput in, Rank rank, List<ServerRef> mine, List<ServerRef> theirs, Steps steps) {
        Instant now = in.now();
        Instant mineBlack = blackUntil(in, mine);
        Instant theirsBlack = blackUntil(in, theirs);
        String down = failure(in, firstUnusable(in, mine).orElseThrow()) + ", and "
                + failure(in, firstUnusable(in, theirs).orElseThrow());
        if (mineBlack != null || theirsBlack != null) {
            // a proxy that asked to be left alone is not tried before its time; the other one is, if it may be
            Rank to = mineBlack == null ? rank : theirsBlack == null ? rank.other() : rank;
            Instant until = mineBlack == null
                    ? theirsBlack
                    : theirsBlack == null ? mineBlack : mineBlack.isBefore(theirsBlack) ? mineBlack : theirsBlack;
            steps.askAt(until);
            return settle(rank, to, down + ": trying the " + name(to) + " proxy until " + until, steps);
        }
        Instant mineSince = latestSince(in, mine);
        Instant theirsSince = latestSince(in, theirs);
        Instant anchor = mineSince.isAfter(theirsSince) ? mineSince : theirsSince;
        Rank first =
                mineSince.isBefore(theirsSince) ? rank : theirsSince.isBefore(mineSince) ? rank.other() : Rank.PRIMARY;
        Duration period = retryWait(in.config());
        long slot = Duration.between(anchor, now).toMillis() / period.toMillis();
        Rank to = slot % 2 == 0 ? first : first.other();
        Instant end = anchor.plus(period.multipliedBy(slot + 1));
        steps.askAt(end);
        return settle(rank, to, down + ": trying the " + name(to) + " proxy until " + end, steps);
    }

    private static Rank settle(Rank rank, Rank to, String why, Steps steps) {
        if (to == rank) {
            steps.stayed(why);
        } else {
            steps.moved(why);
        }
        return to;
    }

    /** The wait between two registration attempts while neither proxy answers; never below a second. */
    private static Duration retryWait(LineConfig c) {
        Duration d = c.registrationRetry().compareTo(c.registrationTimeoutRetry()) >= 0
                ? c.registrationRetry()
                : c.registrationTimeoutRetry();
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    /** The latest time a black-listed server among these may be used again, or null if none is black-listed. */
    private static Instant blackUntil(PolicyInput in, List<ServerRef> servers) {
        Instant until = null;
        for (ServerRef s : servers) {
            ServerHealth h = in.health(s);
            if (h.state() == HealthState.BLACK
                    && !h.usable(in.now())
                    && h.until() != null
                    && (until == null || h.until().isAfter(until))) {
                until = h.until();
            }
        }
        return until;
    }

    /** When the last of these servers became unusable. */
    private static Instant latestSince(PolicyInput in, List<ServerRef> servers) {
        Instant since = Instant.MIN;
        for (ServerRef s : servers) {
            ServerHealth h = in.health(s);
            if (!h.usable(in.now()) && h.since().isAfter(since)) {
                since = h.since();
            }
        }
        return since;
    }

    /** The servers that go with the proxy of a rank, the proxy first. */
    static List<ServerRef> servers(LineConfig c, Rank rank) {
        List<ServerRef> out = new ArrayList<>();
        out.add(ServerRef.of(ServerRole.PROXY, rank));
        // a registrar or outbound proxy that stays the primary whatever the proxy is no reason to switch proxies
        ServerRef registrar = Servers.registrar(c, rank);
        if (Servers.registrarHasBackup(c) && !out.contains(registrar)) {
            out.add(registrar);
        }
        if (has(c, ServerRole.OUTBOUND_PROXY, Rank.BACKUP)) {
            out.add(ServerRef.of(ServerRole.OUTBOUND_PROXY, rank));
        }
        return out;
    }

    static Binding binding(LineConfig c, Rank rank) {
        return new Binding(Servers.regId(c), rank, registrarRank(c, rank), outboundRank(c, rank));
    }

    private static Rank registrarRank(LineConfig c, Rank proxy) {
        return Servers.registrarHasBackup(c) ? proxy : Rank.PRIMARY;
    }

    private static Rank outboundRank(LineConfig c, Rank proxy) {
        if (has(c, ServerRole.OUTBOUND_PROXY, Rank.BACKUP)) {
            return proxy;
        }
        return has(c, ServerRole.OUTBOUND_PROXY, Rank.PRIMARY) ? Rank.PRIMARY : null;
    }

    private static String name(Rank r) {
        return r == Rank.PRIMARY ? "primary" : "redundant";
    }
}
