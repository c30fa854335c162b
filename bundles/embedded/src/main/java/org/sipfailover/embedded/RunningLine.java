// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.embedded;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.line.SubscriptionState;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.ServerHealth;
import org.sipfailover.lines.embed.EmbeddedLine;
import org.sipfailover.lines.embed.LineEnding;

/** A {@link Line} of a {@link SipFailover}: the embedded line runtime, with policies chosen by name. */
final class RunningLine implements Line {

    private final SipFailover owner;
    private final EmbeddedLine line;
    private volatile boolean closed;

    RunningLine(SipFailover owner, EmbeddedLine line) {
        this.owner = owner;
        this.line = line;
    }

    void start(FailoverPolicy policy) {
        line.start(policy);
    }

    /** Unregisters, keeping the saved placement; completes when done. */
    CompletableFuture<Void> stop() {
        closed = true;
        return line.close(LineEnding.SHUT_DOWN).toCompletableFuture();
    }

    @Override
    public void swapPolicy(String policyName) {
        FailoverPolicy next = owner.policy(policyName);
        checkOpen();
        line.swapPolicy(next);
    }

    @Override
    public void reconfigure(LineConfig next) {
        FailoverPolicy policy = owner.policy(next.policy());
        checkOpen();
        line.reconfigure(next, policy);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        owner.remove(this);
        owner.await(stop(), "line " + lineId());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("line " + lineId() + " is closed");
        }
    }

    @Override
    public String lineId() {
        return line.lineId();
    }

    @Override
    public LineConfig config() {
        return line.config();
    }

    @Override
    public Placement placement() {
        return line.placement();
    }

    @Override
    public Set<Binding> liveBindings() {
        return line.liveBindings();
    }

    @Override
    public boolean isRegistered() {
        return line.isRegistered();
    }

    @Override
    public String policyName() {
        return line.policyName();
    }

    @Override
    public Map<ServerRef, ServerHealth> health() {
        return line.health();
    }

    @Override
    public List<LineTransition> transitions() {
        return line.transitions();
    }

    @Override
    public List<SubscriptionState> subscriptions() {
        return line.subscriptions();
    }

    @Override
    public void forceFailover() {
        line.forceFailover();
    }

    @Override
    public void forceFailback() {
        line.forceFailback();
    }

    @Override
    public void setCallInProgress(boolean inProgress) {
        line.setCallInProgress(inProgress);
    }

    @Override
    public String toString() {
        return line.toString();
    }
}
