// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.launcher;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.sipfailover.launcher.demo.Demo;

/**
 * Prints the lines' events as they happen, one line each: the time, the line, what happened and why.
 * {@code TRANSITION} lines carry the placement before and after and the cause. Listens as an EventAdmin
 * {@code EventHandler} for {@code org/sipfailover/line/*}; the handler interface is the one of the bundle that
 * provides EventAdmin (the launcher's class path has no OSGi service API), implemented by a proxy.
 */
final class TransitionPrinter {

    private static final String EVENT_ADMIN = "org.osgi.service.event.EventAdmin";
    private static final String EVENT_HANDLER = "org.osgi.service.event.EventHandler";
    /** {@code org.sipfailover.api.line.LineEvents.TOPIC_PREFIX} (the API is not on the launcher's class path). */
    private static final String TOPICS = "org/sipfailover/line/*";

    private TransitionPrinter() {}

    /**
     * Registers the printer.
     *
     * @return its registration, or {@code null} when no EventAdmin is running (nothing to print from)
     */
    static ServiceRegistration<?> register(BundleContext context, PrintStream out) throws ClassNotFoundException {
        ServiceReference<?> eventAdmin = context.getServiceReference(EVENT_ADMIN);
        if (eventAdmin == null) {
            return null;
        }
        Class<?> handler = eventAdmin.getBundle().loadClass(EVENT_HANDLER);
        Object proxy =
                Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "handleEvent":
                            print(out, args[0]);
                            return null;
                        case "hashCode":
                            return System.identityHashCode(self);
                        case "equals":
                            return self == args[0];
                        case "toString":
                            return "sip-failover launcher transition printer";
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("event.topics", TOPICS);
        return context.registerService(EVENT_HANDLER, proxy, props);
    }

    private static void print(PrintStream out, Object event) {
        try {
            Method topicOf = event.getClass().getMethod("getTopic");
            Method property = event.getClass().getMethod("getProperty", String.class);
            String topic = String.valueOf(topicOf.invoke(event));
            String kind = topic.substring(topic.lastIndexOf('/') + 1);
            Object at = property.invoke(event, "timestamp");
            String time = at instanceof Long ? Demo.Clock.of((Long) at) : Demo.Clock.now();
            String line = text(property.invoke(event, "line.id"));
            String cause = text(property.invoke(event, "cause"));
            String what;
            switch (kind) {
                case "TRANSITION":
                    what = "TRANSITION    " + text(property.invoke(event, "placement.from")) + "  ->  "
                            + text(property.invoke(event, "placement.to")) + "  (" + cause + ")";
                    break;
                case "REGISTERED":
                    what = "registered    " + text(property.invoke(event, "placement.to"));
                    break;
                case "UNREGISTERED":
                    what = "unregistered  (" + cause + ")";
                    break;
                case "HEALTH":
                    what = "health        " + text(property.invoke(event, "server")) + " "
                            + text(property.invoke(event, "health")) + (cause.isEmpty() ? "" : " (" + cause + ")");
                    break;
                default:
                    what = kind.toLowerCase();
            }
            out.println(time + "  " + line + "  " + what);
        } catch (ReflectiveOperationException | RuntimeException e) {
            out.println(Demo.Clock.now() + "  (an event could not be printed: " + e + ")");
        }
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
