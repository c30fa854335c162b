// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.fleet;

import java.util.Arrays;
import java.util.Locale;

/** Order statistics of per-line figures. */
record Stats(int n, double median, double p99, double max) {

    static Stats of(double[] values) {
        double[] v =
                Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Stats(v.length, at(v, 0.5), at(v, 0.99), v[v.length - 1]);
    }

    /** Nearest-rank percentile. */
    private static double at(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** {@code median / p99 / max} in seconds, or a dash. */
    String cell() {
        if (n == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", median, p99, max);
    }
}
