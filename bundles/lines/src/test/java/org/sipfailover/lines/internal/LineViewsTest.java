// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.LineTransition;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.policy.Binding;
import org.sipfailover.api.policy.Placement;
import org.sipfailover.testkit.time.VirtualScheduler;

/** What a line shows: bounded history, REGISTERED and UNREGISTERED said once each, events stamped. */
class LineViewsTest {

    private static final Placement PRIMARY = Placement.of(new Binding(1, Rank.PRIMARY, Rank.PRIMARY, null));
    private static final Placement BACKUP = Placement.of(new Binding(1, Rank.BACKUP, Rank.BACKUP, null));

    private final VirtualScheduler time = new VirtualScheduler();
    private final List<String> topics = new ArrayList<>();
    private final List<Map<String, Object>> posted = new ArrayList<>();
    private final LineViews views = new LineViews(
            new LineContext(
                    LineConfig.builder("l1")
                            .user("1001")
                            .sipOutbound(true)
                            .policy("p")
                            .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("10.0.0.1"))
                            .build(),
                    time),
            (topic, p) -> {
                topics.add(topic);
                posted.add(p);
            });

    @Test
    void theHistoryKeepsTheLastTransitionsAndReadersSeeItOncePublished() {
        for (int i = 0; i < LineViews.TRANSITION_HISTORY + 3; i++) {
            views.record(new LineTransition(time.now(), "l1", PRIMARY, BACKUP, "p", "move " + i));
        }
        assertThat(views.transitions()).isEmpty();

        views.publish(BACKUP, Set.copyOf(PRIMARY.bindings()), Map.of());

        assertThat(views.transitions()).hasSize(LineViews.TRANSITION_HISTORY);
        assertThat(views.transitions().get(0).cause()).isEqualTo("move 3");
        assertThat(views.placement()).isEqualTo(BACKUP);
        assertThat(views.live()).containsExactlyElementsOf(PRIMARY.bindings());
    }

    @Test
    void registeredIsSaidOnceAndUnregisteredOnlyForTheAnnouncedPlacement() {
        views.registered(false, PRIMARY);
        views.registered(true, PRIMARY);
        views.registered(true, PRIMARY);
        views.registered(false, PRIMARY);
        views.registered(true, BACKUP);
        views.registered(false, PRIMARY); // the placement moved on: its TRANSITION said so

        assertThat(topics)
                .containsExactly(
                        LineEvents.TOPIC_REGISTERED, LineEvents.TOPIC_UNREGISTERED, LineEvents.TOPIC_REGISTERED);
        assertThat(posted.get(0))
                .containsEntry(LineEvents.TO, PRIMARY.toString())
                .containsEntry(LineEvents.LINE_ID, "l1")
                .containsEntry(LineEvents.TIMESTAMP, time.now().toEpochMilli());
    }

    @Test
    void aFailingSinkNeverFailsTheLine() {
        LineViews failing = new LineViews(
                new LineContext(
                        LineConfig.builder("l2")
                                .user("1001")
                                .policy("p")
                                .server(ServerRole.PROXY, Rank.PRIMARY, ServerAddress.parse("10.0.0.1"))
                                .build(),
                        time),
                (t, p) -> {
                    throw new IllegalStateException("no EventAdmin");
                });

        failing.post(LineEvents.TOPIC_HEALTH, Map.of());
        failing.registered(true, PRIMARY);
    }
}
