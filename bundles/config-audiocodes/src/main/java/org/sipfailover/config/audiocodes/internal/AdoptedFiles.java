package org.sipfailover.config.audiocodes.internal;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * AudioCodes files that Felix FileInstall's own configuration installer took before this adapter was running. A
 * file already in a watched folder when the adapter comes is one: in Karaf, {@code deploy/} is scanned before any
 * feature is installed, boot features included. FileInstall never hands such a file over: it stays with that
 * installer, which turns each change of the file into an update of its configuration (property
 * {@code felix.fileinstall.filename}) and the file's removal into the configuration's deletion. So the adapter
 * adopts the file: it publishes the file's lines, and follows the file through that configuration's events.
 *
 * <p>A plain class: the DS component hands it FileInstall's configurations and their events.
 */
final class AdoptedFiles {

    private final LinePublisher publisher;
    /** FileInstall's configuration PID to the AudioCodes file it was made of. */
    private final Map<String, Path> files = new HashMap<>();

    AdoptedFiles(LinePublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * A configuration that FileInstall made of a file, there when the adapter starts or updated since (the file
     * changed). An AudioCodes file's is adopted, and the file's lines are published again.
     *
     * @param location the configuration's {@code felix.fileinstall.filename}: a {@code file:} URL or a path
     * @return whether the file is an adopted AudioCodes file
     */
    synchronized boolean updated(String pid, String location) {
        Path file = path(location);
        if (file == null || !(files.containsKey(pid) || AudioCodesFiles.looksLikeAudioCodes(file))) {
            return false;
        }
        files.put(pid, file);
        publisher.publish(file.toFile());
        return true;
    }

    /**
     * FileInstall deleted a configuration: when it was an adopted file's and the file is gone, the file's lines
     * go. (A configuration deleted while its file stays changes nothing: the lines follow the file.)
     */
    synchronized void deleted(String pid) {
        Path file = files.remove(pid);
        if (file != null && !Files.exists(file)) {
            publisher.withdraw(file.toFile());
        }
    }

    /** Whether the configuration is an adopted file's. */
    synchronized boolean isAdopted(String pid) {
        return files.containsKey(pid);
    }

    private static Path path(String location) {
        try {
            return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
