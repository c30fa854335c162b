// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import org.osgi.service.component.annotations.Component;
import org.sipfailover.api.policy.FailoverPolicy;

/**
 * {@code redundant-asymmetric}: AudioCodes redundant proxy mode 0 (seed 004). The primary has the higher
 * priority: probed while in use, left when it does not answer, probed from the redundant proxy, returned
 * to when it answers again (by the failback rules). The rules in full: {@link RedundantProxyPolicy}.
 */
@Component(service = FailoverPolicy.class, property = FailoverPolicy.POLICY_NAME + "=" + RedundantAsymmetricPolicy.NAME)
public final class RedundantAsymmetricPolicy extends RedundantProxyPolicy {

    public static final String NAME = "redundant-asymmetric";

    public RedundantAsymmetricPolicy() {
        super(false);
    }

    @Override
    public String name() {
        return NAME;
    }
}
