// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The launcher's command line, parsed and checked. Plain data: {@link #parse} never touches the framework.
 *
 * @param dnsServers {@code --dns host:port}, in order; empty = the resolver's own default (the system's resolvers)
 * @param dataDir {@code --data dir}, the framework storage; empty = a fresh temporary directory
 * @param commands {@code --exec "command"}, in order; when given, run them and exit
 * @param shell {@code false} with {@code --no-shell}: never open the Gogo console
 * @param help {@code --help}
 * @param configFiles {@code --config file}: vendor files (Aastra/Mitel, AudioCodes) or line {@code .cfg} files
 *     to watch and run the lines of
 * @param noDemo {@code --no-demo}: no demo even without {@code --config} and {@code --exec}
 * @param demoUp {@code --demo-cycle up,down}: how long the demo's primary runs before each stop
 * @param demoDown how long the demo's primary stays stopped
 */
record Options(
        List<String> dnsServers,
        Optional<Path> dataDir,
        List<String> commands,
        boolean shell,
        boolean help,
        List<Path> configFiles,
        boolean noDemo,
        Duration demoUp,
        Duration demoDown) {

    static final Duration DEMO_UP = Duration.ofSeconds(20);
    static final Duration DEMO_DOWN = Duration.ofSeconds(15);

    static final String USAGE = String.join(
            "\n",
            "usage: java -jar sip-failover-launcher.jar [options]",
            "  with neither --config nor --exec: the demo (two registrars in this JVM, one line, the primary",
            "  stopped and started again on a cycle, every transition printed)",
            "  --dns <host:port>   a DNS server for the resolver (repeatable, tried in order);",
            "                      default: the system's resolvers",
            "  --data <dir>        framework storage, emptied on start; default: a temporary directory",
            "  --exec \"<command>\"  run a Gogo command, print its output (repeatable); then exit,",
            "                      non-zero if a command failed",
            "  --config <file>     an Aastra/Mitel or AudioCodes file, or an org.sipfailover.line-NAME.cfg:",
            "                      its lines run, and follow the file when it changes (repeatable)",
            "  --no-shell          no Gogo console: run until stopped (SIGTERM, Ctrl-C)",
            "  --demo-cycle <up>,<down>  the demo's primary runs <up> s, then stops for <down> s;",
            "                      default " + DEMO_UP.toSeconds() + "," + DEMO_DOWN.toSeconds(),
            "  --no-demo           no demo: an empty framework (with the shell) when nothing else is asked",
            "  --help              this text");

    Options {
        dnsServers = List.copyOf(dnsServers);
        commands = List.copyOf(commands);
        configFiles = List.copyOf(configFiles);
    }

    /** Whether the demo runs: asked for nothing else. */
    boolean demo() {
        return !noDemo && commands.isEmpty() && configFiles.isEmpty();
    }

    /** Whether the launcher stops by itself once the commands ran. */
    boolean execOnly() {
        return !commands.isEmpty();
    }

    /**
     * @throws IllegalArgumentException with a one-line message naming the bad option
     */
    static Options parse(String... args) {
        List<String> dns = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        List<Path> configs = new ArrayList<>();
        Path data = null;
        boolean shell = true;
        boolean help = false;
        boolean noDemo = false;
        Duration up = DEMO_UP;
        Duration down = DEMO_DOWN;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--dns":
                    String server = value(args, ++i, arg);
                    if (server.isBlank() || server.chars().anyMatch(Character::isWhitespace)) {
                        throw new IllegalArgumentException("--dns expects host or host:port, got '" + server + "'");
                    }
                    dns.add(server);
                    break;
                case "--data":
                    data = Path.of(value(args, ++i, arg));
                    break;
                case "--exec":
                    String command = value(args, ++i, arg);
                    if (command.isBlank()) {
                        throw new IllegalArgumentException("--exec expects a command, got an empty one");
                    }
                    commands.add(command);
                    break;
                case "--config":
                    Path file = Path.of(value(args, ++i, arg)).toAbsolutePath().normalize();
                    if (!java.nio.file.Files.isRegularFile(file)) {
                        throw new IllegalArgumentException("--config: " + file + " is not a readable file");
                    }
                    configs.add(file);
                    break;
                case "--no-shell":
                    shell = false;
                    break;
                case "--no-demo":
                    noDemo = true;
                    break;
                case "--demo-cycle":
                    String cycle = value(args, ++i, arg);
                    String[] parts = cycle.split(",");
                    try {
                        up = Duration.ofSeconds(Long.parseLong(parts[0].strip()));
                        down = Duration.ofSeconds(Long.parseLong(parts[1].strip()));
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(
                                "--demo-cycle expects <up>,<down> in seconds, got '" + cycle + "'");
                    }
                    if (parts.length != 2 || up.isZero() || up.isNegative() || down.isZero() || down.isNegative()) {
                        throw new IllegalArgumentException(
                                "--demo-cycle expects two positive numbers of seconds, got '" + cycle + "'");
                    }
                    break;
                case "--help":
                case "-h":
                    help = true;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new Options(dns, Optional.ofNullable(data), commands, shell, help, configs, noDemo, up, down);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
