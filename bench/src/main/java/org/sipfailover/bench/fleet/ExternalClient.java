// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sipfailover.testkit.net.FreePorts;

/**
 * A SIP client from Debian (baresip, linphonec) run as a process with one line. Its standard input stays open
 * (both leave on end of input) and is never written to; its output goes to a file in the work directory. Stopped
 * with SIGTERM, then SIGKILL, by its own process id.
 */
abstract class ExternalClient implements Client {

    static final String USER = "300001";
    protected final String transport;
    private Process process;
    private OutputStream stdin;

    ExternalClient(String transport) {
        this.transport = transport;
    }

    @Override
    public List<String> users() {
        return List.of(USER);
    }

    /** Writes the client's configuration under {@code dir}; returns its command line, the Debian binary's path first. */
    abstract List<String> configure(Registrars servers, Path dir, int localPort) throws IOException;

    @Override
    public void start(Registrars servers, Path work) throws IOException {
        Path dir = work.resolve(name());
        java.nio.file.Files.createDirectories(dir);
        int port = FreePorts.udpAndTcp(InetAddress.getByName("127.0.0.1"));
        List<String> cmd = configure(servers, dir, port);
        if (!java.nio.file.Files.isExecutable(Path.of(cmd.get(0)))) {
            throw new IOException(cmd.get(0) + " is not installed (Debian package " + debianPackage()
                    + "; scripts/install-deps.sh bench installs it)");
        }
        // a home of its own: linphonec does not start its core without its database folder there
        Path home = dir.resolve("home");
        java.nio.file.Files.createDirectories(home.resolve(".local/share/linphone"));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile());
        pb.environment().put("HOME", home.toString());
        process = pb.start();
        stdin = process.getOutputStream();
    }

    /** The Debian package that holds the client. */
    abstract String debianPackage();

    @Override
    public long pid() {
        return process == null || !process.isAlive() ? -1 : process.pid();
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            process.destroy(); // SIGTERM
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            stdin.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (IOException e) {
            // its input is gone with it
        }
    }
}
