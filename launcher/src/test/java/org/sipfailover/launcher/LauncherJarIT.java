// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.dns.DnsZone;
import org.sipfailover.testkit.dns.Dnsmasq;

/** Runs the packaged jar the way a user does: {@code java -jar sip-failover-launcher.jar --exec ...}. */
@RealServers
class LauncherJarIT {

    private static final Path JAR = Path.of(System.getProperty("launcher.jar", "target/sip-failover-launcher.jar"));

    @TempDir
    Path work;

    record Run(int exit, String out, String err) {}

    private Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toAbsolutePath().toString(),
                "--data",
                work.resolve("data").toString()));
        command.addAll(List.of(args));
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process p = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not exit within 60 s");
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void execRunsTheResolveCommandAndExitsZero() throws Exception {
        Run r = run("--exec", "sipfailover:resolve 127.0.0.1 0 tls");

        assertThat(r.exit()).as("exit status; stderr:%n%s", r.err()).isZero();
        assertThat(r.out())
                .contains("resolve 127.0.0.1;transport=tls")
                .containsPattern("1 +127\\.0\\.0\\.1:5061 +tls +0 +0 +127\\.0\\.0\\.1")
                .contains("source LITERAL, ttl unlimited");
    }

    @Test
    void dnsOptionPointsTheResolverAtTheGivenServer() throws Exception {
        DnsZone zone = DnsZone.builder()
                .ttl(60)
                .srv("_sip._udp.example.test", "sip1.example.test", 5070, 10, 100)
                .srv("_sip._udp.example.test", "sip2.example.test", 5072, 20, 0)
                .host("sip1.example.test", "127.0.0.11")
                .host("sip2.example.test", "127.0.0.12")
                .build();
        try (Dnsmasq dns = Dnsmasq.start(zone, work.resolve("dnsmasq"))) {
            Run r = run("--dns", dns.address(), "--exec", "sipfailover:resolve example.test 0 udp");

            assertThat(r.exit()).as("exit status; stderr:%n%s", r.err()).isZero();
            assertThat(r.out())
                    .containsPattern("1 +127\\.0\\.0\\.11:5070 +udp +10 +100 +sip1\\.example\\.test")
                    .containsPattern("2 +127\\.0\\.0\\.12:5072 +udp +20 +0 +sip2\\.example\\.test")
                    .containsPattern("source DNS, ttl \\d+ s");
            assertThat(dns.queriesFor("_sip._udp.example.test")).isPositive();
        }
    }

    @Test
    void everyBundleIsActive() throws Exception {
        Run r = run("--exec", "lb");

        assertThat(r.exit()).as("exit status; stderr:%n%s", r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "sip-failover api",
                        "sip-failover dns",
                        "sip-failover shell",
                        "dnsjava",
                        "sip-failover jain-sip",
                        "sip-failover outbound",
                        "reload4j",
                        "Apache Felix Declarative Services",
                        "Apache Felix Configuration Admin Service");
        assertThat(r.out().lines().filter(l -> l.matches(" *\\d+\\|.*")))
                .hasSizeGreaterThanOrEqualTo(20)
                .allSatisfy(l -> assertThat(l).contains("|Active "));
    }

    @Test
    void theFlowManagerStartsItsSipStack() throws Exception {
        // the component is delayed: getting the service from Gogo activates it, JAIN-SIP stack and all
        Run r = run(
                "--exec",
                "($.context getService ($.context getServiceReference "
                        + "org.sipfailover.api.flow.FlowManager)) instanceId");

        assertThat(r.exit()).as("exit status; stderr:%n%s", r.err()).isZero();
        assertThat(r.out().strip()).matches("urn:uuid:[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
        assertThat(r.err()).containsPattern("flow manager started on 127\\.0\\.0\\.1 \\{TCP=\\d+, UDP=\\d+\\}");
    }

    @Test
    void badInputPrintsTheMessageWithoutAStackTraceAndFails() throws Exception {
        Run r = run("--exec", "sipfailover:resolve example.test 99999 udp");

        assertThat(r.exit()).isEqualTo(Launcher.EXIT_COMMAND_FAILED);
        assertThat(r.err()).contains("malformed port 99999").doesNotContain("\tat ");
    }

    @Test
    void badOptionExitsWithUsage() throws Exception {
        Run r = run("--frobnicate");

        assertThat(r.exit()).isEqualTo(Launcher.EXIT_USAGE);
        assertThat(r.err()).contains("unknown option '--frobnicate'", "usage:");
    }
}
