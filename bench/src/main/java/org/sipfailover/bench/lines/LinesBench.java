// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.bench.lines;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link PolicyBenchmark} (each policy's decide) and {@link ReconcileBenchmark} (one transition of a line in
 * virtual time) with JMH and prints a Markdown table of the average times.
 */
public final class LinesBench {

    private LinesBench() {}

    public static void run(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        Options options = new OptionsBuilder()
                .include(PolicyBenchmark.class.getName())
                .include(ReconcileBenchmark.class.getName())
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(1))
                .forks(1)
                .jvmArgsAppend("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        StringBuilder table = new StringBuilder(
                "\n| benchmark | parameter | average | ± (99.9 %) | unit |\n" + "| --- | --- | ---: | ---: | --- |\n");
        for (RunResult r : results) {
            Result<?> p = r.getPrimaryResult();
            String label = r.getParams().getBenchmark();
            label = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
            String param = String.join(
                    ", ",
                    r.getParams().getParamsKeys().stream()
                            .map(k -> r.getParams().getParam(k))
                            .toList());
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.1f | %.1f | %s |%n",
                    label,
                    param,
                    p.getScore(),
                    p.getScoreError(),
                    p.getScoreUnit()));
        }
        System.out.println(table);
    }
}
