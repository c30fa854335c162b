// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit.paxexam;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.UrlProvisionOption;

/**
 * The Pax Exam option sets of the tests in Felix (native container): this build's bundles from the reactor's jars,
 * the framework services they run on, FileInstall. Versions of Maven bundles come from the calling module's
 * dependencies ({@code versionAsInProject}), so each module using these sets depends on their bundles.
 *
 * <p>For the driver side (a test's {@code @Configuration}): this package is not exported into the framework, so
 * what a test calls inside it stays in the test's own package.
 */
public final class FelixOptions {

    private FelixOptions() {}

    /**
     * A bundle of this build, from the jar that the failsafe configuration names in the system property
     * {@code itest.bundle.<artifactId>} (see the itests' pom): during {@code mvn verify} the reactor's jars are not
     * in the local repository.
     */
    public static UrlProvisionOption reactorBundle(String artifactId) {
        String jar = System.getProperty("itest.bundle." + artifactId);
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("system property itest.bundle." + artifactId
                    + " must name the built jar (run through 'mvn verify'), got " + jar);
        }
        return bundle(new File(jar).toURI().toString());
    }

    /** Where the tests keep their frameworks and servers: {@code itest.workdir} (see the itests' pom). */
    public static String workDir() {
        return System.getProperty("itest.workdir", "target/itest");
    }

    /** A fresh Felix in {@code workDir()/<name>}: clean caches, JUnit. */
    public static Option freshFelix(String name) {
        return composite(workingDirectory(workDir() + "/" + name), cleanCaches(true), junitBundles());
    }

    /**
     * What every test of SIP flows runs on: slf4j, reload4j for JAIN-SIP, SCR, ConfigAdmin, Metatype, dnsjava,
     * and this build's api, dns, jain-sip and outbound bundles.
     */
    public static Option flowsInFelix() {
        return composite(
                mavenBundle("org.slf4j", "slf4j-api").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject(),
                mavenBundle("ch.qos.reload4j", "reload4j").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.log").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
                mavenBundle("dnsjava", "dnsjava").versionAsInProject(),
                reactorBundle("api"),
                reactorBundle("dns"),
                reactorBundle("jain-sip"),
                reactorBundle("outbound"));
    }

    /** {@link #flowsInFelix()} with EventAdmin and this build's policy and lines bundles: lines from ConfigAdmin. */
    public static Option linesInFelix() {
        return composite(
                flowsInFelix(),
                mavenBundle("org.apache.felix", "org.apache.felix.eventadmin").versionAsInProject(),
                reactorBundle("policy"),
                reactorBundle("lines"));
    }

    /**
     * FileInstall watching {@code folder} (polled every 200 ms, never writing a configuration back into a file),
     * emptied first, so that a test drops vendor files into it.
     */
    public static Option fileInstallWatching(Path folder) {
        try {
            Files.createDirectories(folder);
            try (var files = Files.list(folder)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return composite(
                frameworkProperty("felix.fileinstall.dir").value(folder.toString()),
                frameworkProperty("felix.fileinstall.poll").value("200"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                frameworkProperty("felix.fileinstall.enableConfigSave").value("false"),
                mavenBundle("org.apache.felix", "org.apache.felix.fileinstall").versionAsInProject());
    }
}
