// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.sipfailover.launcher.demo.Demo;

/**
 * One run of the embedded framework: install the embedded bundles, start them in a fixed order, then run
 * the {@code --exec} commands, the Gogo console, or nothing until the process is stopped.
 *
 * <p>Start order: the infrastructure (SCR, ConfigAdmin, logging, dnsjava, Gogo runtime and commands),
 * then the configuration from the command line, then sip-failover's bundles, then the Gogo console.
 * Writing the configuration before sip-failover's bundles start means their components activate once,
 * already configured.
 */
final class Launcher {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_COMMAND_FAILED = 3;

    /** {@code org.sipfailover.api.dns.ServerResolver.PID} (the API is not on the launcher's class path). */
    static final String DNS_PID = "org.sipfailover.dns";
    /** The Aastra adapter's configuration PID. */
    static final String AASTRA_PID = "org.sipfailover.config.aastra";
    /** FileInstall's factory PID: one watched folder per configuration. */
    static final String FILEINSTALL_PID = "org.apache.felix.fileinstall";
    /** {@code org.sipfailover.api.config.LineConfig.FACTORY_PID}: one factory configuration per line. */
    static final String LINE_FACTORY_PID = "org.sipfailover.line";
    /** {@code org.sipfailover.api.line.LineStatus}: one service per running line. */
    static final String LINE_STATUS = "org.sipfailover.api.line.LineStatus";

    private static final String OWN_BUNDLES = "org.sipfailover.";
    private static final String GOGO_SHELL = "org.apache.felix.gogo.shell";
    private static final Duration SERVICE_WAIT = Duration.ofSeconds(10);
    private static final long STOP_WAIT_MILLIS = 10_000;

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private Framework framework;
    private Path temporaryStorage;
    private Demo demo;

    Launcher(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /** @return the process exit status */
    int run() {
        boolean console = options.shell() && !options.execOnly() && System.console() != null;
        try {
            framework = newFramework(console);
            framework.init();
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "sip-failover-launcher-stop"));
            List<Bundle> bundles = install();
            framework.start();

            List<Bundle> infrastructure = new ArrayList<>();
            List<Bundle> own = new ArrayList<>();
            Bundle gogoShell = null;
            for (Bundle b : bundles) {
                if (isFragment(b)) {
                    continue;
                } else if (GOGO_SHELL.equals(b.getSymbolicName())) {
                    gogoShell = b;
                } else {
                    (b.getSymbolicName().startsWith(OWN_BUNDLES) ? own : infrastructure).add(b);
                }
            }
            ServiceCalls services = new ServiceCalls(framework.getBundleContext(), SERVICE_WAIT);
            if (!start(infrastructure)) {
                return fail();
            }
            if (!options.execOnly()) {
                // before any line exists, so that its first registration shows
                TransitionPrinter.register(framework.getBundleContext(), out);
            }
            if (!options.dnsServers().isEmpty()) {
                Hashtable<String, Object> dns = new Hashtable<>();
                dns.put("servers", options.dnsServers().toArray(new String[0]));
                services.updateConfiguration(DNS_PID, dns);
            }
            if (!start(own) || (gogoShell != null && !start(List.of(gogoShell))) || !fragmentsAttached(bundles)) {
                return fail();
            }
            if (!options.configFiles().isEmpty()) {
                watch(services);
            }
            if (options.demo()) {
                demo = new Demo(out, options.demoUp(), options.demoDown());
                services.updateFactoryConfiguration(LINE_FACTORY_PID, Demo.LINE, demo.line());
                demo.start();
            }

            if (options.execOnly()) {
                int status = exec(services);
                stop();
                return status;
            }
            if (!options.demo()) {
                printBundles();
            }
            if (!console) {
                out.println(
                        options.shell()
                                ? "no console: running until stopped (SIGTERM or Ctrl-C)"
                                : "running until stopped (SIGTERM or Ctrl-C)");
            }
            // the Gogo console stops the framework on 'exit' or end of input; a signal stops it through the hook
            framework.waitForStop(0);
            deleteTemporaryStorage();
            return EXIT_OK;
        } catch (Exception e) {
            err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return fail();
        }
    }

    private Framework newFramework(boolean console) throws IOException {
        Path storage;
        if (options.dataDir().isPresent()) {
            storage = options.dataDir().get().toAbsolutePath();
        } else {
            temporaryStorage = Files.createTempDirectory("sip-failover-");
            storage = temporaryStorage;
        }
        configureLogging();
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the Gogo shell bundle opens its console on start unless told not to
        config.put("gosh.args", console ? "" : "--nointeractive");
        // FileInstall watches only what --config names (see watch()), not its default ./load folder
        config.put("felix.fileinstall.dir", storage.resolve("no-watched-folder").toString());
        // and never writes a configuration back into a file: the files are the operator's
        config.put("felix.fileinstall.enableConfigSave", "false");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        return factory.newFramework(config);
    }

    /**
     * Logging inside the framework: slf4j-simple writes to standard error, at INFO, or WARN in the demo, which
     * prints every line event itself; JAIN-SIP's own log4j log is off. A setting given on the command line
     * ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug}, {@code -Dlog4j.configuration=file:...}) wins.
     */
    private void configureLogging() throws IOException {
        if (options.demo() && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (System.getProperty("log4j.configuration") == null) {
            // not in the framework storage, which the framework empties on start
            Path log4j = Files.createTempFile("sip-failover-log4j-", ".properties");
            log4j.toFile().deleteOnExit();
            // JAIN-SIP's own log (redacted) is off: the flow manager reports what matters through slf4j, and the
            // stack logs every failed reconnection attempt as an error with the whole request
            Files.writeString(
                    log4j, "log4j.rootLogger=OFF, none\nlog4j.appender.none=org.apache.log4j.varia.NullAppender\n");
            System.setProperty("log4j.configuration", log4j.toUri().toString());
        }
    }

    private List<Bundle> install() throws IOException, BundleException {
        List<Bundle> bundles = new ArrayList<>();
        for (String name : EmbeddedBundles.list()) {
            try (InputStream in = EmbeddedBundles.open(name)) {
                bundles.add(framework.getBundleContext().installBundle("launcher:" + name, in));
            } catch (BundleException e) {
                throw new BundleException("cannot install " + name + ": " + e.getMessage(), e);
            }
        }
        if (bundles.isEmpty()) {
            throw new IllegalStateException("no bundles embedded under " + EmbeddedBundles.FOLDER);
        }
        return bundles;
    }

    /** Starts each bundle; prints one line naming each that fails. @return whether all started */
    private boolean start(List<Bundle> bundles) {
        boolean ok = true;
        for (Bundle b : bundles) {
            try {
                b.start();
            } catch (BundleException | RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String why = cause == e ? e.getMessage() : e.getMessage() + ": " + cause;
                err.println("error: bundle " + name(b) + " did not start: " + why.replace('\n', ' '));
                ok = false;
            }
        }
        return ok;
    }

    private boolean fragmentsAttached(List<Bundle> bundles) {
        boolean ok = true;
        for (Bundle b : bundles) {
            if (isFragment(b) && b.getState() != Bundle.RESOLVED) {
                err.println("error: fragment " + name(b) + " did not resolve (state " + state(b) + ")");
                ok = false;
            }
        }
        return ok;
    }

    /** Runs each command in turn, stopping at the first that fails. */
    /**
     * Has FileInstall watch the folders of the {@code --config} files, for those files only: the vendor
     * adapters (started before this) turn them into line configurations, FileInstall's own installer takes
     * {@code .cfg} line files, and a changed file updates its lines. Then waits for the first line.
     */
    private void watch(ServiceCalls services) throws Exception {
        Map<Path, List<String>> byFolder = new java.util.LinkedHashMap<>();
        for (Path f : options.configFiles()) {
            byFolder.computeIfAbsent(f.getParent(), k -> new ArrayList<>())
                    .add(f.getFileName().toString());
        }
        // the Aastra adapter reads a folder as a whole (aastra.cfg with the MAC files): tell it which ones
        Hashtable<String, Object> aastra = new Hashtable<>();
        aastra.put("folders", byFolder.keySet().stream().map(Path::toString).toArray(String[]::new));
        services.updateConfiguration(AASTRA_PID, aastra);
        // before FileInstall sees a file: an Aastra file the adapter does not yet claim would go to FileInstall's
        // own installer, which takes any *.cfg for a configuration of its own
        if (!services.awaitService(
                "(&(objectClass=org.apache.felix.fileinstall.ArtifactInstaller)(service.pid=" + AASTRA_PID + "))",
                SERVICE_WAIT)) {
            throw new IllegalStateException(
                    "the Aastra adapter did not take its configuration within " + SERVICE_WAIT.toSeconds() + " s");
        }
        int n = 0;
        for (Map.Entry<Path, List<String>> e : byFolder.entrySet()) {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("felix.fileinstall.dir", e.getKey().toString());
            p.put(
                    "felix.fileinstall.filter",
                    String.join(
                            "|",
                            e.getValue().stream()
                                    .map(java.util.regex.Pattern::quote)
                                    .toList()));
            p.put("felix.fileinstall.poll", "1000");
            p.put("felix.fileinstall.noInitialDelay", "true");
            // the files are the operator's: never written back
            p.put("felix.fileinstall.enableConfigSave", "false");
            services.updateFactoryConfiguration(FILEINSTALL_PID, "launcher-" + n++, p);
        }
        if (!services.awaitService(LINE_STATUS)) {
            err.println("warning: no line came from " + options.configFiles() + " within " + SERVICE_WAIT.toSeconds()
                    + " s (see the log for the files' errors)");
            return;
        }
        // the files' lines come one by one: wait until their number holds still for a moment
        long deadline = System.nanoTime() + SERVICE_WAIT.toNanos();
        int seen = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int now = services.count(LINE_STATUS);
            if (now != seen) {
                seen = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofMillis(1500).toNanos()) {
                break;
            }
            Thread.sleep(100);
        }
    }

    private int exec(ServiceCalls services) throws Exception {
        InputStream noInput = new ByteArrayInputStream(new byte[0]);
        try (ServiceCalls.GogoSession session = services.gogoSession(noInput, out, err)) {
            for (String command : options.commands()) {
                try {
                    String result = session.execute(command);
                    if (result != null) {
                        out.println(result);
                    }
                } catch (Exception e) {
                    err.println(
                            "error: '" + command + "' failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                    return EXIT_COMMAND_FAILED;
                }
            }
        }
        out.flush();
        return EXIT_OK;
    }

    private void printBundles() {
        out.println(" id  state      bundle");
        for (Bundle b : framework.getBundleContext().getBundles()) {
            out.printf("%3d  %-9s  %s%n", b.getBundleId(), state(b), name(b));
        }
    }

    private int fail() {
        stop();
        return EXIT_FAILED;
    }

    /**
     * Stops the framework and waits for it; safe to call twice and from the shutdown hook. Stopping the
     * framework unregisters every line (the lines bundle does that when the framework, not just the bundle,
     * stops), within a few seconds even when a registrar does not answer.
     */
    private synchronized void stop() {
        if (framework != null && (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            int lines = options.execOnly() ? 0 : lineCount();
            if (lines > 0) {
                out.println(Demo.Clock.now() + "  stopping: " + lines
                        + (lines == 1 ? " line unregisters" : " lines unregister"));
            }
            try {
                framework.stop();
                framework.waitForStop(STOP_WAIT_MILLIS);
            } catch (BundleException e) {
                err.println("error: stopping the framework: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (demo != null) {
                out.println(Demo.Clock.now() + "  demo: stopped; the registrars hold " + demo.bindings());
                demo.close();
            }
            out.flush();
        }
        deleteTemporaryStorage();
    }

    private int lineCount() {
        try {
            ServiceReference<?>[] refs = framework.getBundleContext().getServiceReferences(LINE_STATUS, null);
            return refs == null ? 0 : refs.length;
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return 0;
        }
    }

    private synchronized void deleteTemporaryStorage() {
        if (temporaryStorage == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(temporaryStorage)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is harmless
        }
        temporaryStorage = null;
    }

    private static boolean isFragment(Bundle b) {
        BundleRevision revision = b.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static String name(Bundle b) {
        return b.getSymbolicName() + " " + b.getVersion();
    }

    private static String state(Bundle b) {
        switch (b.getState()) {
            case Bundle.INSTALLED:
                return "INSTALLED";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            case Bundle.ACTIVE:
                return "ACTIVE";
            default:
                return "UNINSTALLED";
        }
    }
}
