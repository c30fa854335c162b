// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.examples.activator;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.config.LineProperties;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.LineStatus;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sip-failover from a classic bundle activator, as Jitsi's bundles use services: no Declarative Services,
 * {@link ServiceTracker}s and a registered {@link EventHandler}.
 *
 * <ul>
 * <li>When ConfigurationAdmin is there (tracked), it writes one line as a factory configuration of
 * {@link LineConfig#FACTORY_PID}, with the properties of {@link LineProperties}, from the framework
 * properties {@code sipfailover.example.*} (or system properties of those names); the lines bundle then runs
 * the line. The configuration is persistent and stays when this bundle stops, like an account of an app;
 * starting again rewrites it only if the properties changed, so a restart costs no registration.
 * <li>It tracks every {@link LineStatus} service: each line's coming and going, and its placement, is logged.
 * <li>Its {@link EventHandler} gets the {@link LineEvents#TOPIC_TRANSITION} events of its line.
 * </ul>
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class Activator implements BundleActivator {

    /** The prefix of the framework properties read at start. */
    public static final String PREFIX = "sipfailover.example.";
    /** The line id, the name of the factory configuration; default {@value #DEFAULT_LINE}. */
    public static final String LINE = PREFIX + "line";
    /** {@code host[:port]} of the primary proxy and registrar; without it no line is written. */
    public static final String PRIMARY = PREFIX + "primary";
    /** {@code host[:port]} of the backup proxy and registrar; optional. */
    public static final String BACKUP = PREFIX + "backup";
    /** The AOR user part; default 1001. */
    public static final String USER = PREFIX + "user";
    /** udp, tcp or tls; default udp. */
    public static final String TRANSPORT = PREFIX + "transport";
    /** The {@code policy.name}; default aastra. */
    public static final String POLICY = PREFIX + "policy";

    static final String DEFAULT_LINE = "activator";

    private static final Logger LOG = LoggerFactory.getLogger(Activator.class);

    private ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> configAdmins;
    private ServiceTracker<LineStatus, LineStatus> lines;
    private ServiceRegistration<EventHandler> handler;
    private LineWatcher watcher;

    @Override
    public void start(BundleContext context) {
        String lineId = property(context, LINE, DEFAULT_LINE);
        watcher = new LineWatcher(context);

        // the moves of our line: EventAdmin delivers the topic's events that match the filter
        Dictionary<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, LineEvents.TOPIC_TRANSITION);
        topics.put(EventConstants.EVENT_FILTER, "(" + LineEvents.LINE_ID + "=" + filterValue(lineId) + ")");
        handler = context.registerService(EventHandler.class, watcher, topics);

        // every line, coming and going
        lines = new ServiceTracker<>(context, LineStatus.class, watcher);
        lines.open();

        // our line's configuration, written as soon as ConfigurationAdmin is there
        configAdmins = new ServiceTracker<>(
                context,
                ConfigurationAdmin.class,
                new ServiceTrackerCustomizer<ConfigurationAdmin, ConfigurationAdmin>() {
                    @Override
                    public ConfigurationAdmin addingService(ServiceReference<ConfigurationAdmin> ref) {
                        ConfigurationAdmin admin = context.getService(ref);
                        if (admin != null) {
                            writeLine(context, admin, lineId);
                        }
                        return admin;
                    }

                    @Override
                    public void modifiedService(ServiceReference<ConfigurationAdmin> ref, ConfigurationAdmin admin) {}

                    @Override
                    public void removedService(ServiceReference<ConfigurationAdmin> ref, ConfigurationAdmin admin) {
                        context.ungetService(ref);
                    }
                });
        configAdmins.open();
    }

    @Override
    public void stop(BundleContext context) {
        configAdmins.close();
        handler.unregister();
        watcher.closing();
        lines.close();
    }

    /** Writes (or leaves as it is) the line's factory configuration; a bad setting is logged by its key. */
    private static void writeLine(BundleContext context, ConfigurationAdmin admin, String lineId) {
        String primary = context.getProperty(PRIMARY);
        if (primary == null || primary.isBlank()) {
            LOG.warn("no line written: the framework property {} is not set", PRIMARY);
            return;
        }
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(LineProperties.USER, property(context, USER, "1001"));
        // the primary is proxy and registrar ("proxy", "registrar"), so is the backup ("proxy.backup", ...)
        p.put(LineProperties.serverKey(ServerRole.PROXY, Rank.PRIMARY), primary);
        p.put(LineProperties.serverKey(ServerRole.REGISTRAR, Rank.PRIMARY), primary);
        String backup = context.getProperty(BACKUP);
        if (backup != null && !backup.isBlank()) {
            p.put(LineProperties.serverKey(ServerRole.PROXY, Rank.BACKUP), backup);
            p.put(LineProperties.serverKey(ServerRole.REGISTRAR, Rank.BACKUP), backup);
        }
        String policy = property(context, POLICY, "aastra");
        p.put(LineProperties.POLICY, policy);
        p.put(LineProperties.TRANSPORT, property(context, TRANSPORT, "udp"));
        // Aastra phones use RFC 5626 SIP outbound; AudioCodes' redundant proxy does not
        p.put(LineProperties.SIP_OUTBOUND, !policy.startsWith("redundant-"));
        // short timers, for a demo: a dead server shows within seconds (durations in seconds)
        p.put(LineProperties.KEEP_ALIVE, "5");
        p.put(LineProperties.PONG_TIMEOUT, "2");
        p.put(LineProperties.PROBE_INTERVAL, "5");
        p.put(LineProperties.REGISTRATION_PERIOD, "300");
        p.put(LineProperties.REGISTRATION_RETRY, "5");
        p.put(LineProperties.REGISTRATION_TIMEOUT_RETRY, "5");
        p.put(LineProperties.RECOVERY_BASE_ALL_FAILED, "5");
        p.put(LineProperties.RECOVERY_BASE_SOME_OK, "5");
        p.put(LineProperties.RECOVERY_MAX, "60");
        p.put(LineProperties.FAILBACK_HOLD_OFF, "10");
        try {
            // location "?": a configuration for whichever bundle consumes the PID (the lines bundle), not us
            Configuration c = admin.getFactoryConfiguration(LineConfig.FACTORY_PID, lineId, "?");
            if (c.updateIfDifferent(p)) {
                LOG.info(
                        "line {} written to ConfigurationAdmin: {} with primary {}, backup {}",
                        lineId,
                        c.getPid(),
                        primary,
                        backup == null ? "none" : backup);
            } else {
                LOG.info("line {}: its configuration {} is up to date", lineId, c.getPid());
            }
        } catch (IOException e) {
            LOG.error("line {}: ConfigurationAdmin could not store its configuration: {}", lineId, e.toString());
        }
    }

    /** A value for an OSGi filter: a backslash before each character that would end or change it. */
    private static String filterValue(String v) {
        return v.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }

    /** A framework property (or, per the OSGi core spec, a system property of that name), or a default. */
    private static String property(BundleContext context, String key, String otherwise) {
        String v = context.getProperty(key);
        return v == null || v.isBlank() ? otherwise : v.trim();
    }
}
