// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Declarative Services components outside a framework: finds, in the {@code OSGI-INF/*.xml} descriptors
 * that bnd wrote into the jars on the class path, the component that provides a service with a given
 * property value, and makes it with its public no-argument constructor. For components without
 * references or configuration (the failover policies), so that tests and benchmarks use exactly what the
 * bundles publish, found the way a framework would find them.
 */
public final class Components {

    private static final Pattern IMPLEMENTATION = Pattern.compile("<implementation\\s+class=\"([^\"]+)\"");
    private static final Pattern PROVIDE = Pattern.compile("<provide\\s+interface=\"([^\"]+)\"");
    private static final Pattern PROPERTY = Pattern.compile("<property\\s+name=\"([^\"]+)\"[^>]*?value=\"([^\"]*)\"");

    private Components() {}

    /**
     * The component providing {@code service} whose property {@code name} is {@code value}, made new.
     *
     * @throws IllegalArgumentException if no such component is on the class path, or it cannot be made
     */
    public static <T> T create(Class<T> service, String name, String value) {
        List<String> seen = new ArrayList<>();
        for (String xml : descriptors()) {
            if (!PROVIDE.matcher(xml).results().anyMatch(m -> m.group(1).equals(service.getName()))) {
                continue;
            }
            Matcher impl = IMPLEMENTATION.matcher(xml);
            if (!impl.find()) {
                continue;
            }
            boolean match = PROPERTY.matcher(xml)
                    .results()
                    .anyMatch(m -> m.group(1).equals(name) && m.group(2).equals(value));
            seen.add(impl.group(1));
            if (match) {
                try {
                    return service.cast(
                            Class.forName(impl.group(1)).getConstructor().newInstance());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalArgumentException("cannot make component " + impl.group(1) + ": " + e, e);
                }
            }
        }
        throw new IllegalArgumentException("no component provides " + service.getName() + " with " + name + "=" + value
                + "; components of that service: " + seen);
    }

    private static List<String> descriptors() {
        List<String> out = new ArrayList<>();
        try {
            Enumeration<URL> dirs = Components.class.getClassLoader().getResources("OSGI-INF");
            while (dirs.hasMoreElements()) {
                URL dir = dirs.nextElement();
                if (dir.getProtocol().equals("jar")) {
                    JarURLConnection c = (JarURLConnection) dir.openConnection();
                    c.setUseCaches(false);
                    try (var jar = c.getJarFile()) {
                        for (JarEntry e : java.util.Collections.list(jar.entries())) {
                            if (e.getName().startsWith("OSGI-INF/")
                                    && e.getName().endsWith(".xml")) {
                                try (InputStream in = jar.getInputStream(e)) {
                                    out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                                }
                            }
                        }
                    }
                } else if (dir.getProtocol().equals("file")) {
                    try (var files = Files.list(Path.of(dir.toURI()))) {
                        for (Path f :
                                files.filter(f -> f.toString().endsWith(".xml")).toList()) {
                            out.add(Files.readString(f));
                        }
                    }
                }
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot read the component descriptors on the class path: " + e, e);
        }
        return out;
    }
}
