// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * RFC 2782's ordering of the records of one priority group: a weighted random draw without replacement.
 * Every group is drawn, the last and single-member ones included, and weight-0 records keep the small
 * chance the RFC gives them.
 */
final class SrvOrder {

    private SrvOrder() {}

    /**
     * Orders the members of one priority group.
     *
     * @param group the records of one priority; not modified
     * @param weight each record's weight, 0..65535
     * @param random the random source
     * @return a new list in the order to try
     */
    static <T> List<T> order(List<T> group, ToIntFunction<T> weight, RandomGenerator random) {
        int n = group.size();
        if (n <= 1) {
            return new ArrayList<>(group);
        }
        // "arrange all SRV RRs ... in any order, except that all those with weight 0 are placed at the
        // beginning of the list": shuffled first, so that equal weights leave no order to chance of position
        List<T> remaining = new ArrayList<>(group);
        for (int i = n - 1; i > 0; i--) {
            Collections.swap(remaining, i, random.nextInt(i + 1));
        }
        remaining.sort((a, b) -> Boolean.compare(weight.applyAsInt(a) != 0, weight.applyAsInt(b) != 0));
        List<T> out = new ArrayList<>(n);
        while (!remaining.isEmpty()) {
            long total = 0;
            for (T t : remaining) {
                total += weight.applyAsInt(t);
            }
            // uniform in [0, total], inclusive, as RFC 2782 says
            long pick = random.nextLong(total + 1);
            long running = 0;
            int chosen = remaining.size() - 1;
            for (int i = 0; i < remaining.size(); i++) {
                running += weight.applyAsInt(remaining.get(i));
                if (running >= pick) {
                    chosen = i;
                    break;
                }
            }
            out.add(remaining.remove(chosen));
        }
        return out;
    }
}
