// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.api.config;

import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerRole;

/**
 * The keys of the ConfigAdmin form of a {@link LineConfig}: the properties of one factory configuration of
 * {@link LineConfig#FACTORY_PID}. Vendor adapters write them; a person can write them by hand (a Karaf
 * {@code etc/org.sipfailover.line-alice.cfg}, {@code config:edit}); the lines bundle reads them. These names
 * and the value formats below are the contract; the code that reads and writes them is in the
 * implementation bundles.
 *
 * <p>Values may be strings (as in {@code .cfg} files) or typed (Boolean, Integer, Long, String[] or a
 * collection of strings). Durations are seconds, fractions allowed ({@code 0.5}), or ISO-8601
 * ({@code PT0.5S}). Server addresses are {@code host[:port][;transport=udp|tcp|tls]}, port 0 or none
 * meaning "look up SRV" for a domain name. Keys not listed here are ignored, except those starting with
 * {@link #EXTRA_PREFIX}, which are kept in {@link LineConfig#extra()}.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><td>{@value #ID}</td><td>the line id; by default the name of the factory configuration</td></tr>
 * <tr><td>{@value #USER}, {@value #DISPLAY_NAME}</td><td>AOR user part, display name</td></tr>
 * <tr><td>{@value #AUTH_NAME}, {@value #PASSWORD}</td><td>digest credentials; the password key starts
 * with a dot so that it never becomes a service property</td></tr>
 * <tr><td>{@code proxy}, {@code proxy.backup}, {@code registrar}, {@code registrar.backup},
 * {@code outboundProxy}, {@code outboundProxy.backup}</td><td>servers</td></tr>
 * <tr><td>{@value #TRANSPORT}</td><td>udp, tcp, tls, or any (DNS decides)</td></tr>
 * <tr><td>{@value #SIP_OUTBOUND}, {@value #PERSISTENT_TLS}, {@value #SYMMETRIC_UDP}</td><td>booleans</td></tr>
 * <tr><td>{@code keepAlive}, {@code pongTimeout}, {@code transactionTimeout} (absent: the flow manager's),
 * {@code registrationPeriod}, {@code registrationRenewal},
 * {@code registrationRetry}, {@code registrationTimeoutRetry}, {@code recoveryBaseAllFailed},
 * {@code recoveryBaseSomeOk}, {@code recoveryMax}, {@code probeInterval}, {@code failbackHoldOff},
 * {@code failbackTimeout}</td><td>durations</td></tr>
 * <tr><td>{@value #POLICY}</td><td>the {@code policy.name} of the failover policy</td></tr>
 * <tr><td>{@value #FAILBACK_MODE}, {@value #FAILBACK_WHEN_IDLE}</td><td>immediate, new-requests,
 * dns-ttl, registration, duration, never; boolean</td></tr>
 * <tr><td>{@value #SUBSCRIPTIONS}</td><td>entries {@code blf|bla|mwi <target URI> [<period seconds>]}</td></tr>
 * <tr><td>{@value #SRV_RECORDS}</td><td>entries {@code <name> <priority> <weight> <port> <target>}</td></tr>
 * </table>
 */
public final class LineProperties {

    public static final String ID = "id";
    public static final String USER = "user";
    public static final String DISPLAY_NAME = "displayName";
    public static final String AUTH_NAME = "authName";
    /** Private (leading dot): ConfigAdmin consumers do not copy it into service properties. */
    public static final String PASSWORD = ".password";

    public static final String TRANSPORT = "transport";
    public static final String SIP_OUTBOUND = "sipOutbound";
    public static final String PERSISTENT_TLS = "persistentTls";
    public static final String SYMMETRIC_UDP = "symmetricUdp";
    public static final String KEEP_ALIVE = "keepAlive";
    public static final String PONG_TIMEOUT = "pongTimeout";
    /** @since 1.1 */
    public static final String TRANSACTION_TIMEOUT = "transactionTimeout";

    public static final String REGISTRATION_PERIOD = "registrationPeriod";
    public static final String REGISTRATION_RENEWAL = "registrationRenewal";
    public static final String REGISTRATION_RETRY = "registrationRetry";
    public static final String REGISTRATION_TIMEOUT_RETRY = "registrationTimeoutRetry";
    public static final String RECOVERY_BASE_ALL_FAILED = "recoveryBaseAllFailed";
    public static final String RECOVERY_BASE_SOME_OK = "recoveryBaseSomeOk";
    public static final String RECOVERY_MAX = "recoveryMax";
    public static final String PROBE_INTERVAL = "probeInterval";
    public static final String POLICY = "policy";
    public static final String FAILBACK_MODE = "failbackMode";
    public static final String FAILBACK_HOLD_OFF = "failbackHoldOff";
    public static final String FAILBACK_TIMEOUT = "failbackTimeout";
    public static final String FAILBACK_WHEN_IDLE = "failbackWhenIdle";
    public static final String SUBSCRIPTIONS = "subscriptions";
    public static final String SRV_RECORDS = "srvRecords";
    /**
     * Written by a vendor adapter: the file a line came from, so that an operator (and the adapter itself,
     * when the file changes or goes) can tell whose line it is. Not part of the line's configuration.
     */
    public static final String SOURCE = "sipfailover.source";
    /** Keys starting with this are kept as {@link LineConfig#extra()} (without the prefix). */
    public static final String EXTRA_PREFIX = "extra.";

    private LineProperties() {}

    /** The key of a server: {@code proxy}, {@code registrar.backup}, {@code outboundProxy}, ... */
    public static String serverKey(ServerRole role, Rank rank) {
        String base = switch (role) {
            case PROXY -> "proxy";
            case REGISTRAR -> "registrar";
            case OUTBOUND_PROXY -> "outboundProxy";
        };
        return rank == Rank.PRIMARY ? base : base + ".backup";
    }
}
