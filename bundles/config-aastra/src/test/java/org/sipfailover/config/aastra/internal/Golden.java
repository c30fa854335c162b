// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.config.aastra.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.net.Transport;

/** Test fixtures: golden file sets under {@code src/test/resources/golden}, the examples, expected lines. */
final class Golden {

    private Golden() {}

    /** The folder of a golden scenario. */
    static Path folder(String scenario) {
        try {
            return Path.of(Golden.class.getResource("/golden/" + scenario).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository's {@code examples/aastra} folder. */
    static Path examples() {
        Path p = Path.of(System.getProperty("user.dir"))
                .resolve("../../examples/aastra")
                .normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("no examples folder at " + p);
        }
        return p;
    }

    /**
     * Reads a folder as one phone: the global file, then {@code <model>.cfg} files, then the MAC file, whose
     * lower-case stem names the phone.
     */
    static AastraParseResult read(Path folder) {
        List<AastraFile> global = new ArrayList<>();
        List<AastraFile> model = new ArrayList<>();
        List<AastraFile> mac = new ArrayList<>();
        String phone = null;
        try (Stream<Path> files = Files.list(folder).sorted()) {
            for (Path p : (Iterable<Path>) files::iterator) {
                FileNames.Kind kind =
                        FileNames.kind(p.getFileName().toString(), java.util.Set.of(FileNames.DEFAULT_MODELS));
                if (kind == null) {
                    continue;
                }
                AastraFile f = AastraFile.read(p);
                switch (kind) {
                    case GLOBAL -> global.add(f);
                    case MODEL -> model.add(f);
                    case MAC -> {
                        mac.add(f);
                        phone = FileNames.stem(p.getFileName().toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<AastraFile> all = new ArrayList<>(global);
        all.addAll(model);
        all.addAll(mac);
        return new AastraReader().read(phone != null ? phone : "aastra", all);
    }

    static AastraParseResult read(String scenario) {
        return read(folder(scenario));
    }

    /** A line with the firmware defaults the reader applies when the files say nothing. */
    static LineConfig.Builder aastraLine(String phone, int n) {
        return LineConfig.builder(AastraReader.lineId(phone, n))
                .policy("aastra")
                .transport(Transport.UDP)
                .symmetricUdp(true)
                .registrationPeriod(Duration.ZERO)
                .registrationRenewal(Duration.ofSeconds(15))
                .registrationRetry(Duration.ofSeconds(1800))
                .registrationTimeoutRetry(Duration.ofSeconds(120))
                .transactionTimeout(Duration.ofMillis(4000));
    }
}
