// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Name;

/** Where record sets come from: DNS servers in production, anything in a test. */
interface RecordSource {

    /**
     * Asks for one record set. Never completes exceptionally: failures are {@link DnsAnswer.Kind#FAILED}
     * answers. Completes within the source's time-outs.
     */
    CompletionStage<DnsAnswer> query(Name name, int type);
}
