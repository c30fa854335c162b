// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests.karaf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.sipfailover.api.line.LineEvents;
import org.sipfailover.api.line.LineStatus;

/** Inside Karaf: the running lines, the configurations behind them, the shell. */
final class KarafLines {

    private static final long INTERVAL_MILLIS = 50;

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;

    KarafLines(BundleContext context, ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
    }

    /** The running line of that id, if there is one now. */
    Optional<LineStatus> line(String id) {
        try {
            Collection<ServiceReference<LineStatus>> refs =
                    context.getServiceReferences(LineStatus.class, "(" + LineEvents.LINE_ID + "=" + id + ")");
            return refs.stream().findFirst().map(context::getService);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(id, e);
        }
    }

    /** The ids of the running lines, sorted. */
    List<String> ids() {
        try {
            List<String> out = new ArrayList<>();
            for (ServiceReference<LineStatus> r : context.getServiceReferences(LineStatus.class, null)) {
                out.add(String.valueOf(r.getProperty(LineEvents.LINE_ID)));
            }
            out.sort(null);
            return out;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the line to run and satisfy {@code condition}; @return it. */
    LineStatus await(String id, Duration deadline, Predicate<LineStatus> condition, String what) {
        return await(
                deadline,
                () -> line(id).filter(condition).orElse(null),
                l -> l != null,
                () -> "line " + id + " " + what + "; lines now: " + describe());
    }

    /** Waits until the line of that id is gone. */
    void awaitGone(String id, Duration deadline) {
        await(deadline, () -> line(id).isEmpty(), b -> b, () -> "line " + id + " gone; lines now: " + ids());
    }

    /** Each running line with its policy, placement and registered flag: for failure messages. */
    String describe() {
        Map<String, String> out = new TreeMap<>();
        for (String id : ids()) {
            line(id).ifPresent(l -> out.put(
                    id, l.policyName() + " " + l.placement() + (l.isRegistered() ? " registered" : " not registered")));
        }
        return out.toString();
    }

    /**
     * The configurations that Felix FileInstall's own configuration installer made of files: PID to file (its
     * {@code felix.fileinstall.filename} property).
     */
    Map<String, String> fileInstallConfigurations() {
        try {
            Map<String, String> out = new TreeMap<>();
            Configuration[] all = configAdmin.listConfigurations("(felix.fileinstall.filename=*)");
            if (all != null) {
                for (Configuration c : all) {
                    out.put(c.getPid(), String.valueOf(c.getProperties().get("felix.fileinstall.filename")));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The properties of the line configuration {@code org.sipfailover.line~<name>}, if it exists. */
    Optional<Dictionary<String, Object>> lineConfiguration(String name) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=org.sipfailover.line~" + name + ")");
            return found == null ? Optional.empty() : Optional.ofNullable(found[0].getProperties());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    /**
     * Runs a command line in a Karaf shell session and returns what it printed and, after that, what it returned
     * (the sipfailover commands return their text, which the console prints).
     */
    static String karafShell(SessionFactory sessions, String commandLine) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Session session = sessions.create(new ByteArrayInputStream(new byte[0]), out, out);
            try {
                Object result = session.execute(commandLine);
                if (result != null) {
                    out.println(result);
                }
            } finally {
                session.close();
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Evaluates {@code value} every {@value #INTERVAL_MILLIS} ms until {@code done} accepts it.
     *
     * @throws AssertionError naming {@code what} and the last value when the deadline passes first
     */
    static <T> T await(Duration deadline, Supplier<T> value, Predicate<T> done, Supplier<String> what) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            T last = value.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() >= end) {
                throw new AssertionError(
                        "gave up after " + deadline + " waiting for " + what.get() + "; last: " + last);
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get(), e);
            }
        }
    }
}
