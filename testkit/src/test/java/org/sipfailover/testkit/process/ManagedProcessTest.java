// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.testkit.Poll;

class ManagedProcessTest {

    @TempDir
    Path dir;

    @Test
    void logsOutputAndShowsItsTail() throws Exception {
        Path log = dir.resolve("out.log");
        try (ManagedProcess p = ManagedProcess.start(
                List.of("sh", "-c", "pwd; for i in 1 2 3 4; do echo line$i; done; echo err >&2"), dir, log)) {
            Poll.until(Duration.ofSeconds(5), () -> !p.isAlive(), () -> "sh to exit");
            assertThat(p.logTail(3)).isEqualTo("line3\nline4\nerr");
            assertThat(Files.readString(log)).startsWith(dir.toRealPath() + "\n");
        }
    }

    @Test
    void stopPauseResumeAndStop() throws Exception {
        ManagedProcess p = ManagedProcess.start(List.of("sleep", "60"), dir, dir.resolve("sleep.log"));
        assertThat(p.isAlive()).isTrue();
        assertThat(p.pid()).isPositive();

        p.signal("STOP");
        Poll.until(Duration.ofSeconds(5), () -> state(p.pid()).equals("T"), () -> "state T (stopped)");
        p.signal("CONT");
        Poll.until(Duration.ofSeconds(5), () -> !state(p.pid()).equals("T"), () -> "state not T");

        // a stopped process must still end promptly on stop(): TERM alone would wait for a CONT
        p.signal("STOP");
        long start = System.nanoTime();
        p.stop();
        assertThat(p.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));

        p.signal("KILL"); // a no-op on an ended process
        p.close();
    }

    @Test
    void killEndsTheProcessAndItsChildren() throws Exception {
        ManagedProcess p =
                ManagedProcess.start(List.of("sh", "-c", "sleep 60 & sleep 60; wait"), dir, dir.resolve("tree.log"));
        Poll.until(
                Duration.ofSeconds(5),
                () -> ProcessHandle.of(p.pid()).orElseThrow().descendants().count() == 2,
                () -> "two children");
        List<ProcessHandle> children =
                ProcessHandle.of(p.pid()).orElseThrow().descendants().toList();

        p.signal("KILL");

        Poll.until(
                Duration.ofSeconds(5),
                () -> !p.isAlive() && children.stream().noneMatch(ProcessHandle::isAlive),
                () -> "process and children dead");
        p.close();
    }

    @Test
    void shutdownHookKillsWhatADyingJvmLeavesRunning() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), LeakyMain.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor()).as(out).isZero();
        long leaked = Long.parseLong(out.lines()
                .filter(l -> l.startsWith("pid="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no pid in: " + out))
                .substring(4));

        Poll.until(
                Duration.ofSeconds(10),
                () -> ProcessHandle.of(leaked).map(h -> !h.isAlive()).orElse(true),
                () -> "pid " + leaked + " killed by the shutdown hook of the JVM that started it");
    }

    /** A test JVM that exits without stopping its process. */
    public static final class LeakyMain {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            ManagedProcess p = ManagedProcess.start(List.of("sleep", "600"), dir, dir.resolve("leak.log"));
            System.out.println("pid=" + p.pid());
            System.exit(0);
        }
    }

    private static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (Exception e) {
            return "gone";
        }
    }
}
