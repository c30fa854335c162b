// SPDX-License-Identifier: Apache-2.0
/**
 * A classic {@link org.osgi.framework.BundleActivator} using sip-failover as a Jitsi-style bundle would: no
 * Declarative Services, service trackers, a line configured through ConfigurationAdmin, EventAdmin events.
 * Exported so that other bundles (a UI, the test) can read what its {@link LineWatcher} saw.
 */
@Export
@Version("1.0.0")
package org.sipfailover.examples.activator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
