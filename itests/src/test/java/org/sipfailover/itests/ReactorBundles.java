// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;

import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.sipfailover.testkit.paxexam.FelixOptions;

/**
 * What these tests add to the testkit's {@link FelixOptions}: their Felix for the SIP servers, and what they call
 * inside the framework (the testkit's paxexam package is not exported there; this class travels in the probe).
 */
final class ReactorBundles {

    private ReactorBundles() {}

    /** Where the tests keep their frameworks and servers: {@code itest.workdir} (see the pom). */
    static String workDir() {
        return System.getProperty("itest.workdir", "target/itest");
    }

    /**
     * A fresh Felix in {@code workDir()/<name>} for a test that talks to the testkit's SIP servers: clean caches,
     * no interactive Gogo, the testkit's SIP package from the class path, JUnit.
     */
    static Option felixWithSipServers(String name) {
        return composite(
                FelixOptions.freshFelix(name),
                frameworkProperty("gosh.args").value("--nointeractive"),
                systemPackage("org.sipfailover.testkit.sip"));
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
