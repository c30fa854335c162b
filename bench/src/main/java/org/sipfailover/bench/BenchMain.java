// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench;

import java.util.Arrays;
import org.sipfailover.bench.dns.ResolverBench;

/** One entry point for every measurement: {@code java -jar bench/target/benchmarks.jar <name> [options]}. */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (name) {
            case "dns":
                ResolverBench.run(rest);
                break;
            case "flows":
                org.sipfailover.bench.flows.FlowsBench.run(rest);
                break;
            case "failover":
                org.sipfailover.bench.failover.FailoverBench.run(rest);
                break;
            case "fleet":
                org.sipfailover.bench.fleet.FleetBench.run(rest);
                break;
            case "jmh":
                org.sipfailover.bench.lines.LinesBench.run(rest);
                break;
            case "soak":
                org.sipfailover.bench.fleet.SoakBench.run(rest);
                break;
            default:
                System.err.println("usage: java -jar benchmarks.jar dns [--quick]");
                System.err.println(
                        "       java -jar benchmarks.jar flows [--lines 10000] [--flows 4] [--idle 30] [--transport tcp]");
                System.err.println(
                        "       java -jar benchmarks.jar failover [--keep-alive 5] [--probe 2] [--hold-off 2] [--swap-lines 1000]");
                System.err.println("  dns    cached and uncached resolution against a local dnsmasq (JMH)");
                System.err.println("  flows  many lines registered over a few RFC 5626 flows against a local Kamailio");
                System.err.println(
                        "  failover  failover and failback times per policy, transport and fault against two local Kamailios");
                System.err.println(
                        "       java -jar benchmarks.jar fleet [--lines 1] [--policy redundant-asymmetric] [--transport tcp]");
                System.err.println(
                        "           [--faults kill,sigstop,restart,dns,flap] [--clients sip-failover,baresip,linphonec] [--dns]");
                System.err.println(
                        "           [--format audiocodes|lines] [--keep-alive 5] [--probe 2] [--hold-off 2] [--png docs/x.png]");
                System.err.println(
                        "           [--transaction-timeout MS]  each line's own (AudioCodes outgoing_request_no_response_timeout_ms)");
                System.err.println(
                        "  fleet  the launcher as a separate JVM with N lines from generated vendor files (or baresip, linphonec)");
                System.err.println(
                        "         against two local Kamailios and a dnsmasq; one fault per case, measured from the registrars' tables");
                System.err.println(
                        "       java -jar benchmarks.jar soak [--lines 1000] [--minutes 20] [--seed 1] [--policy dual-flow] [--png x.png]");
                System.err.println("           [--transaction-timeout MS]");
                System.err.println("       java -jar benchmarks.jar jmh [--quick]");
                System.err.println(
                        "  jmh    each policy's decide, and one transition of a line (reconcile) in virtual time (JMH)");
                System.err.println(
                        "  soak   a seeded random fault schedule: bound time per line, stuck lines, heap over time");
                System.exit(2);
        }
    }
}
