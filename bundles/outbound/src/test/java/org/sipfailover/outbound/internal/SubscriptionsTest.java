// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.flow.Flow;
import org.sipfailover.api.flow.FlowEvent;
import org.sipfailover.api.flow.FlowSpec;
import org.sipfailover.api.flow.RegisterRequest;
import org.sipfailover.api.flow.Registration;
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
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;
import org.sipfailover.testkit.sip.SipMessage;
import org.sipfailover.testkit.sip.Sipp;

/**
 * SUBSCRIBE/NOTIFY (RFC 6665) over a flow: the line registers over its flow to a real Kamailio, subscribes
 * there to a resource, and Kamailio relays the SUBSCRIBE to the notifier, a sipp UAS registered for that
 * resource in Kamailio's location table. Its NOTIFYs come back through Kamailio over the flow.
 */
@RealServers
class SubscriptionsTest {

    private static final String AOR = "sip:alice@example.test";
    private static final ServerRef REGISTRAR = ServerRef.of(ServerRole.REGISTRAR, Rank.PRIMARY);
    /** The testkit's notifier scenario (a resource next to the ready-made REGISTER scenarios). */
    private static final String NOTIFIER = "subscribe-notify.xml";
    /** The testkit's notifier that answers every SUBSCRIBE in an established dialog 481, as after a restart. */
    private static final String FORGETFUL_NOTIFIER = "subscribe-481-on-refresh.xml";

    private static final String DIALOG_INFO =
            "<?xml version=\"1.0\"?><dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\""
                    + " version=\"0\" state=\"full\" entity=\"sip:bob@example.test\"><dialog id=\"d1\" direction=\"recipient\">"
                    + "<state>confirmed</state></dialog></dialog-info>";
    private static final String MESSAGE_SUMMARY = "Messages-Waiting: yes";
    /** Short, so that the refresh comes within the test: half of it, per RefreshTiming. */
    private static final Duration EXPIRES = Duration.ofSeconds(4);

    @TempDir
    Path work;

    private RealTimeFlowManager flows;
    private FlowManagerCore manager;
    private Kamailio kamailio;
    private final List<Sipp> notifiers = new ArrayList<>();
    private final List<FlowEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        flows = new RealTimeFlowManager(work, Map.of("localAddress", "127.0.0.1"));
        manager = flows.manager;
        kamailio = Kamailio.start(KamailioConfig.builder().address("127.0.0.1").build(), work.resolve("kamailio"));
    }

    @AfterEach
    void stop() {
        flows.close();
        notifiers.forEach(Sipp::close);
        kamailio.close();
    }

    /** A notifier for {@code user@example.test}, reachable through Kamailio as if it had registered. */
    private Sipp notifier(String user, String contentType, String body) throws Exception {
        return notifier(NOTIFIER, user, contentType, body);
    }

    private Sipp notifier(String scenario, String user, String contentType, String body) throws Exception {
        Sipp sipp = Sipp.uas(
                Sipp.scenario(scenario, work),
                "127.0.0.1",
                0,
                "u1",
                work.resolve("sipp-" + user),
                Map.of("content_type", contentType, "body", body));
        notifiers.add(sipp);
        // usrloc 5.6: ul.add <table> <aor> <contact> <expires> <q> <path> <flags> <cflags> <methods>; kamcmd
        // would send a bare 0 as a number, and the path must be a string: "s:0" (0 = no path)
        kamailio.rpc(
                "ul.add",
                "location",
                user + "@example.test",
                "sip:" + user + "@127.0.0.1:" + sipp.port(),
                "3600",
                "1.0",
                "s:0",
                "0",
                "0",
                "0");
        assertThat(kamailio.bindings(user + "@example.test"))
                .singleElement()
                .satisfies(b -> assertThat(b.contact()).endsWith(":" + sipp.port()));
        return sipp;
    }

    private Flow registeredFlow(Transport t) {
        FlowSpec spec = FlowSpec.builder("line1", REGISTRAR, new ServerAddress("127.0.0.1", kamailio.port(), t))
                .regId(1)
                .outbound(true)
                .keepAlive(Duration.ofSeconds(120), Duration.ofSeconds(10))
                .build();
        Flow flow = manager.open(spec, events::add);
        Registration reg = flow.register(new RegisterRequest(
                AOR, ServerAddress.of("example.test", 0), null, Duration.ofSeconds(300), Duration.ofSeconds(15), null));
        Poll.until(Duration.ofSeconds(10), reg::isRegistered, () -> "registered; events " + events);
        return flow;
    }

    private static List<SipMessage> received(Sipp sipp, String method) {
        return sipp.messages().stream()
                .filter(m -> m.isRequest() && method.equals(m.method()))
                .toList();
    }

    private static String tagOf(String toOrFrom) {
        int i = toOrFrom.indexOf(";tag=");
        return i < 0 ? null : toOrFrom.substring(i + 5).split(";")[0];
    }

    /** What a listener got. */
    private static final class Notifications implements SubscriptionListener {
        final List<String> contentTypes = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final List<String> terminations = new CopyOnWriteArrayList<>();

        @Override
        public void onNotify(Subscription subscription, String contentType, byte[] body) {
            contentTypes.add(String.valueOf(contentType));
            bodies.add(new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public void onTerminated(Subscription subscription, String reason) {
            terminations.add(reason);
        }
    }

    /**
     * Subscribes, checks the NOTIFY, the in-dialog refresh before expiry and the NOTIFY after it, then
     * unsubscribes; returns what the notifier received.
     */
    private void subscribeRefreshAndEnd(
            Flow flow, Sipp notifier, String event, String target, String contentType, String body) throws Exception {
        Notifications heard = new Notifications();
        Subscription sub = flow.subscribe(new SubscribeRequest(event, target, AOR, null, EXPIRES), heard);

        Poll.until(
                Duration.ofSeconds(10),
                () -> sub.isActive() && !heard.bodies.isEmpty(),
                () -> "an active subscription and a NOTIFY; notifier got " + notifier.messages());
        assertThat(heard.contentTypes.get(0)).isEqualTo(contentType);
        assertThat(heard.bodies.get(0).strip()).isEqualTo(body);

        // granted 4 s: the refresh is due after 2 s, and must come before the 4 s are up
        Poll.until(
                EXPIRES,
                () -> received(notifier, "SUBSCRIBE").size() >= 2,
                () -> "a refresh before the subscription expired; notifier got " + notifier.messages());
        Poll.until(
                Duration.ofSeconds(5),
                () -> heard.bodies.size() >= 2,
                () -> "the NOTIFY after the refresh; notifier got " + notifier.messages());
        assertThat(sub.isActive()).isTrue();
        List<SipMessage> subscribes = received(notifier, "SUBSCRIBE");
        SipMessage initial = subscribes.get(0);
        SipMessage refresh = subscribes.get(1);
        assertThat(initial.header("Event")).hasValue(event);
        assertThat(initial.header("Contact")).get().asString().contains(";ob");
        assertThat(tagOf(initial.header("To").orElseThrow())).isNull();
        // in the dialog: same Call-ID and From tag, the notifier's To tag, its Contact as Request-URI, next CSeq
        assertThat(refresh.header("Call-ID")).isEqualTo(initial.header("Call-ID"));
        assertThat(tagOf(refresh.header("From").orElseThrow()))
                .isEqualTo(tagOf(initial.header("From").orElseThrow()));
        assertThat(tagOf(refresh.header("To").orElseThrow())).isNotNull();
        assertThat(refresh.requestUri()).contains("127.0.0.1:" + notifier.port());
        assertThat(cseq(refresh)).isGreaterThan(cseq(initial));
        assertThat(refresh.header("Expires")).hasValue("4");
        // every NOTIFY was answered 200 by the subscriber
        Poll.until(
                Duration.ofSeconds(5),
                () -> notifier.messages().stream()
                                .filter(m -> !m.isRequest() && "NOTIFY".equals(m.method()))
                                .count()
                        >= 2,
                () -> "two answers to NOTIFYs; notifier got " + notifier.messages());
        assertThat(notifier.messages())
                .filteredOn(m -> !m.isRequest() && "NOTIFY".equals(m.method()))
                .allSatisfy(m -> assertThat(m.statusCode()).isEqualTo(200));

        sub.unsubscribe().toCompletableFuture().get(10, TimeUnit.SECONDS);

        SipMessage last = received(notifier, "SUBSCRIBE")
                .get(received(notifier, "SUBSCRIBE").size() - 1);
        assertThat(last.header("Expires")).hasValue("0");
        assertThat(last.header("Call-ID")).isEqualTo(initial.header("Call-ID"));
        assertThat(tagOf(last.header("To").orElseThrow()))
                .isEqualTo(tagOf(refresh.header("To").orElseThrow()));
        assertThat(sub.isActive()).isFalse();
        assertThat(heard.terminations).isEmpty();
        // RFC 6665 §4.1.2.3: the notifier's final NOTIFY (terminated) is still answered 200, not 481, and
        // not passed on: the owner ended the subscription
        int notifies = heard.bodies.size();
        Poll.until(
                Duration.ofSeconds(5),
                () -> notifier.messages().stream()
                                .filter(m -> !m.isRequest() && "NOTIFY".equals(m.method()))
                                .count()
                        >= 3,
                () -> "the answer to the final NOTIFY; notifier got " + notifier.messages());
        assertThat(notifier.messages())
                .filteredOn(m -> !m.isRequest() && "NOTIFY".equals(m.method()))
                .allSatisfy(m -> assertThat(m.statusCode()).isEqualTo(200));
        assertThat(heard.bodies).hasSize(notifies);
        assertThat(manager.handlerErrors()).isZero();
    }

    private static long cseq(SipMessage m) {
        return Long.parseLong(m.header("CSeq").orElseThrow().split("\\s+")[0]);
    }

    @Test
    void blfDialogEventsOverATcpFlowThroughKamailio() throws Exception {
        Sipp bob = notifier("bob", "application/dialog-info+xml", DIALOG_INFO);
        Flow flow = registeredFlow(Transport.TCP);

        subscribeRefreshAndEnd(flow, bob, "dialog", "sip:bob@example.test", "application/dialog-info+xml", DIALOG_INFO);
    }

    @Test
    void mwiMessageSummaryOverAUdpFlowThroughKamailio() throws Exception {
        Sipp voicemail = notifier("voicemail", "application/simple-message-summary", MESSAGE_SUMMARY);
        Flow flow = registeredFlow(Transport.UDP);

        subscribeRefreshAndEnd(
                flow,
                voicemail,
                "message-summary",
                "sip:voicemail@example.test",
                "application/simple-message-summary",
                MESSAGE_SUMMARY);
    }

    /**
     * Over UDP a finished SUBSCRIBE transaction lingers (Timer K, 5 s), so quick refreshes leave several of
     * one dialog alive at once when a NOTIFY comes. Every NOTIFY must still be answered: none may wait on a
     * transaction that an earlier NOTIFY left locked (JAIN-SIP does that unless unsolicited NOTIFYs are
     * delivered to the application).
     */
    @Test
    void notifiesAreAnsweredWhileEarlierSubscribeTransactionsLinger() throws Exception {
        Sipp voicemail = notifier("voicemail", "application/simple-message-summary", MESSAGE_SUMMARY);
        Flow flow = registeredFlow(Transport.UDP);
        Notifications heard = new Notifications();
        // granted 2 s: a refresh every second, each with its NOTIFY, all within one Timer K
        Subscription sub = flow.subscribe(
                new SubscribeRequest("message-summary", "sip:voicemail@example.test", AOR, null, Duration.ofSeconds(2)),
                heard);

        Poll.until(
                Duration.ofSeconds(15),
                () -> heard.bodies.size() >= 6,
                () -> "six NOTIFYs, one per refresh; heard " + heard.bodies.size() + "; notifier got "
                        + voicemail.messages());
        assertThat(voicemail.messages())
                .filteredOn(m -> !m.isRequest() && "NOTIFY".equals(m.method()))
                .allSatisfy(m -> assertThat(m.statusCode()).isEqualTo(200));
        sub.unsubscribe().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(manager.handlerErrors()).isZero();
    }

    /**
     * RFC 6665 §4.1.2.2: a refresh answered 481 (the notifier lost the subscription, say in a restart) ends
     * that dialog's subscription; the flow makes it again in a new dialog, and the notifications go on.
     */
    @Test
    void aRefreshAnswered481SubscribesAgainInANewDialog() throws Exception {
        Sipp bob = notifier(FORGETFUL_NOTIFIER, "bob", "application/dialog-info+xml", DIALOG_INFO);
        Flow flow = registeredFlow(Transport.TCP);
        Notifications heard = new Notifications();
        Subscription sub =
                flow.subscribe(new SubscribeRequest("dialog", "sip:bob@example.test", AOR, null, EXPIRES), heard);

        // the first dialog's NOTIFY, its refresh refused 481, a second dialog and its NOTIFY
        Poll.until(
                Duration.ofSeconds(10),
                () -> heard.bodies.size() >= 2 && sub.isActive(),
                () -> "a NOTIFY in a second dialog; notifier got " + bob.messages());

        List<SipMessage> subscribes = received(bob, "SUBSCRIBE");
        assertThat(subscribes).hasSizeGreaterThanOrEqualTo(3);
        SipMessage first = subscribes.get(0);
        SipMessage refused = subscribes.get(1);
        SipMessage again = subscribes.get(2);
        assertThat(refused.header("Call-ID")).isEqualTo(first.header("Call-ID"));
        assertThat(tagOf(refused.header("To").orElseThrow())).isNotNull();
        assertThat(bob.sent())
                .anyMatch(m -> m.statusCode() == 481 && m.header("CSeq").equals(refused.header("CSeq")));
        // a new dialog: new Call-ID and From tag, no To tag, the resource again as Request-URI
        assertThat(again.header("Call-ID")).isNotEqualTo(first.header("Call-ID"));
        assertThat(tagOf(again.header("From").orElseThrow()))
                .isNotEqualTo(tagOf(first.header("From").orElseThrow()));
        assertThat(tagOf(again.header("To").orElseThrow())).isNull();
        assertThat(again.requestUri()).isEqualTo("sip:bob@127.0.0.1:" + bob.port());
        assertThat(heard.bodies).allSatisfy(b -> assertThat(b.strip()).isEqualTo(DIALOG_INFO));
        assertThat(heard.terminations).isEmpty();

        sub.unsubscribe().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(sub.isActive()).isFalse();
        assertThat(manager.handlerErrors()).isZero();
    }
}
