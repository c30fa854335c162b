// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;

/** Sends one query, as {@code dig} would, with dnsjava's {@link SimpleResolver}. */
final class Dig {

    private final SimpleResolver resolver;

    private Dig(InetSocketAddress server) {
        resolver = new SimpleResolver(server.getAddress());
        resolver.setPort(server.getPort());
        resolver.setTimeout(Duration.ofSeconds(2));
    }

    static Dig at(InetSocketAddress server) {
        return new Dig(server);
    }

    Dig tcp() {
        resolver.setTCP(true);
        return this;
    }

    Dig timeout(Duration timeout) {
        resolver.setTimeout(timeout);
        return this;
    }

    Dig noEdns() {
        resolver.setEDNS(-1, 0, 0, List.of());
        return this;
    }

    Dig edns(int payload) {
        resolver.setEDNS(0, payload, 0, List.of());
        return this;
    }

    Dig ignoreTruncation() {
        resolver.setIgnoreTruncation(true);
        return this;
    }

    Message query(String name, int type) throws IOException {
        return resolver.send(Message.newQuery(Record.newRecord(name(name), type, DClass.IN)));
    }

    static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
