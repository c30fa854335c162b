// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests;

/**
 * What the test's two DNS servers serve, as plain constants that both sides of Pax Exam use: the driver
 * builds the zones from them, the test inside the framework expects them.
 */
final class TestRecords {

    static final String DOMAIN = "example.test";
    static final String SRV_OWNER = "_sip._udp." + DOMAIN;
    /** An A record only, different on each server: tells which server the resolver asks. */
    static final String PROBE_HOST = "host." + DOMAIN;

    static final int TTL = 60;

    /** The first server: two targets of priority 10 (weights 60/40), one of priority 20. */
    static final String FIRST_PROBE_IP = "127.0.0.10";

    static final String[] FIRST_TARGETS = {"sip1." + DOMAIN, "sip2." + DOMAIN, "sip3." + DOMAIN};
    static final String[] FIRST_IPS = {"127.0.0.11", "127.0.0.12", "127.0.0.13"};
    static final int[] FIRST_PORTS = {5070, 5072, 5074};
    static final int[] FIRST_PRIORITIES = {10, 10, 20};
    static final int[] FIRST_WEIGHTS = {60, 40, 0};

    /** The second server: one backup target. */
    static final String SECOND_PROBE_IP = "127.0.0.20";

    static final String SECOND_TARGET = "backup." + DOMAIN;
    static final String SECOND_IP = "127.0.0.21";
    static final int SECOND_PORT = 5080;

    private TestRecords() {}
}
