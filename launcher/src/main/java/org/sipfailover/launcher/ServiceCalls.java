// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Dictionary;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Calls into services of the framework the launcher hosts. The service APIs (ConfigAdmin, Gogo) live in
 * bundles, not on the launcher's class path, so each call goes through the interface loaded from the
 * bundle that registered the service. Only JDK types cross the boundary.
 */
final class ServiceCalls {

    private static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";
    private static final String COMMAND_PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String COMMAND_SESSION = "org.apache.felix.service.command.CommandSession";
    /** {@code org.apache.felix.service.command.Converter.INSPECT}: the shell's way of printing a result. */
    private static final int INSPECT = 0;

    private final BundleContext context;
    private final Duration wait;

    ServiceCalls(BundleContext context, Duration wait) {
        this.context = context;
        this.wait = wait;
    }

    /**
     * Creates or replaces the configuration {@code pid}, bound to whichever bundle uses it ({@code "?"}).
     */
    void updateConfiguration(String pid, Dictionary<String, Object> properties) throws Exception {
        Service cm = service(CONFIGURATION_ADMIN);
        Object configuration = cm.method(CONFIGURATION_ADMIN, "getConfiguration", String.class, String.class)
                .invoke(cm.object, pid, "?");
        invoke(cm.method(CONFIGURATION, "update", Dictionary.class), configuration, properties);
    }

    /**
     * Creates or replaces the factory configuration {@code factoryPid~name}, bound to whichever bundle uses it.
     */
    void updateFactoryConfiguration(String factoryPid, String name, Dictionary<String, Object> properties)
            throws Exception {
        Service cm = service(CONFIGURATION_ADMIN);
        Object configuration = cm.method(
                        CONFIGURATION_ADMIN, "getFactoryConfiguration", String.class, String.class, String.class)
                .invoke(cm.object, factoryPid, name, "?");
        invoke(cm.method(CONFIGURATION, "update", Dictionary.class), configuration, properties);
    }

    /** How many services of this type are registered now. */
    int count(String type) {
        try {
            org.osgi.framework.ServiceReference<?>[] refs = context.getServiceReferences(type, null);
            return refs == null ? 0 : refs.length;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a service matching the filter is registered within the wait. */
    boolean awaitService(String filter, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (context.getServiceReferences((String) null, filter) != null) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Whether a service of this type is registered within the wait. */
    boolean awaitService(String type) {
        try {
            service(type);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A Gogo session writing to {@code out} and {@code err}; close it when done. */
    GogoSession gogoSession(InputStream in, OutputStream out, OutputStream err) throws Exception {
        Service processor = service(COMMAND_PROCESSOR);
        Object session = invoke(
                processor.method(
                        COMMAND_PROCESSOR, "createSession", InputStream.class, OutputStream.class, OutputStream.class),
                processor.object,
                in,
                out,
                err);
        return new GogoSession(processor, session);
    }

    /** One Gogo session: {@link #execute} runs a command line as the console would. */
    static final class GogoSession implements AutoCloseable {
        private final Object session;
        private final Method execute;
        private final Method format;
        private final Method close;

        private GogoSession(Service processor, Object session) throws Exception {
            this.session = session;
            this.execute = processor.method(COMMAND_SESSION, "execute", CharSequence.class);
            this.format = processor.method(COMMAND_SESSION, "format", Object.class, int.class);
            this.close = processor.method(COMMAND_SESSION, "close");
        }

        /**
         * @return the command's result formatted as the console prints it, or {@code null} when it has none
         * @throws Exception what the command threw
         */
        String execute(String commandLine) throws Exception {
            Object result = invoke(execute, session, commandLine);
            return result == null ? null : String.valueOf(invoke(format, session, result, INSPECT));
        }

        @Override
        public void close() {
            try {
                invoke(close, session);
            } catch (Exception e) {
                // closing a session that failed is best effort
            }
        }
    }

    private record Service(ServiceReference<?> reference, Object object) {
        Method method(String type, String name, Class<?>... parameters) throws Exception {
            return reference.getBundle().loadClass(type).getMethod(name, parameters);
        }
    }

    private Service service(String type) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        // the tracker is left open: the service object stays valid while the caller uses it
        Object object = tracker.waitForService(wait.toMillis());
        ServiceReference<Object> reference = tracker.getServiceReference();
        if (object == null || reference == null) {
            tracker.close();
            throw new IllegalStateException("no " + type + " service within " + wait.toSeconds() + " s");
        }
        return new Service(reference, object);
    }

    private static Object invoke(Method method, Object target, Object... args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }
}
