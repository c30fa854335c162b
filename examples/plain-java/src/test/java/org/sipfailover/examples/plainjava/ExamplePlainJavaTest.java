// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.examples.plainjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.Transport;
import org.sipfailover.testkit.Poll;
import org.sipfailover.testkit.RealServers;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * The plain-Java example's own wiring ({@link PlainJavaExample#start}) against two real Kamailio registrars,
 * the primary on 127.0.0.1 and the backup on 127.0.0.2: it registers at the primary, moves to the backup when
 * the primary is killed (kill -9), and unregisters when it is closed. Where the line is bound is read from the
 * registrars' location tables.
 */
@RealServers
class ExamplePlainJavaTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PRIMARY_AOR = "1001@127.0.0.1";
    private static final String BACKUP_AOR = "1001@127.0.0.2";

    @TempDir
    Path work;

    private Kamailio primary;
    private Kamailio backup;
    private PlainJavaExample example;

    @AfterEach
    void stop() {
        if (example != null) {
            example.close();
        }
        if (primary != null) {
            primary.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    @Test
    void theExampleRegistersAtThePrimaryFailsOverToTheBackupAndUnregistersWhenClosed() throws Exception {
        primary = Kamailio.start(KamailioConfig.builder().address("127.0.0.1").build(), work.resolve("primary"));
        backup = Kamailio.start(KamailioConfig.builder().address("127.0.0.2").build(), work.resolve("backup"));
        PlainJavaExample.Options options = PlainJavaExample.Options.parse(
                new String[] {
                    "--primary",
                    "127.0.0.1:" + primary.port(),
                    "--backup=127.0.0.2:" + backup.port(),
                    "--data-dir",
                    work.resolve("data").toString()
                },
                new Properties(),
                Map.of());
        List<String> printed = new CopyOnWriteArrayList<>();

        example = PlainJavaExample.start(options, line -> {
            printed.add(line);
            System.out.println(line); // what the example prints, in the test's output
        });

        Poll.until(
                DEADLINE,
                () -> primary.bindings(PRIMARY_AOR).size() == 1
                        && example.line().isRegistered(),
                () -> "a binding at the primary; printed " + printed);
        assertThat(backup.bindings(BACKUP_AOR)).isEmpty();
        assertThat(printed).anyMatch(l -> l.startsWith("REGISTERED") && l.contains("proxy=primary"));

        primary.kill();

        // the line's status is a snapshot published when its lane is done with a task: the registrar may hold
        // the new binding a moment before the line shows where it is
        Poll.until(
                DEADLINE,
                () -> backup.bindings(BACKUP_AOR).size() == 1
                        && example.line().isRegistered()
                        && example.line().placement().toString().contains("proxy=backup registrar=backup"),
                () -> "a binding at the backup, and the line there; printed " + printed);
        assertThat(printed).anyMatch(l -> l.startsWith("TRANSITION") && l.contains("-> proxy=backup"));

        // close() returns once the line has unregistered
        example.close();

        assertThat(backup.bindings(BACKUP_AOR)).isEmpty();
    }

    @Test
    void argumentsWinOverSystemPropertiesWhichWinOverTheDefaults() {
        Properties system = new Properties();
        system.setProperty("sipfailover.example.user", "2002");
        system.setProperty("sipfailover.example.transport", "tcp");
        system.setProperty("sipfailover.example.primary", "10.0.0.1");
        system.setProperty("user.home", "/home/someone");

        PlainJavaExample.Options o = PlainJavaExample.Options.parse(
                new String[] {"--primary", "192.0.2.1:5070", "--policy=redundant-asymmetric"},
                system,
                Map.of("SIPFAILOVER_PASSWORD", "pw-from-env"));

        assertThat(o.primary()).isEqualTo(ServerAddress.of("192.0.2.1", 5070));
        assertThat(o.user()).isEqualTo("2002");
        assertThat(o.transport()).isEqualTo(Transport.TCP);
        assertThat(o.policy()).isEqualTo("redundant-asymmetric");
        assertThat(o.backup()).isEqualTo(ServerAddress.of("127.0.0.2", 5060));
        assertThat(o.dataDir()).isEqualTo(Path.of("/home/someone", ".sip-failover-example"));
        assertThat(o.credentials().authName()).isEqualTo("2002");
        assertThat(o.credentials().password()).isEqualTo("pw-from-env");
        assertThat(o.toString()).doesNotContain("pw-from-env");
        assertThat(PlainJavaExample.lineConfig(o).sipOutbound()).isFalse();
        assertThatThrownBy(() -> PlainJavaExample.Options.parse(new String[] {"--policy", "nokia"}, system, Map.of()))
                .hasMessageContaining("nokia");
    }
}
