// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The bundle jars packed under {@code bundles/} in the launcher's own jar (or class-path directory, when
 * run from the build), read straight from there: nothing is unpacked.
 */
final class EmbeddedBundles {

    static final String FOLDER = "bundles/";

    private EmbeddedBundles() {}

    /** The resource names, e.g. {@code bundles/org.apache.felix.scr-2.2.18.jar}, sorted by name. */
    static List<String> list() {
        Path codeSource;
        try {
            codeSource = Path.of(EmbeddedBundles.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the launcher's jar", e);
        }
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(codeSource)) {
                Path folder = codeSource.resolve(FOLDER);
                if (Files.isDirectory(folder)) {
                    try (Stream<Path> files = Files.list(folder)) {
                        files.map(p -> FOLDER + p.getFileName())
                                .filter(n -> n.endsWith(".jar"))
                                .forEach(names::add);
                    }
                }
            } else {
                try (JarFile jar = new JarFile(codeSource.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (name.startsWith(FOLDER)
                                && name.endsWith(".jar")
                                && name.indexOf('/', FOLDER.length()) < 0) {
                            names.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the embedded bundles in " + codeSource, e);
        }
        names.sort(null);
        return names;
    }

    static InputStream open(String name) throws IOException {
        InputStream in = EmbeddedBundles.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("embedded bundle " + name + " is missing");
        }
        return in;
    }
}
