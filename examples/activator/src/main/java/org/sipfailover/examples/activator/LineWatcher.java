// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.examples.activator;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.LineStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a host's UI would keep up to date: the lines there are (a {@link ServiceTrackerCustomizer} of
 * {@link LineStatus} services) and the moves of its line (an {@link EventHandler} of
 * {@link LineEvents#TOPIC_TRANSITION}). It logs each of them. Thread-safe: the tracker and EventAdmin call it
 * on their own threads.
 */
public final class LineWatcher implements ServiceTrackerCustomizer<LineStatus, LineStatus>, EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LineWatcher.class);
    private static final int KEPT = 50;

    private final BundleContext context;
    private final Map<String, LineStatus> lines = new ConcurrentHashMap<>();
    private final ArrayDeque<String> transitions = new ArrayDeque<>();
    /** Set when our bundle stops: closing the tracker "removes" every line that is still there. */
    private volatile boolean closing;

    LineWatcher(BundleContext context) {
        this.context = context;
    }

    /** The ids of the lines whose {@link LineStatus} service is registered now. */
    public Set<String> lines() {
        return Set.copyOf(lines.keySet());
    }

    /** The transitions received, as {@code "<line>: <from> -> <to> (<cause>)"}, oldest first; the last 50. */
    public List<String> transitions() {
        synchronized (transitions) {
            return List.copyOf(transitions);
        }
    }

    /** Called before the tracker closes. */
    void closing() {
        closing = true;
    }

    // ---- ServiceTrackerCustomizer<LineStatus, LineStatus> ----------------------------------------------------

    @Override
    public LineStatus addingService(ServiceReference<LineStatus> ref) {
        LineStatus line = context.getService(ref);
        if (line == null) {
            return null; // gone already
        }
        lines.put(line.lineId(), line);
        // the line has just started: its placement is usually still "none", and a TRANSITION follows
        LOG.info(
                "line {} came: placement {}, policy {}, registered {}",
                line.lineId(),
                line.placement(),
                line.policyName(),
                line.isRegistered());
        return line;
    }

    @Override
    public void modifiedService(ServiceReference<LineStatus> ref, LineStatus line) {
        // a LineStatus service's properties (line.id) do not change; its state is read from the object
    }

    @Override
    public void removedService(ServiceReference<LineStatus> ref, LineStatus line) {
        lines.remove(line.lineId(), line);
        if (closing) {
            LOG.info("line {}: no longer watched; it is at {}", line.lineId(), line.placement());
        } else {
            LOG.info("line {} went: it was at {}", line.lineId(), line.placement());
        }
        context.ungetService(ref);
    }

    // ---- EventHandler -----------------------------------------------------------------------------------------

    @Override
    public void handleEvent(Event event) {
        String text = event.getProperty(LineEvents.LINE_ID) + ": " + event.getProperty(LineEvents.FROM) + " -> "
                + event.getProperty(LineEvents.TO) + " (" + event.getProperty(LineEvents.CAUSE) + ")";
        LOG.info(
                "line {} moved: {} -> {} ({}, {})",
                event.getProperty(LineEvents.LINE_ID),
                event.getProperty(LineEvents.FROM),
                event.getProperty(LineEvents.TO),
                event.getProperty(LineEvents.POLICY),
                event.getProperty(LineEvents.CAUSE));
        synchronized (transitions) {
            transitions.addLast(text);
            while (transitions.size() > KEPT) {
                transitions.removeFirst();
            }
        }
    }
}
