// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.launcher.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's demo: two registrars in this JVM, one line with the primary and the backup, and the primary
 * stopped and started again on a cycle, so that the line's failover and failback show as they happen. Needs
 * nothing but a JDK.
 */
public final class Demo implements AutoCloseable {

    /** The demo line's id. */
    public static final String LINE = "demo";

    private final PrintStream out;
    private final Duration up;
    private final Duration down;
    private final DemoRegistrar primary;
    private final DemoRegistrar backup;
    private final ScheduledExecutorService cycle = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sip-failover-demo");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param up how long the primary runs before each stop
     * @param down how long it stays stopped
     */
    public Demo(PrintStream out, Duration up, Duration down) throws IOException {
        this.out = out;
        this.up = up;
        this.down = down;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.primary = new DemoRegistrar("primary", loopback, 0, this::say);
        this.backup = new DemoRegistrar("backup", loopback, 0, this::say);
        primary.start();
        backup.start();
    }

    /**
     * The demo line's configuration ({@code org.sipfailover.line} factory configuration {@value #LINE}): TCP with
     * RFC 5626 outbound, the {@code aastra} policy, failing back as soon as the primary answers again, and
     * timers short enough to watch (keep-alive 5 s, probes every 2 s, flow recovery within 4 s).
     */
    public Hashtable<String, Object> line() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("id", LINE);
        p.put("user", "alice");
        p.put("displayName", "Demo line");
        p.put("proxy", primary.address());
        p.put("proxy.backup", backup.address());
        p.put("transport", "tcp");
        p.put("sipOutbound", "true");
        p.put("policy", "aastra");
        p.put("keepAlive", "5");
        p.put("pongTimeout", "2");
        p.put("registrationPeriod", "120");
        p.put("probeInterval", "2");
        p.put("recoveryBaseAllFailed", "1");
        p.put("recoveryBaseSomeOk", "2");
        p.put("recoveryMax", "4");
        p.put("failbackMode", "immediate");
        p.put("failbackHoldOff", "2");
        return p;
    }

    /** Prints what is about to happen and starts the cycle. */
    public void start() {
        say("demo: two SIP registrars in this JVM: primary " + primary.address() + ", backup " + backup.address());
        say("demo: line '" + LINE + "' (alice, TCP, RFC 5626 outbound, policy aastra) registers at the primary;");
        say("demo: the primary stops " + up.toSeconds() + " s from now and starts again " + down.toSeconds()
                + " s later, and so on. Ctrl-C (SIGTERM) ends the demo: the line unregisters.");
        cycle.schedule(this::stopPrimary, up.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopPrimary() {
        primary.stop();
        say("demo: primary registrar " + primary.address() + " STOPPED (connections reset); starts again in "
                + down.toSeconds() + " s");
        cycle.schedule(this::startPrimary, down.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void startPrimary() {
        try {
            primary.start();
            say("demo: primary registrar " + primary.address() + " STARTED again; stops in " + up.toSeconds() + " s");
        } catch (IOException e) {
            say("demo: primary registrar could not listen again: " + e.getMessage() + "; retrying in 1 s");
            cycle.schedule(this::startPrimary, 1, TimeUnit.SECONDS);
            return;
        }
        cycle.schedule(this::stopPrimary, up.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The registrars' bindings, for the launcher's last words. */
    public String bindings() {
        return "primary " + primary.bindingCount() + " binding(s), backup " + backup.bindingCount() + " binding(s)";
    }

    private void say(String line) {
        out.println(Clock.now() + "  " + line);
    }

    /** Stops the cycle and the registrars; call after the line has unregistered. */
    @Override
    public void close() {
        cycle.shutdownNow();
        primary.stop();
        backup.stop();
    }

    /** The time column of the launcher's output. */
    public static final class Clock {
        private static final java.time.format.DateTimeFormatter TIME =
                java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

        private Clock() {}

        public static String now() {
            return java.time.LocalTime.now().format(TIME);
        }

        public static String of(long epochMillis) {
            return java.time.Instant.ofEpochMilli(epochMillis)
                    .atZone(java.time.ZoneId.systemDefault())
                    .toLocalTime()
                    .format(TIME);
        }
    }
}
