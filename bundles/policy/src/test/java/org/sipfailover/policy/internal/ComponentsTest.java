// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.testkit.osgi.Components;

/** Each policy is found the way a framework finds it: by the descriptor bnd wrote, by its policy.name. */
class ComponentsTest {

    @ParameterizedTest
    @ValueSource(strings = {"aastra", "redundant-asymmetric", "redundant-symmetric", "dual-flow"})
    void eachPolicyIsAComponentPublishingFailoverPolicyUnderItsName(String name) {
        FailoverPolicy p = Components.create(FailoverPolicy.class, FailoverPolicy.POLICY_NAME, name);

        assertThat(p.name()).isEqualTo(name);
        assertThat(p.getClass().getPackageName()).isEqualTo("org.sipfailover.policy.internal");
    }
}
