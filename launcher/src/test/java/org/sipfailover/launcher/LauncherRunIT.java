// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * Runs the packaged jar as a long-running process, the way a user does, and stops it with SIGTERM: the demo
 * (its line fails over and back as the in-JVM primary stops and starts), and a line from a file registered at
 * a real Kamailio, which must be unregistered when the process is told to stop.
 */
@RealServers
class LauncherRunIT {

    private static final Path JAR = Path.of(System.getProperty("launcher.jar", "target/sip-failover-launcher.jar"));
    private static final Duration DEADLINE = Duration.ofSeconds(40);

    @TempDir
    Path work;

    private Process process;
    private Thread reader;
    private final List<String> out = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDemoFailsOverAndBackPrintingEachTransitionAndUnregistersOnSigterm() throws Exception {
        start("--demo-cycle", "8,5");

        awaitLine("registered +proxy=primary registrar=primary");
        awaitLine(
                "TRANSITION +proxy=primary registrar=primary reg-id=1 +-> +proxy=backup registrar=backup reg-id=1 +\\(primary proxy failed: CONNECTION_RESET\\)");
        awaitLine("backup registrar: sip:alice@127\\.0\\.0\\.1 bound");
        awaitLine(
                "TRANSITION +proxy=backup registrar=backup reg-id=1 +-> +proxy=primary registrar=primary reg-id=1 +\\(proxy back to the primary");
        awaitLine("backup registrar: sip:alice@127\\.0\\.0\\.1 unbound");
        // each printed transition: time, line, from, to, cause
        assertThat(out)
                .filteredOn(l -> l.contains("TRANSITION"))
                .allMatch(
                        l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  demo  TRANSITION +\\S.* +-> +\\S.* +\\(.+\\)"));

        int exit = sigterm();

        assertThat(exit).as("exit status after SIGTERM").isEqualTo(143);
        assertThat(out)
                .as("output; stderr:%n%s", stderr())
                .anyMatch(l -> l.contains("stopping: 1 line unregisters"))
                .anyMatch(l -> l.endsWith("the registrars hold primary 0 binding(s), backup 0 binding(s)"));
    }

    @Test
    void aLineFromAFileRegistersAtKamailioAndIsUnregisteredOnSigterm() throws Exception {
        try (Kamailio kamailio = Kamailio.start(KamailioConfig.builder().build(), work.resolve("kamailio"))) {
            Path line = work.resolve("lines").resolve("org.sipfailover.line-bob.cfg");
            Files.createDirectories(line.getParent());
            Files.writeString(
                    line,
                    String.join(
                            "\n",
                            "user = bob",
                            "proxy = " + kamailio.address() + ":" + kamailio.port(),
                            "transport = tcp",
                            "keepAlive = 5",
                            ""));
            start("--config", line.toString(), "--no-shell");

            awaitLine("bob  registered +proxy=primary registrar=primary");
            Poll.until(
                    DEADLINE,
                    () -> !kamailio.bindings("bob@" + kamailio.address()).isEmpty(),
                    () -> "a binding of bob at Kamailio; its log:\n" + kamailio.logTail(20));

            int exit = sigterm();

            assertThat(exit).as("exit status after SIGTERM").isEqualTo(143);
            assertThat(out)
                    .as("output; stderr:%n%s", stderr())
                    .anyMatch(l -> l.contains("stopping: 1 line unregisters"));
            assertThat(kamailio.bindings("bob@" + kamailio.address()))
                    .as("bob's bindings after SIGTERM")
                    .isEmpty();
        }
    }

    private void start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toAbsolutePath().toString(),
                "--data",
                work.resolve("data").toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(work.resolve("err.txt").toFile())
                .start();
        reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String l = r.readLine(); l != null; l = r.readLine()) {
                            out.add(l);
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                "launcher-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    private void awaitLine(String regex) {
        Pattern p = Pattern.compile(regex);
        Poll.until(
                DEADLINE,
                () -> out.stream().anyMatch(l -> p.matcher(l).find()),
                () -> "a line matching '" + regex + "' in the launcher's output:\n" + String.join("\n", out)
                        + "\nstderr:\n" + stderr());
    }

    /** Sends SIGTERM and waits for the process and its output to end. */
    private int sigterm() throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close our end of the process's output
        process.toHandle().destroy();
        assertThat(process.waitFor(20, TimeUnit.SECONDS))
                .as("the launcher exits after SIGTERM")
                .isTrue();
        reader.join(5_000); // what the process printed last
        return process.exitValue();
    }

    private String stderr() {
        try {
            String s = Files.readString(work.resolve("err.txt"));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }
}
