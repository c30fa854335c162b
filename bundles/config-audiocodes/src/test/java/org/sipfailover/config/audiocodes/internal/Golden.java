// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.audiocodes.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.sipfailover.api.config.FailbackMode;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Rank;
import org.sipfailover.api.net.ServerAddress;
import org.sipfailover.api.net.ServerRole;
import org.sipfailover.api.net.Transport;

/** The golden files and the example, and builders of what they must give. */
final class Golden {

    static final List<String> FILES = List.of(
            "seed004-asymmetric.cfg",
            "seed004-symmetric.cfg",
            "seed004-disabled.cfg",
            "legacy-aliases.cfg",
            "srv-records.cfg",
            "vendor-00908f1a2b3c.cfg");
    /** The example the repository ships, relative to this module. */
    static final Path EXAMPLE = Path.of("../../examples/audiocodes/00908f4c5d6e.cfg");

    private Golden() {}

    static String text(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String example() {
        try {
            return Files.readString(EXAMPLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AudioCodesParseResult parse(String name) {
        return new AudioCodesParser().parse(name, text(name));
    }

    /**
     * A builder with what every AudioCodes line has unless its file says otherwise: the asymmetric
     * redundant-proxy policy, UDP, and the API's defaults for everything else.
     */
    static LineConfig.Builder line(String id, String user) {
        return LineConfig.builder(id)
                .user(user)
                .transport(Transport.UDP)
                .policy("redundant-asymmetric")
                .failback(FailbackMode.IMMEDIATE, Duration.ofSeconds(30), Duration.ofSeconds(3600), true);
    }

    static LineConfig.Builder server(LineConfig.Builder b, ServerRole role, Rank rank, String host, int port) {
        return b.server(role, rank, ServerAddress.of(host, port));
    }

    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }
}
