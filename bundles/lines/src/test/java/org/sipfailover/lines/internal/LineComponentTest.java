// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.Transport;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.api.policy.PolicyInput;
import org.sipfailover.api.time.ExecutorScheduler;
import org.sipfailover.config.common.LinePropertiesCodec;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.flows.RecordingFlowManager;
import org.sipfailover.testkit.lines.TestLines;

/**
 * The DS side of a line: which policy a configuration change hands the running line. The line takes a new
 * configuration on its lane, later; the component must choose the policy from the configuration it was given,
 * not from the one the line still shows. Here the lane is held while the change arrives, as it is whenever the
 * lane is busy with other lines' work.
 */
class LineComponentTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @TempDir
    Path work;

    private final Map<ServiceReference<?>, Object> services = new HashMap<>();
    private final List<LineStatus> published = new CopyOnWriteArrayList<>();
    /** The flow manager's own thread, as the real one has: its events reach the line from there. */
    private final ScheduledExecutorService flowThread = Executors.newSingleThreadScheduledExecutor();

    private final List<Throwable> flowErrors = new CopyOnWriteArrayList<>();
    private final RecordingFlowManager flows =
            RecordingFlowManager.scripted(new ExecutorScheduler(flowThread, Clock.systemUTC(), flowErrors::add));
    private BundleContext context;
    private SharedLineServices shared;

    /** Stays where the line is, or starts it on the primary. */
    private static FailoverPolicy staying(String name) {
        return new FailoverPolicy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Decision decide(PolicyInput in) {
                return Decision.stay(Placement.of(new Binding(1, Rank.PRIMARY, Rank.PRIMARY, null)), "stay");
            }
        };
    }

    @BeforeEach
    void framework() {
        context = proxy(BundleContext.class, (method, args) -> switch (method) {
            case "getDataFile" -> work.resolve((String) args[0]).toFile();
            case "getService" -> services.get(args[0]);
            case "ungetService" -> true;
            case "getBundle" -> proxy(Bundle.class, (m, a) -> m.equals("getState") ? Bundle.ACTIVE : null);
            case "registerService" -> {
                published.add((LineStatus) args[1]);
                yield proxy(ServiceRegistration.class, (m, a) -> null);
            }
            default -> throw new UnsupportedOperationException(method);
        });
        shared = new SharedLineServices(context, Map.of());
    }

    @AfterEach
    void stop() throws InterruptedException {
        shared.deactivate();
        flowThread.shutdownNow();
        assertThat(flowErrors).as("what the line threw on the flows' events").isEmpty();
    }

    private ServiceReference<FailoverPolicy> register(FailoverPolicy policy, long id) {
        Map<String, Object> props = Map.of(FailoverPolicy.POLICY_NAME, policy.name(), Constants.SERVICE_ID, id);
        @SuppressWarnings("unchecked")
        ServiceReference<FailoverPolicy> ref = proxy(ServiceReference.class, (method, args) -> switch (method) {
            case "getProperty" -> props.get(args[0]);
            case "compareTo" -> 0;
            default -> throw new UnsupportedOperationException(method);
        });
        services.put(ref, policy);
        return ref;
    }

    private static Map<String, Object> properties(LineConfig c) {
        Map<String, Object> p = new HashMap<>(LinePropertiesCodec.write(c));
        p.put(Constants.SERVICE_PID, LineConfig.FACTORY_PID + "~" + c.id());
        return p;
    }

    private static LineConfig.Builder line() {
        return TestLines.proxies("alice", "10.0.0.1:5060", "10.0.0.2:5060")
                .transport(Transport.TCP)
                .sipOutbound(true);
    }

    /** The component as SCR makes it: constructed, then its dynamic policy references bound. */
    private LineComponent activate(LineConfig config, List<ServiceReference<FailoverPolicy>> policies) {
        LineComponent c = new LineComponent(context, flows, shared, properties(config));
        policies.forEach(c::bindPolicy);
        return c;
    }

    /** Runs {@code change} while the lines' lane is busy, then lets the lane go on. */
    private void whileTheLaneIsBusy(Runnable change) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        shared.lane("alice").execute(() -> {
            busy.countDown();
            try {
                release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        try {
            change.run();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aPolicyChangedByConfigurationIsHandedToTheRunningLine() throws InterruptedException {
        LineComponent component = activate(
                line().policy("first").build(), List.of(register(staying("first"), 1), register(staying("second"), 2)));
        LineStatus status = published.get(0);
        Poll.until(DEADLINE, () -> status.policyName().equals("first"), () -> "the first policy");

        whileTheLaneIsBusy(
                () -> component.modified(properties(line().policy("second").build())));

        Poll.until(
                DEADLINE,
                () -> status.policyName().equals("second"),
                () -> "the second policy; the line has " + status.policyName());
        assertThat(published).as("changed in place: the same line").hasSize(1);
        assertThat(status.config().policy()).isEqualTo("second");
    }

    @Test
    void aPolicyComingLaterIsChosenByTheConfigurationGivenLast() throws InterruptedException {
        LineComponent component = activate(line().policy("first").build(), List.of(register(staying("first"), 1)));
        LineStatus status = published.get(0);
        whileTheLaneIsBusy(() -> {
            component.modified(properties(line().policy("second").build()));
            component.bindPolicy(register(staying("second"), 2));
        });

        Poll.until(
                DEADLINE,
                () -> status.policyName().equals("second"),
                () -> "the second policy once it comes; the line has " + status.policyName());
    }

    @Test
    void aLineStartedAgainForANewUserTakesThePolicyItsNewConfigurationNames() throws InterruptedException {
        LineComponent component = activate(
                line().policy("first").build(), List.of(register(staying("first"), 1), register(staying("second"), 2)));
        component.modified(properties(line().user("1002").policy("second").build()));

        assertThat(published).hasSize(2);
        LineStatus fresh = published.get(1);
        Poll.until(
                DEADLINE,
                () -> fresh.policyName().equals("second"),
                () -> "the second policy on the new line; it has " + fresh.policyName());
        assertThat(fresh.config().user()).isEqualTo("1002");
    }

    @Test
    void aNewKeepAliveMovesTheBindingsToNewFlowsWithoutUnregistering() {
        LineComponent component = activate(
                line().policy("first").keepAliveInterval(Duration.ofSeconds(30)).build(),
                List.of(register(staying("first"), 1)));
        Poll.until(DEADLINE, () -> flows.log().stream().anyMatch(l -> l.startsWith("register")), () -> "a REGISTER");
        flows.log().clear();

        component.modified(properties(
                line().policy("first").keepAliveInterval(Duration.ofSeconds(7)).build()));

        assertThat(published).as("a new line runtime on new flows").hasSize(2);
        Poll.until(
                DEADLINE,
                () -> flows.log().stream().anyMatch(l -> l.startsWith("register")),
                () -> "a REGISTER over the new flow; log " + flows.log());
        assertThat(flows.log()).noneMatch(l -> l.startsWith("unregister"));
        assertThat(flows.flowTo("10.0.0.1").spec().keepAliveInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(published.get(1).config().keepAliveInterval()).isEqualTo(Duration.ofSeconds(7));
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(
                LineComponentTest.class.getClassLoader(),
                new Class<?>[] {type},
                (self, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    case "toString" -> type.getSimpleName() + "@" + System.identityHashCode(self);
                    default -> answer.answer(method.getName(), args);
                });
    }

    /** What a stand-in for a framework interface answers to a call. */
    @FunctionalInterface
    private interface Answer {
        Object answer(String method, Object[] args) throws Exception;
    }
}
