package io.orchestrationplane.testkit.junit;

import io.orchestrationplane.testkit.TestEnvironment;

/**
 * Adds settings to the environment {@link OrchestrationTest} builds: custom component types,
 * health assessors, simulator timings, a fault-injecting driver. Needs a public no-argument
 * constructor; one instance is made per test.
 *
 * <pre>{@code
 * public static class SlowPods implements EnvironmentConfigurer {
 *   public void configure(TestEnvironment.Builder env) {
 *     env.simulator(s -> s.readiness(Duration.ofSeconds(30)));
 *   }
 * }
 * @OrchestrationTest(configure = SlowPods.class)
 * }</pre>
 */
@FunctionalInterface
public interface EnvironmentConfigurer {
  void configure(TestEnvironment.Builder environment);
}
