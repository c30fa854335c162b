// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.outbound.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 5626 §4.1 instance-id: a {@code urn:uuid} made once and kept for the life of the installation,
 * in a file of the bundle's data area, so that a restart re-registers as the same instance and the
 * registrar replaces the old flows instead of adding new bindings.
 */
final class InstanceId {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceId.class);
    private static final Pattern URN =
            Pattern.compile("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private InstanceId() {}

    /**
     * Reads the instance-id from {@code file}, or makes one and writes it atomically.
     *
     * @throws IOException if a new id cannot be written
     */
    static String loadOrCreate(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (URN.matcher(text).matches()) {
                return text;
            }
            LOG.warn("{} does not hold an instance-id ({} characters); making a new one", file, text.length());
        }
        String id = "urn:uuid:" + UUID.randomUUID();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "instance-id", ".tmp");
        Files.writeString(tmp, id + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return id;
    }
}
