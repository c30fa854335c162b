// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipfailover.testkit.dns.DnsZone;
import org.sipfailover.testkit.dns.Dnsmasq;
import org.sipfailover.testkit.sip.Kamailio;
import org.sipfailover.testkit.sip.KamailioConfig;

/**
 * Two Kamailio registrars on loopback (primary 127.0.0.1, backup 127.0.0.2), each serving a domain of its own
 * ({@value #PRIMARY_DOMAIN}, {@value #BACKUP_DOMAIN}), and a dnsmasq that serves the SRV and A records of both
 * names. Tracks which registrar is live (running and not stopped), and counts the REGISTERs each handled across
 * its restarts.
 */
final class Registrars implements AutoCloseable {

    static final String PRIMARY_DOMAIN = "a.pbx.test";
    static final String BACKUP_DOMAIN = "b.pbx.test";
    static final String SHARED_DOMAIN = "pbx.test";
    private static final Pattern REGS = Pattern.compile("(accepted|rejected)_regs\\s*=\\s*(\\d+)");

    final Server primary;
    final Server backup;
    final Dnsmasq dns;
    /** The DNS TTL served, in seconds. */
    final int ttl;

    /**
     * @param sharedDomain both registrars serve {@value #SHARED_DOMAIN} (for clients whose account has one domain
     *     and reaches both servers through outbound proxies); otherwise each its own
     */
    Registrars(Path work, int ttl, boolean sharedDomain) throws IOException {
        this.ttl = ttl;
        primary = new Server(
                "primary",
                Kamailio.start(
                        KamailioConfig.builder()
                                .address("127.0.0.1")
                                .domain(sharedDomain ? SHARED_DOMAIN : PRIMARY_DOMAIN)
                                .build(),
                        work.resolve("primary")));
        backup = new Server(
                "backup",
                Kamailio.start(
                        KamailioConfig.builder()
                                .address("127.0.0.2")
                                .domain(sharedDomain ? SHARED_DOMAIN : BACKUP_DOMAIN)
                                .build(),
                        work.resolve("backup")));
        dns = Dnsmasq.start(zone(ttl), work.resolve("dns"));
    }

    private DnsZone zone(int seconds) {
        return DnsZone.builder()
                .ttl(seconds)
                .host("sip1." + PRIMARY_DOMAIN, "127.0.0.1")
                .host("sip1." + BACKUP_DOMAIN, "127.0.0.2")
                .srv("_sip._udp." + PRIMARY_DOMAIN, "sip1." + PRIMARY_DOMAIN, primary.k.port(), 10, 10)
                .srv("_sip._tcp." + PRIMARY_DOMAIN, "sip1." + PRIMARY_DOMAIN, primary.k.port(), 10, 10)
                .srv("_sip._udp." + BACKUP_DOMAIN, "sip1." + BACKUP_DOMAIN, backup.k.port(), 10, 10)
                .srv("_sip._tcp." + BACKUP_DOMAIN, "sip1." + BACKUP_DOMAIN, backup.k.port(), 10, 10)
                .build();
    }

    /** Starts the DNS server again (after it was killed) with the same records. */
    void restartDns() throws IOException {
        dns.restart(zone(ttl));
    }

    @Override
    public void close() {
        try {
            primary.k.close();
        } finally {
            try {
                backup.k.close();
            } finally {
                dns.close();
            }
        }
    }

    /** One registrar and what the harness did to it. */
    static final class Server {
        final String name;
        final Kamailio k;
        private volatile boolean paused;
        /** REGISTERs counted by earlier runs of this registrar (its counters restart with it). */
        private long registersBefore;

        private volatile long lastRegisters;

        Server(String name, Kamailio k) {
            this.name = name;
            this.k = k;
        }

        /** Running and not stopped: its table is reachable and it answers. */
        boolean live() {
            return !paused && k.isAlive();
        }

        /** @return when the signal left (ms since the epoch): the fault's instant, after the statistics read */
        synchronized long kill() {
            lastRegisters = Math.max(lastRegisters, registersNow());
            registersBefore += lastRegisters;
            lastRegisters = 0;
            long at = System.currentTimeMillis();
            k.kill();
            return at;
        }

        /** @return when the signal left (ms since the epoch) */
        synchronized long pause() {
            lastRegisters = Math.max(lastRegisters, registersNow());
            paused = true;
            long at = System.currentTimeMillis();
            k.pause();
            return at;
        }

        synchronized void resume() {
            k.resume();
            paused = false;
        }

        /** A graceful stop and start: the in-memory table is lost, the ports stay the same. */
        /** @return when the stop began (ms since the epoch) */
        synchronized long restart() throws IOException {
            if (k.isAlive() && !paused) {
                lastRegisters = Math.max(lastRegisters, registersNow());
                registersBefore += lastRegisters;
                lastRegisters = 0;
            }
            paused = false;
            long at = System.currentTimeMillis();
            k.restart();
            return at;
        }

        /** REGISTERs handled since the harness started it, across restarts (an estimate for a killed run). */
        synchronized long registers() {
            if (live()) {
                lastRegisters = Math.max(lastRegisters, registersNow());
            }
            return registersBefore + lastRegisters;
        }

        private long registersNow() {
            if (!live()) {
                return 0;
            }
            try {
                Matcher m = REGS.matcher(k.rpc("stats.get_statistics", "registrar:"));
                long n = 0;
                while (m.find()) {
                    n += Long.parseLong(m.group(2));
                }
                return n;
            } catch (IllegalStateException e) {
                return 0;
            }
        }
    }
}
