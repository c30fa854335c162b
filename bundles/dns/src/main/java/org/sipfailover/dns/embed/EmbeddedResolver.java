// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.embed;

import org.osgi.annotation.versioning.ProviderType;
import org.sipfailover.api.dns.ServerResolver;

/** A resolver made outside OSGi, which its maker closes when done with it. */
@ProviderType
public interface EmbeddedResolver extends ServerResolver, AutoCloseable {

    /** Stops the resolver's thread; resolutions after this may never complete. Idempotent. */
    @Override
    void close();
}
