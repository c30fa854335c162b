package org.sipfailover.policy.internal;

import org.osgi.service.component.annotations.Component;
import org.sipfailover.api.config.LineConfig;
import org.sipfailover.api.policy.Decision;
import org.sipfailover.api.policy.FailoverPolicy;
import org.sipfailover.api.policy.PolicyInput;

/** {@code redundant-symmetric}: AudioCodes redundant proxy mode 1; see {@link RedundantProxyPolicy}. */
@Component(service = FailoverPolicy.class,
        property = FailoverPolicy.POLICY_NAME + "=" + RedundantSymmetricPolicy.NAME)
public final class RedundantSymmetricPolicy extends RedundantProxyPolicy implements FailoverPolicy {

    public static final String NAME = "redundant-symmetric";

    public RedundantSymmetricPolicy() {
        super(true);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String policyName() {
        return NAME;
    }

    @Override
    public void validate(LineConfig config) {
        check(config);
    }

    @Override
    public Decision decide(PolicyInput input) {
        return choose(input);
    }
}
