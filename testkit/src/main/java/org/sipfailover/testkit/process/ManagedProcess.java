// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process that a test starts and must not leak: its output goes to a log file, it can be sent
 * signals to simulate a hung ({@code STOP}) or dead ({@code KILL}) server, and a JVM shutdown hook kills it
 * if the test JVM exits while it still runs.
 *
 * <p>Signals go to the process and to its descendants, because servers such as dnsmasq fork a child per
 * TCP connection that would otherwise go on answering.
 */
public final class ManagedProcess implements AutoCloseable {

    /** How long {@link #stop()} lets the process end after {@code TERM} before it sends {@code KILL}. */
    public static final long STOP_GRACE_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);
    private static final Pattern SIGNAL = Pattern.compile("[A-Z][A-Z0-9+-]*|[0-9]+");
    private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ManagedProcess::killAllRunning, "ManagedProcess-reaper"));
    }

    private final Process process;
    private final List<String> command;
    private final Path logFile;

    private ManagedProcess(Process process, List<String> command, Path logFile) {
        this.process = process;
        this.command = command;
        this.logFile = logFile;
    }

    /**
     * Starts {@code command} in {@code workDir} with its standard output and error appended to {@code logFile}.
     *
     * @throws IOException if the process cannot be started
     */
    public static ManagedProcess start(List<String> command, Path workDir, Path logFile) throws IOException {
        List<String> cmd = List.copyOf(command);
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        Files.createDirectories(workDir);
        Path parent = logFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Process p = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        ManagedProcess mp = new ManagedProcess(p, cmd, logFile);
        RUNNING.add(mp);
        LOG.debug("started pid {}: {}", p.pid(), cmd);
        return mp;
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs (a stopped process counts as running). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file that receives the process's standard output and error. */
    public Path logFile() {
        return logFile;
    }

    /**
     * Sends signal {@code sig} (a name without "SIG" such as {@code STOP}, {@code CONT}, {@code KILL},
     * {@code TERM}, {@code HUP}) with {@code kill -<sig>} to the process and its descendants. Does nothing
     * if the process has already ended: its PID may belong to someone else by now.
     *
     * @throws IllegalStateException if {@code kill} fails while the process is alive
     */
    public void signal(String sig) {
        if (!SIGNAL.matcher(sig).matches()) {
            throw new IllegalArgumentException("not a signal name: " + sig);
        }
        if (!process.isAlive()) {
            return;
        }
        List<String> kill = new ArrayList<>(List.of("kill", "-" + sig, Long.toString(process.pid())));
        process.descendants().forEach(d -> kill.add(Long.toString(d.pid())));
        String result;
        int rc;
        try {
            Process k = new ProcessBuilder(kill).redirectErrorStream(true).start();
            if (!k.waitFor(5, TimeUnit.SECONDS)) {
                k.destroyForcibly();
                throw new IllegalStateException("kill did not return: " + kill);
            }
            result = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            rc = k.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + kill, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + kill, e);
        }
        // a descendant that ended in between makes kill fail harmlessly; only the main process matters
        if (rc != 0 && process.isAlive() && !result.contains("No such process")) {
            throw new IllegalStateException(kill + " failed (" + rc + "): " + result);
        }
    }

    /**
     * Ends the process: {@code TERM} (with {@code CONT}, so that a stopped process can act on it), then up
     * to {@value #STOP_GRACE_SECONDS} s for it to exit, then {@code KILL}. Returns when it has ended.
     */
    public void stop() {
        try {
            if (process.isAlive()) {
                List<ProcessHandle> children = process.descendants().toList();
                signal("TERM");
                signal("CONT");
                if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("pid {} ignored TERM for {} s, killing it: {}", pid(), STOP_GRACE_SECONDS, command);
                    process.destroyForcibly();
                    process.waitFor();
                }
                // after the parent is gone its children are no longer its descendants; use the earlier list
                children.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            RUNNING.remove(this);
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Waits until the process has ended, at most {@code seconds}; returns whether it has ended. */
    public boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** The last {@code lines} lines of the log file, for error messages; never throws. */
    public String logTail(int lines) {
        try {
            // lenient decoding: a log with a stray non-UTF-8 byte must still explain a failure
            List<String> all = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "ManagedProcess[pid=" + process.pid() + ", alive=" + process.isAlive() + ", " + command + "]";
    }

    private static void killAllRunning() {
        for (ManagedProcess mp : RUNNING) {
            // no time for a grace period in a dying JVM: KILL, by PID through the process handle
            mp.process.descendants().forEach(ProcessHandle::destroyForcibly);
            mp.process.destroyForcibly();
        }
    }
}
