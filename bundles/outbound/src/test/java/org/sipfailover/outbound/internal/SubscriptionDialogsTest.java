// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipfailover.api.config.Credentials;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.SubscribeRequest;
import org.sipfailover.api.flow.Subscription;
import org.sipfailover.api.flow.SubscriptionListener;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRef;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.net.FreePorts;
import org.sipfailover.testkit.sip.SipMessage;
import org.sipfailover.testkit.sip.Sipp;

/**
 * The dialog of a subscription against a scripted notifier (sipp) that is the flow's first hop: the route
 * set from Record-Route, the expiry a NOTIFY announces, digest challenges, and the notifier ending the
 * subscription for each of RFC 6665's reasons.
 */
@RealServers
class SubscriptionDialogsTest {

    private static final String AOR = "sip:alice@example.test";
    private static final String RESOURCE = "sip:voicemail@example.test";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path work;

    private RealTimeFlowManager flows;
    private FlowManagerCore manager;
    private Sipp notifier;
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        flows = new RealTimeFlowManager(work, Map.of());
        manager = flows.manager;
    }

    @AfterEach
    void stop() {
        flows.close();
        if (notifier != null) {
            notifier.close();
        }
    }

    /** sipp on {@code port} running the testkit's {@code scenario}. */
    private Sipp notifier(String scenario, int port, Map<String, String> keys) throws Exception {
        notifier = Sipp.uas(Sipp.scenario(scenario, work), "127.0.0.1", port, "u1", work.resolve("sipp"), keys);
        return notifier;
    }

    /**
     * A flow to the notifier, without SIP outbound: sipp answers no STUN keep-alives. With nothing to
     * register it proves the notifier there with an OPTIONS first.
     */
    private Flow flowToNotifier() {
        FlowSpec spec = FlowSpec.builder(
                        "line1",
                        ServerRef.of(ServerRole.PROXY, Rank.PRIMARY),
                        new ServerAddress("127.0.0.1", notifier.port(), Transport.UDP))
                .regId(0)
                .outbound(false)
                .keepAlive(Duration.ofSeconds(120), Duration.ofSeconds(10))
                .build();
        Flow flow = manager.open(spec, events::add);
        Poll.until(
                Duration.ofSeconds(10),
                () -> !TestLines.ofKind(events, FlowEvent.Kind.UP).isEmpty(),
                () -> "the flow up; events " + events + "; sipp got " + notifier.messages());
        return flow;
    }

    private List<SipMessage> subscribes() {
        return notifier.messages().stream()
                .filter(m -> m.isRequest() && "SUBSCRIBE".equals(m.method()))
                .toList();
    }

    /** The Route entries of a message in order, whether in one header field or several. */
    private static List<String> routes(SipMessage m) {
        List<String> out = new ArrayList<>();
        for (String value : m.headers("Route")) {
            int depth = 0;
            int from = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                depth += c == '<' ? 1 : c == '>' ? -1 : 0;
                if (c == ',' && depth == 0) {
                    out.add(value.substring(from, i).strip());
                    from = i + 1;
                }
            }
            out.add(value.substring(from).strip());
        }
        return out;
    }

    /** What a listener got, and when (System.nanoTime). */
    private static final class Notifications implements SubscriptionListener {
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final List<Long> heardAt = new CopyOnWriteArrayList<>();
        final List<String> terminations = new CopyOnWriteArrayList<>();
        final List<String> states = new CopyOnWriteArrayList<>();

        @Override
        public void onNotify(Subscription subscription, String subscriptionState, String contentType, byte[] body) {
            states.add(String.valueOf(subscriptionState));
            SubscriptionListener.super.onNotify(subscription, subscriptionState, contentType, body);
        }

        @Override
        public void onNotify(Subscription subscription, String contentType, byte[] body) {
            heardAt.add(System.nanoTime());
            bodies.add(new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public void onTerminated(Subscription subscription, String reason) {
            terminations.add(reason);
        }
    }

    // ---- (a) route set ---------------------------------------------------------------------------------------

    @Test
    void refreshesFollowTheRouteSetOfThe200() throws Exception {
        int port = FreePorts.udpAndTcp(LOOPBACK);
        String edge = "<sip:127.0.0.1:" + port + ";lr;edge=1>";
        notifier(Sipp.SUBSCRIBE_RECORD_ROUTE, port, Map.of("record_route", "<sip:far.invalid;lr>, " + edge));
        Notifications heard = new Notifications();
        Subscription sub = flowToNotifier()
                .subscribe(new SubscribeRequest("message-summary", RESOURCE, AOR, null, Duration.ofSeconds(4)), heard);

        Poll.until(
                Duration.ofSeconds(10),
                () -> subscribes().size() >= 2 && heard.bodies.size() >= 1,
                () -> "a refresh and its NOTIFY; sipp got " + notifier.messages());

        SipMessage initial = subscribes().get(0);
        SipMessage refresh = subscribes().get(1);
        assertThat(routes(initial)).containsExactly("<sip:127.0.0.1:" + port + ";transport=udp;lr>");
        // reversed: the hop nearest the subscriber first; it is the flow's target, so nothing goes before it
        assertThat(routes(refresh)).containsExactly(edge, "<sip:far.invalid;lr>");
        assertThat(refresh.requestUri()).isEqualTo("sip:service@127.0.0.1:" + port + ";transport=UDP");
        assertThat(sub.isActive()).isTrue();
        assertThat(manager.handlerErrors()).isZero();
    }

    /** A route set that does not start at the flow's target: the flow's own Route stays in front of it. */
    @Test
    void aRouteSetBeyondTheFlowsTargetGoesBehindTheFlowsRoute() throws Exception {
        int port = FreePorts.udpAndTcp(LOOPBACK);
        notifier(Sipp.SUBSCRIBE_RECORD_ROUTE, port, Map.of("record_route", "<sip:far.invalid;lr>"));
        Notifications heard = new Notifications();
        flowToNotifier()
                .subscribe(new SubscribeRequest("message-summary", RESOURCE, AOR, null, Duration.ofSeconds(4)), heard);

        Poll.until(
                Duration.ofSeconds(10),
                () -> subscribes().size() >= 2 && heard.bodies.size() >= 1,
                () -> "a refresh and its NOTIFY; sipp got " + notifier.messages());

        assertThat(routes(subscribes().get(1)))
                .containsExactly("<sip:127.0.0.1:" + port + ";transport=udp;lr>", "<sip:far.invalid;lr>");
    }

    /** RFC 6665 §4.1.2.4: the NOTIFY came before the 200 OK and made the dialog: its Record-Route, in order. */
    @Test
    void whenTheNotifyComesFirstItsRecordRouteIsTheRouteSet() throws Exception {
        int port = FreePorts.udpAndTcp(LOOPBACK);
        String edge = "<sip:127.0.0.1:" + port + ";lr;edge=1>";
        notifier(
                Sipp.SUBSCRIBE_RECORD_ROUTE_NOTIFY_FIRST,
                port,
                Map.of("record_route", edge + ", <sip:far.invalid;lr>"));
        Notifications heard = new Notifications();
        Subscription sub = flowToNotifier()
                .subscribe(new SubscribeRequest("message-summary", RESOURCE, AOR, null, Duration.ofSeconds(4)), heard);

        Poll.until(
                Duration.ofSeconds(10),
                () -> subscribes().size() >= 2 && heard.bodies.size() >= 2,
                () -> "a refresh and its NOTIFY; sipp got " + notifier.messages());

        assertThat(routes(subscribes().get(1))).containsExactly(edge, "<sip:far.invalid;lr>");
        assertThat(sub.isActive()).isTrue();
    }

    // ---- (b) Subscription-State expires ----------------------------------------------------------------------

    /** Granted 300 s, but the NOTIFY says 4: the refresh comes after 2 s rather than after 270. */
    @Test
    void aNotifyThatEndsTheSubscriptionSoonerBringsTheRefreshForward() throws Exception {
        notifier(Sipp.SUBSCRIBE_NOTIFY_EXPIRES, 0, Map.of("notify_expires", "4"));
        Notifications heard = new Notifications();
        Subscription sub = flowToNotifier()
                .subscribe(
                        new SubscribeRequest("message-summary", RESOURCE, AOR, null, Duration.ofSeconds(300)), heard);
        Poll.until(
                Duration.ofSeconds(10),
                () -> heard.bodies.size() >= 1,
                () -> "a NOTIFY; sipp got " + notifier.messages());

        // due 2 s after the NOTIFY; without it, 270 s after the 200 OK
        Poll.until(
                Duration.ofSeconds(8),
                () -> subscribes().size() >= 2,
                () -> "a refresh soon after the NOTIFY; sipp got " + notifier.messages());
        long refreshedAfter = System.nanoTime() - heard.heardAt.get(0);

        SipMessage refresh = subscribes().get(1);
        assertThat(refresh.header("Call-ID")).isEqualTo(subscribes().get(0).header("Call-ID"));
        assertThat(refresh.header("Expires")).hasValue("300");
        // half-way through the 4 s, not at once
        assertThat(Duration.ofNanos(refreshedAfter)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(sub.isActive()).isTrue();
    }

    // ---- (c) digest authentication ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {401, 407})
    void challengesAreAnsweredWithTheSubscriptionsCredentialsForTheInitialSubscribeAndItsRefreshes(int status)
            throws Exception {
        notifier(status == 401 ? Sipp.SUBSCRIBE_401 : Sipp.SUBSCRIBE_407, 0, Map.of());
        Notifications heard = new Notifications();
        Subscription sub = flowToNotifier()
                .subscribe(
                        new SubscribeRequest(
                                "message-summary",
                                RESOURCE,
                                AOR,
                                new Credentials(Sipp.DEFAULT_USER, Sipp.DEFAULT_PASSWORD),
                                Duration.ofSeconds(4)),
                        heard);

        // initial, its answer, refresh, its answer
        Poll.until(
                Duration.ofSeconds(10),
                () -> subscribes().size() >= 4 && heard.bodies.size() >= 2,
                () -> "two challenged SUBSCRIBEs answered and two NOTIFYs; sipp got " + notifier.messages());

        String header = status == 401 ? "Authorization" : "Proxy-Authorization";
        List<SipMessage> all = subscribes();
        assertThat(all.get(0).hasHeader(header)).isFalse();
        for (SipMessage answer : List.of(all.get(1), all.get(3))) {
            String credentials = answer.header(header).orElseThrow();
            assertThat(credentials)
                    .contains("Digest")
                    .contains("username=\"alice\"")
                    .contains("realm=\"sipp.test\"")
                    .doesNotContain(Sipp.DEFAULT_PASSWORD);
            // RFC 2617 §3.2.2.1 without qop: sipp checks this for a 401, not for a 407
            assertThat(param(credentials, "response"))
                    .isEqualTo(md5(md5("alice:sipp.test:" + Sipp.DEFAULT_PASSWORD) + ":" + param(credentials, "nonce")
                            + ":" + md5("SUBSCRIBE:" + param(credentials, "uri"))));
        }
        assertThat(cseq(all.get(1))).isEqualTo(cseq(all.get(0)) + 1);
        assertThat(all.get(2).header("Call-ID")).isEqualTo(all.get(0).header("Call-ID"));
        assertThat(sub.isActive()).isTrue();
        assertThat(heard.terminations).isEmpty();
    }

    @Test
    void wrongCredentialsEndTheSubscriptionAndSaySo() throws Exception {
        notifier(Sipp.SUBSCRIBE_401, 0, Map.of());
        Notifications heard = new Notifications();
        Subscription sub = flowToNotifier()
                .subscribe(
                        new SubscribeRequest(
                                "message-summary",
                                RESOURCE,
                                AOR,
                                new Credentials(Sipp.DEFAULT_USER, "wrong"),
                                Duration.ofSeconds(4)),
                        heard);

        Poll.until(
                Duration.ofSeconds(10),
                () -> !heard.terminations.isEmpty(),
                () -> "the subscription to end; sipp got " + notifier.messages());

        assertThat(heard.terminations)
                .singleElement()
                .asString()
                .startsWith("403")
                .doesNotContain("wrong");
        assertThat(sub.isActive()).isFalse();
        assertThat(sub.unsubscribe().toCompletableFuture()).isCompleted();
        assertThat(TestLines.ofKind(events, FlowEvent.Kind.FAILED)).isEmpty();
    }

    @Test
    void aChallengeWithoutCredentialsEndsTheSubscription() throws Exception {
        notifier(Sipp.SUBSCRIBE_401, 0, Map.of());
        Notifications heard = new Notifications();
        flowToNotifier()
                .subscribe(new SubscribeRequest("message-summary", RESOURCE, AOR, null, Duration.ofSeconds(4)), heard);

        Poll.until(
                Duration.ofSeconds(10),
                () -> !heard.terminations.isEmpty(),
                () -> "the subscription to end; sipp got " + notifier.messages());

        assertThat(heard.terminations)
                .singleElement()
                .asString()
                .startsWith("401")
                .contains("no credentials configured");
        assertThat(subscribes()).hasSize(1);
    }

    /** A parameter of a digest credentials header, unquoted. */
    private static String param(String credentials, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + name + "=(\"([^\"]*)\"|([^,\\s]*))")
                .matcher(credentials);
        assertThat(m.find()).as(name + " in " + credentials).isTrue();
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    private static String md5(String s) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static long cseq(SipMessage m) {
        return Long.parseLong(m.header("CSeq").orElseThrow().split("\\s+")[0]);
    }

    // ---- (d) the notifier ends the subscription -------------------------------------------------------------

    /** Subscribes against {@link Sipp#SUBSCRIBE_TERMINATED}; returns once the terminating NOTIFY was heard. */
    private Notifications subscribeUntilTerminated(String stateParams) throws Exception {
        notifier(Sipp.SUBSCRIBE_TERMINATED, 0, Map.of("state_params", stateParams));
        Notifications heard = new Notifications();
        flowToNotifier()
                .subscribe(
                        new SubscribeRequest("message-summary", RESOURCE, AOR, null, Duration.ofSeconds(300)), heard);
        Poll.until(
                Duration.ofSeconds(10),
                () -> heard.bodies.size() >= 2,
                () -> "the active and the terminating NOTIFY; sipp got " + notifier.messages());
        return heard;
    }

    /** Polls for the second SUBSCRIBE; returns how long after the terminating NOTIFY it was seen. */
    private Duration resubscribedAfter(Notifications heard, Duration deadline) {
        Poll.until(
                deadline,
                () -> subscribes().size() >= 2,
                () -> "a SUBSCRIBE in a new dialog; sipp got " + notifier.messages());
        Duration after = Duration.ofNanos(System.nanoTime() - heard.heardAt.get(1));
        SipMessage first = subscribes().get(0);
        SipMessage again = subscribes().get(1);
        assertThat(again.header("Call-ID")).isNotEqualTo(first.header("Call-ID"));
        assertThat(again.header("To").orElseThrow()).doesNotContain("tag=");
        assertThat(again.requestUri()).isEqualTo(RESOURCE);
        assertThat(heard.terminations).isEmpty();
        return after;
    }

    @ParameterizedTest
    @ValueSource(strings = {"deactivated", "timeout"})
    void deactivatedOrTimedOutSubscribesAgainAtOnceInANewDialog(String reason) throws Exception {
        Notifications heard = subscribeUntilTerminated("reason=" + reason);

        assertThat(resubscribedAfter(heard, Duration.ofSeconds(5))).isLessThan(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"probation;retry-after=3", "giveup;retry-after=3"})
    void probationOrGiveupSubscribesAgainAfterTheRetryAfter(String reasonAndRetry) throws Exception {
        Notifications heard = subscribeUntilTerminated("reason=" + reasonAndRetry);

        Duration after = resubscribedAfter(heard, Duration.ofSeconds(10));

        assertThat(after).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    /** Each NOTIFY's Subscription-State, parameters and all, reaches the listener with its body. */
    @Test
    void theListenerHearsEachNotifysSubscriptionState() throws Exception {
        Notifications heard = subscribeUntilTerminated("reason=rejected");

        assertThat(heard.states).containsExactly("active;expires=300", "terminated;reason=rejected");
        assertThat(heard.bodies.get(0)).contains("Messages-Waiting: no");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rejected", "noresource", "invariant"})
    void rejectedNoresourceOrInvariantEndTheSubscriptionForGood(String reason) throws Exception {
        Notifications heard = subscribeUntilTerminated("reason=" + reason);
        Poll.until(Duration.ofSeconds(5), () -> !heard.terminations.isEmpty(), () -> "onTerminated");

        assertThat(heard.terminations).singleElement().asString().contains(reason);
        // nothing more: no second SUBSCRIBE within a window far longer than an immediate retry takes; the poll
        // ends at the first retry, or when the window has passed
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        Poll.until(
                Duration.ofSeconds(5),
                () -> subscribes().size() > 1 || System.nanoTime() >= until,
                () -> "a retry or the end of the window");
        assertThat(subscribes()).hasSize(1);
    }
}
