// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.policy.internal;

import org.osgi.service.component.annotations.Component;
import org.sipfailover.api.policy.FailoverPolicy;

/**
 * {@code redundant-symmetric}: AudioCodes redundant proxy mode 1 (seed 004). Both proxies have the same
 * priority: only the one in use is probed, and the line switches only when it does not answer, never
 * returning while the current one works. The rules in full: {@link RedundantProxyPolicy}.
 */
@Component(service = FailoverPolicy.class, property = FailoverPolicy.POLICY_NAME + "=" + RedundantSymmetricPolicy.NAME)
public final class RedundantSymmetricPolicy extends RedundantProxyPolicy {

    public static final String NAME = "redundant-symmetric";

    public RedundantSymmetricPolicy() {
        super(true);
    }

    @Override
    public String name() {
        return NAME;
    }
}
