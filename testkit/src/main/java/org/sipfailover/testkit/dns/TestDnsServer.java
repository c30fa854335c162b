// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.dns;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * An authoritative DNS server inside the test JVM, for unit tests of a resolver: records are added and
 * removed at any time, faults (silence, SERVFAIL, REFUSED, truncation, delay) are switched on and off, and
 * queries are counted so a test can assert that a resolver sent no packet while a TTL was valid.
 *
 * <p>It listens on 127.0.0.1 on one port for both UDP and TCP and answers from its own data only, like an
 * authoritative server: the records of the asked name and type; else a CNAME chain followed within its data;
 * NXDOMAIN for a name without records (a name with records below it exists, as in real DNS); NODATA for a
 * name with records of other types; an SOA in the authority section of negative answers when
 * {@link #setSoa(Name, long, long)} covers the name. UDP answers longer than 512 bytes, or than the EDNS
 * payload size the query offered, are truncated (TC flag, no records) so the client retries over TCP.
 */
public final class TestDnsServer implements AutoCloseable {

    /** How the server answers, switchable at any time. */
    public enum Mode {
        /** Answers from its data. */
        NORMAL,
        /** Reads and counts queries but never answers: a dead server whose host is still up. */
        SILENT,
        /** Answers every query with rcode SERVFAIL. */
        SERVFAIL,
        /** Answers every query with rcode REFUSED. */
        REFUSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(TestDnsServer.class);
    private static final int MAX_CNAME_HOPS = 16;
    private static final int CLASSIC_UDP_LIMIT = 512;
    private static final int OUR_EDNS_PAYLOAD = 1232;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService delayedReplies;

    private final Object dataLock = new Object();
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>(); // guarded by dataLock for writes
    private final Map<Name, SOARecord> soas = new ConcurrentHashMap<>();

    private volatile Mode mode = Mode.NORMAL;
    private volatile boolean truncateUdp;
    private volatile boolean additional = true;
    private volatile Duration answerDelay = Duration.ZERO;
    private volatile boolean closed;

    private final AtomicInteger udpCount = new AtomicInteger();
    private final AtomicInteger tcpCount = new AtomicInteger();
    private final Map<QueryKey, AtomicInteger> perQuestion = new ConcurrentHashMap<>();

    private record QueryKey(Name name, int type) {}

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        this.delayedReplies = Executors.newSingleThreadScheduledExecutor(daemon("TestDnsServer-delay-" + port()));
    }

    /**
     * Binds UDP and TCP on 127.0.0.1 on one free port and starts answering on daemon threads.
     *
     * @throws IOException if no port could be bound for both protocols
     */
    public static TestDnsServer start() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            DatagramSocket u = null;
            try {
                // bind for real instead of asking FreePorts: nothing can take the port between check and bind
                u = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                ServerSocket t = new ServerSocket();
                try {
                    t.bind(new InetSocketAddress(LOOPBACK, u.getLocalPort()), 50);
                } catch (IOException e) {
                    t.close();
                    throw e;
                }
                TestDnsServer server = new TestDnsServer(u, t);
                server.startThreads();
                return server;
            } catch (IOException e) {
                last = e;
                if (u != null) {
                    u.close();
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + LOOPBACK, last);
    }

    private void startThreads() {
        daemon("TestDnsServer-udp-" + port()).newThread(this::serveUdp).start();
        daemon("TestDnsServer-tcp-" + port()).newThread(this::acceptTcp).start();
        LOG.debug("listening on {}", address());
    }

    /** The port, the same for UDP and TCP. */
    public int port() {
        return udp.getLocalPort();
    }

    /** 127.0.0.1 and {@link #port()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port());
    }

    // ------------------------------------------------------------------ data

    /** Adds {@code r} (its name must be absolute); a record equal to one already there is not added twice. */
    public void add(Record r) {
        Objects.requireNonNull(r, "record");
        synchronized (dataLock) {
            List<Record> list = new ArrayList<>(records.getOrDefault(r.getName(), List.of()));
            if (!list.contains(r)) {
                list.add(r);
            }
            records.put(r.getName(), List.copyOf(list));
        }
    }

    /**
     * Removes every record of {@code type} at {@code name}.
     *
     * @return whether there was any
     */
    public boolean remove(Name name, int type) {
        synchronized (dataLock) {
            List<Record> list = records.get(name);
            if (list == null) {
                return false;
            }
            List<Record> kept = list.stream().filter(r -> r.getType() != type).toList();
            if (kept.isEmpty()) {
                records.remove(name);
            } else {
                records.put(name, kept);
            }
            return kept.size() != list.size();
        }
    }

    /** Removes all records; SOAs set with {@link #setSoa(Name, long, long)} stay. */
    public void clear() {
        synchronized (dataLock) {
            records.clear();
        }
    }

    /**
     * Makes the server put an SOA for {@code zone} in the authority section of negative answers for names in
     * that zone (the most specific zone wins), so that resolvers can cache the negative answer (RFC 2308).
     * The SOA is sent with {@code ttl} as its TTL and {@code minimum} as its MINIMUM field, unchanged.
     */
    public void setSoa(Name zone, long ttl, long minimum) {
        try {
            Name host = Name.concatenate(Name.fromConstantString("ns"), zone);
            Name admin = Name.concatenate(Name.fromConstantString("hostmaster"), zone);
            soas.put(zone, new SOARecord(zone, DClass.IN, ttl, host, admin, 1, 3600, 600, 86400, minimum));
        } catch (org.xbill.DNS.NameTooLongException e) {
            throw new IllegalArgumentException("zone name too long: " + zone, e);
        }
    }

    /** Whether SRV answers carry the targets' A/AAAA records in the additional section; default true. */
    public void setAdditional(boolean additional) {
        this.additional = additional;
    }

    // ------------------------------------------------------------------ faults

    /** Switches how the server answers; takes effect for the next query. */
    public void setMode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /**
     * When true, every UDP answer is sent with the TC flag and no records, so that the client must retry
     * over TCP; TCP answers stay complete.
     */
    public void setTruncateUdp(boolean truncateUdp) {
        this.truncateUdp = truncateUdp;
    }

    /** Delays every answer by {@code delay} (zero for none); queries are counted when they arrive. */
    public void setAnswerDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        this.answerDelay = delay;
    }

    // ------------------------------------------------------------------ counts

    /** Queries received over UDP and TCP since start or {@link #resetCounts()}, malformed ones excluded. */
    public int queryCount() {
        return udpCount.get() + tcpCount.get();
    }

    /** Queries for {@code name} (case-insensitive) and {@code type}, over either protocol. */
    public int queryCount(Name name, int type) {
        AtomicInteger c = perQuestion.get(new QueryKey(name, type));
        return c == null ? 0 : c.get();
    }

    /** Queries received over UDP. */
    public int udpQueryCount() {
        return udpCount.get();
    }

    /** Queries received over TCP. */
    public int tcpQueryCount() {
        return tcpCount.get();
    }

    /** Sets all counts to zero. */
    public void resetCounts() {
        udpCount.set(0);
        tcpCount.set(0);
        perQuestion.clear();
    }

    /** Stops answering and releases the port. */
    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            LOG.debug("closing TCP listener", e);
        }
        for (Socket s : connections) {
            closeQuietly(s);
        }
        delayedReplies.shutdownNow();
    }

    @Override
    public String toString() {
        return "TestDnsServer[" + address() + ", mode=" + mode + "]";
    }

    // ------------------------------------------------------------------ transport

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!closed) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(in);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("UDP receive failed", e);
                }
                continue;
            }
            byte[] query = Arrays.copyOfRange(in.getData(), in.getOffset(), in.getOffset() + in.getLength());
            SocketAddress from = in.getSocketAddress();
            try {
                byte[] answer = answer(query, true);
                if (answer != null) {
                    Runnable send = () -> sendUdp(answer, from);
                    Duration delay = answerDelay;
                    if (delay.isZero()) {
                        send.run();
                    } else {
                        // a delay on this thread would also delay every later query; use another thread
                        delayedReplies.schedule(send, delay.toNanos(), TimeUnit.NANOSECONDS);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("failed to answer a UDP query from {}", from, e);
            }
        }
    }

    private void sendUdp(byte[] answer, SocketAddress to) {
        try {
            udp.send(new DatagramPacket(answer, answer.length, to));
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("UDP send to {} failed", to, e);
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            Socket s;
            try {
                s = tcp.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("TCP accept failed", e);
                }
                continue;
            }
            connections.add(s);
            if (closed) {
                // close() may have swept the connections just before this one was added
                closeQuietly(s);
                return;
            }
            // one thread per connection: clients such as dnsjava keep a TCP connection open for reuse
            daemon("TestDnsServer-tcp-conn-" + port())
                    .newThread(() -> serveTcp(s))
                    .start();
        }
    }

    private void serveTcp(Socket s) {
        try (s;
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream()) {
            while (!closed) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException e) {
                    return;
                }
                byte[] query = new byte[length];
                in.readFully(query);
                byte[] answer;
                try {
                    answer = answer(query, false);
                } catch (RuntimeException e) {
                    LOG.warn("failed to answer a TCP query from {}", s.getRemoteSocketAddress(), e);
                    continue;
                }
                if (answer == null) {
                    continue;
                }
                Duration delay = answerDelay;
                if (!delay.isZero()) {
                    // this thread serves only this connection, whose queries are answered in order anyway
                    Thread.sleep(delay.toMillis());
                }
                byte[] framed = new byte[answer.length + 2];
                framed[0] = (byte) (answer.length >>> 8);
                framed[1] = (byte) answer.length;
                System.arraycopy(answer, 0, framed, 2, answer.length);
                out.write(framed);
                out.flush();
            }
        } catch (SocketException | EOFException e) {
            LOG.debug("TCP connection {} ended: {}", s.getRemoteSocketAddress(), e.toString());
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("TCP connection {} failed", s.getRemoteSocketAddress(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.remove(s);
        }
    }

    // ------------------------------------------------------------------ answering

    /** The wire form of the answer to {@code wire}, or null for no answer. */
    private byte[] answer(byte[] wire, boolean overUdp) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            LOG.warn(
                    "ignoring a malformed {} packet of {} bytes: {}",
                    overUdp ? "UDP" : "TCP",
                    wire.length,
                    e.toString());
            return null;
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            LOG.warn("ignoring a response sent to the server");
            return null;
        }
        Record question = query.getQuestion();
        if (question != null) {
            perQuestion
                    .computeIfAbsent(new QueryKey(question.getName(), question.getType()), k -> new AtomicInteger())
                    .incrementAndGet();
        }
        (overUdp ? udpCount : tcpCount).incrementAndGet();

        Mode m = mode;
        if (m == Mode.SILENT) {
            return null;
        }
        Message response = responseTo(query);
        if (question == null || query.getHeader().getCount(Section.QUESTION) != 1) {
            response.getHeader().setRcode(Rcode.FORMERR);
        } else if (query.getHeader().getOpcode() != Opcode.QUERY) {
            response.getHeader().setRcode(Rcode.NOTIMP);
        } else if (m == Mode.SERVFAIL) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
        } else if (m == Mode.REFUSED) {
            response.getHeader().setRcode(Rcode.REFUSED);
        } else {
            response.getHeader().setFlag(Flags.AA);
            fillFromData(response, question.getName(), question.getType());
        }
        addOpt(response, query);

        if (!overUdp) {
            return response.toWire();
        }
        OPTRecord opt = query.getOPT();
        int limit = opt == null ? CLASSIC_UDP_LIMIT : Math.max(CLASSIC_UDP_LIMIT, opt.getPayloadSize());
        byte[] full = response.toWire();
        if (truncateUdp || full.length > limit) {
            Message truncated = responseTo(query);
            truncated.getHeader().setRcode(response.getHeader().getRcode());
            if (response.getHeader().getFlag(Flags.AA)) {
                truncated.getHeader().setFlag(Flags.AA);
            }
            truncated.getHeader().setFlag(Flags.TC);
            addOpt(truncated, query);
            return truncated.toWire();
        }
        return full;
    }

    /** An empty response with the query's id, opcode, question and RD flag. */
    private static Message responseTo(Message query) {
        Message r = new Message(query.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            r.getHeader().setFlag(Flags.RD);
        }
        Record q = query.getQuestion();
        if (q != null) {
            r.addRecord(q, Section.QUESTION);
        }
        return r;
    }

    /** Answers EDNS with EDNS, as servers do; called last so that the OPT ends the additional section. */
    private static void addOpt(Message response, Message query) {
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(OUR_EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
    }

    private void fillFromData(Message response, Name qname, int qtype) {
        Name current = qname;
        Set<Name> visited = new HashSet<>();
        List<Record> answers = new ArrayList<>();
        for (int hop = 0; ; hop++) {
            visited.add(current);
            List<Record> atName = records.getOrDefault(current, List.of());
            List<Record> matching = atName.stream()
                    .filter(r -> qtype == Type.ANY || r.getType() == qtype)
                    .toList();
            if (!matching.isEmpty()) {
                answers.addAll(matching);
                break;
            }
            Record cname = qtype == Type.CNAME
                    ? null
                    : atName.stream()
                            .filter(r -> r.getType() == Type.CNAME)
                            .findFirst()
                            .orElse(null);
            if (cname == null) {
                if (!exists(current)) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                addSoa(response, current);
                break;
            }
            answers.add(cname);
            Name target = ((CNAMERecord) cname).getTarget();
            // a chain longer than real servers allow, or a loop, ends here rather than hanging the server
            if (hop + 1 >= MAX_CNAME_HOPS || visited.contains(target)) {
                break;
            }
            current = target;
        }
        for (Record r : answers) {
            response.addRecord(r, Section.ANSWER);
        }
        if (additional) {
            Set<Record> extra = new LinkedHashSet<>();
            for (Record r : answers) {
                if (r instanceof SRVRecord srv) {
                    for (Record t : records.getOrDefault(srv.getTarget(), List.of())) {
                        if (t.getType() == Type.A || t.getType() == Type.AAAA) {
                            extra.add(t);
                        }
                    }
                }
            }
            extra.forEach(r -> response.addRecord(r, Section.ADDITIONAL));
        }
    }

    /** A name exists if it has records or a name below it has (an "empty non-terminal", RFC 8020). */
    private boolean exists(Name name) {
        if (records.containsKey(name)) {
            return true;
        }
        return records.keySet().stream().anyMatch(n -> n.subdomain(name));
    }

    private void addSoa(Message response, Name name) {
        SOARecord best = null;
        for (SOARecord soa : soas.values()) {
            if (name.subdomain(soa.getName())
                    && (best == null || soa.getName().labels() > best.getName().labels())) {
                best = soa;
            }
        }
        if (best != null) {
            response.addRecord(best, Section.AUTHORITY);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("closing {}", s, e);
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
