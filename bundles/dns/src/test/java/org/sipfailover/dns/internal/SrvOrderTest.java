// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SrvOrderTest {

    private record Srv(String name, int weight) {}

    private final RandomGenerator random = new SplittableRandom(20261121L);

    @Test
    void everyMemberAppearsExactlyOnce() {
        List<Srv> group = List.of(new Srv("a", 10), new Srv("b", 0), new Srv("c", 60), new Srv("d", 30));
        for (int i = 0; i < 1000; i++) {
            assertThat(SrvOrder.order(group, Srv::weight, random)).containsExactlyInAnyOrderElementsOf(group);
        }
    }

    /**
     * RFC 2782: the first pick is proportional to weight. A chi-squared test over 60,000 draws with 3
     * degrees of freedom: the 99.9 % critical value is 16.27, so a correct draw fails this about once in a
     * thousand runs with a random seed, and never with this fixed seed; a draw that ignored weights, or
     * left the group unshuffled (as Jitsi does with the last group), fails it by orders of magnitude.
     */
    @Test
    void firstPickIsProportionalToWeight() {
        List<Srv> group = List.of(new Srv("a", 10), new Srv("b", 20), new Srv("c", 30), new Srv("d", 40));
        int draws = 60_000;
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < draws; i++) {
            first.merge(SrvOrder.order(group, Srv::weight, random).get(0).name(), 1, Integer::sum);
        }
        double chi2 = 0;
        for (Srv s : group) {
            double expected = draws * s.weight() / 100.0;
            double observed = first.getOrDefault(s.name(), 0);
            chi2 += (observed - expected) * (observed - expected) / expected;
        }
        assertThat(chi2).as("chi-squared of first picks %s", first).isLessThan(16.27);
    }

    /** The second pick is drawn among the rest, again by weight: P(b second | a first) = 20/90. */
    @Test
    void laterPicksAreWeightedAmongTheRest() {
        List<Srv> group = List.of(new Srv("a", 10), new Srv("b", 20), new Srv("c", 30), new Srv("d", 40));
        int aFirst = 0;
        int bSecond = 0;
        for (int i = 0; i < 200_000; i++) {
            List<Srv> o = SrvOrder.order(group, Srv::weight, random);
            if (o.get(0).name().equals("a")) {
                aFirst++;
                if (o.get(1).name().equals("b")) {
                    bSecond++;
                }
            }
        }
        double p = (double) bSecond / aFirst;
        // about 20,000 conditional draws: standard error 0.003, so 0.02 is more than six of them
        assertThat(p).isBetween(20 / 90.0 - 0.02, 20 / 90.0 + 0.02);
    }

    /** Weight 0 keeps a very small chance (RFC 2782): 1/(total+1) to come first, not zero. */
    @Test
    void zeroWeightIsRarelyButSometimesFirst() {
        List<Srv> group = List.of(new Srv("zero", 0), new Srv("heavy", 9));
        int zeroFirst = 0;
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            if (SrvOrder.order(group, Srv::weight, random).get(0).name().equals("zero")) {
                zeroFirst++;
            }
        }
        assertThat((double) zeroFirst / draws).isBetween(0.08, 0.12); // 1/10
    }

    /** All weights zero: every order equally likely, not the order the server sent. */
    @Test
    void allZeroWeightsAreShuffledUniformly() {
        List<Srv> group = List.of(new Srv("a", 0), new Srv("b", 0), new Srv("c", 0));
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < 30_000; i++) {
            first.merge(SrvOrder.order(group, Srv::weight, random).get(0).name(), 1, Integer::sum);
        }
        assertThat(first.values()).allSatisfy(n -> assertThat(n).isBetween(9_400, 10_600));
    }

    @Test
    void singleAndEmptyGroups() {
        assertThat(SrvOrder.order(List.of(new Srv("only", 0)), Srv::weight, random))
                .extracting(Srv::name)
                .containsExactly("only");
        assertThat(SrvOrder.order(List.<Srv>of(), Srv::weight, random)).isEmpty();
    }
}
