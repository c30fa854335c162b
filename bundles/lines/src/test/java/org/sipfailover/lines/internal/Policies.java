// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.testkit.osgi.Components;

/** The policies of the policy bundle, by name, as its DS components provide them. */
final class Policies {

    private Policies() {}

    static FailoverPolicy named(String name) {
        return Components.create(FailoverPolicy.class, FailoverPolicy.POLICY_NAME, name);
    }
}
