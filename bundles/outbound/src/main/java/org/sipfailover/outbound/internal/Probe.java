// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.sip.ClientTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipfailover.api.dns.ResolvedTarget;
import org.sipfailover.api.flow.ProbeResult;
import org.sipfailover.api.net.FailureCause;

/** One OPTIONS request over a flow: any response proves the server alive (AudioCodes keep-alive). */
final class Probe {

    private Probe() {}

    static CompletionStage<ProbeResult> send(FlowImpl flow, long gen) {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        ResolvedTarget target = flow.targetOf(gen);
        if (target == null) {
            result.complete(new ProbeResult(0, null, FailureCause.CONNECTION_REFUSED));
            return result;
        }
        Instant sent = flow.resources().scheduler().now();
        String host = target.address().getHostAddress();
        String uri = "sip:" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + target.port();
        String self = "sip:probe@" + flow.resources().endpoint().localAddress();
        try {
            Request r = Requests.create(
                    flow,
                    target,
                    Request.OPTIONS,
                    uri,
                    self,
                    Long.toHexString(System.nanoTime()),
                    null,
                    uri,
                    UUID.randomUUID().toString(),
                    1);
            flow.send(target, r, new SipEndpoint.TransactionHandler() {
                @Override
                public void onResponse(Response response, ClientTransaction ct) {
                    if (response.getStatusCode() >= 200) {
                        Duration rtt = Duration.between(
                                sent, flow.resources().scheduler().now());
                        // 408 and 503 from the server itself still prove it alive: it answered
                        result.complete(new ProbeResult(response.getStatusCode(), rtt, null));
                    }
                }

                @Override
                public void onTimeout() {
                    result.complete(new ProbeResult(0, null, FailureCause.PROBE_TIMEOUT));
                }
            });
        } catch (Exception e) {
            result.complete(new ProbeResult(0, null, FailureCause.CONNECTION_REFUSED));
        }
        return result;
    }
}
