// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests.karaf;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.MavenArtifactUrlReference;

/**
 * A stock Apache Karaf from Maven Central, whose {@code mvn:} URLs find this build's artifacts first.
 *
 * <p>The pom copies the reactor's artifacts in repository layout into {@code itest.karaf.repository}; Karaf's
 * pax-url gets that folder at the head of its {@code defaultRepositories} (checked before anything else, as a
 * local repository), then Karaf's own {@code system/} folder, then the build's local Maven repository and
 * Central. So {@code mvn:org.sipfailover/...} resolves to the jars of this build during {@code mvn verify}, on
 * a machine that never ran {@code mvn install}, and never to an older install.
 */
final class KarafOptions {

    /** The system properties the failsafe configuration passes, handed on to Karaf's JVM. */
    private static final String[] PASSED_ON = {"itest.examples", "itest.workdir", "itest.version"};

    private KarafOptions() {}

    /** Karaf, unpacked under {@code itest.workdir/karaf-<name>}, with this build's artifacts first. */
    static Option karaf(String name) {
        String local = required("itest.maven.local");
        String repository = URI.create(
                        "file:" + Path.of(required("itest.karaf.repository")).toAbsolutePath())
                .toString();
        return composite(
                karafDistributionConfiguration()
                        .frameworkUrl(maven().groupId("org.apache.karaf")
                                .artifactId("apache-karaf")
                                .type("tar.gz")
                                .versionAsInProject())
                        .name("Apache Karaf")
                        .unpackDirectory(new File(required("itest.workdir"), "karaf-" + name))
                        .useDeployFolder(false),
                // kept for its data/log/karaf.log when something fails; under target/, gone with 'mvn clean'
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole(),
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.defaultRepositories",
                        repository + "@id=sip-failover-build@snapshots,"
                                + "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                                + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots"),
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", local),
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.repositories",
                        "https://repo1.maven.org/maven2@id=central"),
                // data/log/karaf.log tells what the lines, the adapters and FileInstall did (Pax Exam sets WARN)
                logger("sipfailover", "org.sipfailover"),
                logger("fileinstall", "fileinstall"),
                passedOn());
    }

    private static Option logger(String id, String name) {
        String cfg = "etc/org.ops4j.pax.logging.cfg";
        return composite(
                editConfigurationFilePut(cfg, "log4j2.logger." + id + ".name", name),
                editConfigurationFilePut(cfg, "log4j2.logger." + id + ".level", "INFO"));
    }

    /** {@code mvn:org.sipfailover/features/<version>/xml/features}. */
    static MavenArtifactUrlReference featuresRepository() {
        return maven().groupId("org.sipfailover")
                .artifactId("features")
                .type("xml")
                .classifier("features")
                .version(required("itest.version"));
    }

    private static Option passedOn() {
        Option[] options = new Option[PASSED_ON.length];
        for (int i = 0; i < PASSED_ON.length; i++) {
            options[i] = systemProperty(PASSED_ON[i]).value(required(PASSED_ON[i]));
        }
        return composite(options);
    }

    /** A system property the failsafe configuration sets; fails when run otherwise. */
    static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " missing: run through 'mvn verify'");
        }
        return value;
    }
}
