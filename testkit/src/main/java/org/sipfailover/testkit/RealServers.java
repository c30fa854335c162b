// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test that starts real servers or processes (Kamailio, dnsmasq, sipp, a launcher JVM): the fast build
 * ({@code mvn -Pfast}), which needs nothing installed but a JDK and Maven, leaves out its tag, {@value #TAG}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(RealServers.TAG)
public @interface RealServers {

    /** The JUnit tag, as the {@code fast} profile's {@code excludedGroups} names it. */
    String TAG = "servers";
}
