// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.embed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.dns.ServerResolver;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowListener;
import org.sipfailover.api.flow.FlowManager;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.time.Scheduler;
import org.sipfailover.outbound.internal.FlowManagerCore;

/** Makes the bundle's flow manager (one JAIN-SIP stack, RFC 5626 flows) without OSGi. */
@ProviderType
public final class FlowManagers {

    private FlowManagers() {}

    /**
     * A flow manager that starts its SIP stack at once.
     *
     * @param outboundConfig the keys of the configuration of {@link FlowManager#PID} ({@code localAddress},
     *     {@code tcpPort}, {@code transactionTimeoutMillis}, {@code .trustStorePassword}, ...) with typed values
     *     or their text; the defaults for the keys not given
     * @param instanceIdFile where the instance-id is kept; it must outlive the process, so that the line is the
     *     same device after a restart (RFC 5626 §4.1)
     * @param resolver the current resolver, read once per connection attempt; may give {@code null} (addresses
     *     are then used as they are)
     * @param scheduler runs the flows' timers and callbacks; owned by the caller, who stops it after {@link
     *     EmbeddedFlowManager#close()}
     * @throws IllegalArgumentException naming the key when a setting is unknown or the stack cannot start with it
     * @throws IOException when the instance-id cannot be read or written
     */
    public static EmbeddedFlowManager create(
            Map<String, ?> outboundConfig, Path instanceIdFile, Supplier<ServerResolver> resolver, Scheduler scheduler)
            throws IOException {
        return new Handle(new FlowManagerCore(
                FlowManagerCore.config(outboundConfig), instanceIdFile, resolver, scheduler, new SplittableRandom()));
    }

    /** The core behind the embedding type, so that its internal class stays unexported. */
    private static final class Handle implements EmbeddedFlowManager {

        private final FlowManagerCore core;

        Handle(FlowManagerCore core) {
            this.core = core;
        }

        @Override
        public String instanceId() {
            return core.instanceId();
        }

        @Override
        public Flow open(FlowSpec spec, FlowListener listener) {
            return core.open(spec, listener);
        }

        @Override
        public List<Flow> flows() {
            return core.flows();
        }

        @Override
        public long keepAlivesAnswered() {
            return core.keepAlivesAnswered();
        }

        @Override
        public void close() {
            core.close();
        }

        @Override
        public String toString() {
            return core.toString();
        }
    }
}
