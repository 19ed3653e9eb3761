package io.orchestrationplane.benchmarks.policy;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the benchmark JVM's CPU time per operation ({@code cpu.us/op}), a figure that stays comparable when
 * the machine is shared and wall-clock throughput is not. Use with {@code -prof
 * io.orchestrationplane.benchmarks.policy.ProcessCpuTimeProfiler}; single-threaded benchmarks only (JIT and GC
 * threads are included, which is small in steady state).
 */
public class ProcessCpuTimeProfiler implements InternalProfiler {
  private long startCpuNanos;

  @Override public String getDescription() {
    return "process CPU time per operation";
  }

  @Override public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    startCpuNanos = cpuNanos();
  }

  @Override public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long ops = Math.max(1, result.getMetadata().getMeasuredOps());
    double usPerOp = (cpuNanos() - startCpuNanos) / 1000.0 / ops;
    return List.of(new ScalarResult("cpu.us/op", usPerOp, "us/op", AggregationPolicy.AVG));
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
