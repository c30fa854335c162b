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
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;

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
    private static final String OWN_BUNDLES = "org.sipfailover.";
    private static final String GOGO_SHELL = "org.apache.felix.gogo.shell";
    private static final Duration SERVICE_WAIT = Duration.ofSeconds(10);
    private static final long STOP_WAIT_MILLIS = 10_000;

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private Framework framework;
    private Path temporaryStorage;

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
            if (!options.dnsServers().isEmpty()) {
                Hashtable<String, Object> dns = new Hashtable<>();
                dns.put("servers", options.dnsServers().toArray(new String[0]));
                services.updateConfiguration(DNS_PID, dns);
            }
            if (!start(own) || (gogoShell != null && !start(List.of(gogoShell))) || !fragmentsAttached(bundles)) {
                return fail();
            }

            if (options.execOnly()) {
                int status = exec(services);
                stop();
                return status;
            }
            printBundles();
            if (!console) {
                out.println(options.shell()
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
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the Gogo shell bundle opens its console on start unless told not to
        config.put("gosh.args", console ? "" : "--nointeractive");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        return factory.newFramework(config);
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
                    err.println("error: '" + command + "' failed: " + e.getClass().getSimpleName() + ": "
                            + e.getMessage());
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

    /** Stops the framework and waits for it; safe to call twice and from the shutdown hook. */
    private synchronized void stop() {
        if (framework != null && (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            try {
                framework.stop();
                framework.waitForStop(STOP_WAIT_MILLIS);
            } catch (BundleException e) {
                err.println("error: stopping the framework: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteTemporaryStorage();
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
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "UNINSTALLED";
        }
    }
}
