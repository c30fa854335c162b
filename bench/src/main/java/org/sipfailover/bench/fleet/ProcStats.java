// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CPU time of a process from {@code /proc/<pid>/stat}, and a JVM's heap from {@code jcmd GC.heap_info}. */
final class ProcStats {

    /** USER_HZ: the unit of utime and stime; 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static final double TICKS_PER_SECOND = 100.0;

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private ProcStats() {}

    /** User plus system CPU seconds the process has used so far; -1 when it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            // fields after the command name, which is in parentheses and may hold blanks
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime is field 14, stime field 15
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU seconds the process's threads other than the JIT compilers ({@code C1/C2 CompilerThread}) have used
     * so far: a JVM compiles for minutes after it starts, and that is not the lines' cost. Threads that ended
     * are not counted. -1 when the process is gone.
     */
    static double cpuSecondsWithoutJit(long pid) {
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            long ticks = 0;
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.contains("CompilerThre")) {
                        continue;
                    }
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size in MB; -1 when the process is gone. */
    static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /**
     * Java heap in use in MB (young and old generations, garbage included unless {@code afterGc}), from
     * {@code jcmd}; -1 when it cannot be read.
     *
     * @param afterGc run {@code GC.run} first (a full collection in that JVM): the live heap
     */
    static double heapMb(long pid, boolean afterGc) {
        if (afterGc) {
            jcmd(pid, "GC.run");
        }
        String out = jcmd(pid, "GC.heap_info");
        Matcher m = USED.matcher(out);
        // the first "used" is the whole heap's (G1, Serial and Parallel all print it first)
        return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : -1;
    }

    /** Starts a JFR recording of {@code seconds} in that JVM, written to {@code file} when it ends. */
    static void startRecording(long pid, int seconds, java.nio.file.Path file) {
        jcmd(pid, "JFR.start", "duration=" + seconds + "s", "filename=" + file.toAbsolutePath(), "settings=profile");
    }

    private static String jcmd(long pid, String... command) {
        try {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("jcmd", Long.toString(pid)));
            cmd.addAll(java.util.List.of(command));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
