// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.launcher;

import java.io.PrintStream;

/**
 * {@code java -jar sip-failover-launcher.jar [options]}: starts an embedded Felix framework with every
 * bundle of sip-failover and its dependencies, then runs Gogo commands, the Gogo console, or just runs
 * until stopped. See {@link Options#USAGE}.
 *
 * <p>Exit status: 0 done; 1 a bundle or the framework failed; 2 bad options; 3 an {@code --exec} command failed.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(Launcher.EXIT_USAGE);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }
        PrintStream out = System.out;
        if (options.execOnly()) {
            // standard output carries the commands' results alone: whatever a bundle prints itself (Felix
            // EventAdmin's warnings on shutdown, for one) goes to standard error
            System.setOut(System.err);
        }
        // exit explicitly: bundles may leave non-daemon threads behind
        System.exit(new Launcher(options, out, System.err).run());
    }
}
