package org.sipfailover.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.File;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** The bundles of this build inside the test framework, and finding installed bundles by name. */
final class ReactorBundles {

    private ReactorBundles() {
    }

    /**
     * A bundle of this build, from the jar that the failsafe configuration names in the system property
     * {@code itest.bundle.<artifactId>} (see the pom): during {@code mvn verify} the reactor's jars are not in
     * the local repository.
     */
    static Option reactorBundle(String artifactId) {
        String jar = System.getProperty("itest.bundle." + artifactId);
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("system property itest.bundle." + artifactId
                    + " must name the built jar (run through 'mvn verify'), got " + jar);
        }
        return bundle(new File(jar).toURI().toString());
    }

    /** @throws AssertionError if no bundle of that symbolic name is installed */
    static Bundle installed(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
