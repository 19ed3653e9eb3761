package io.orchestrationplane.testkit.junit;

/**
 * Adds settings to the environment {@link KubernetesOrchestrationTest} builds: custom component
 * types, simulator timings, driver limits, worker threads. Needs a no-argument constructor; one
 * instance is made per test.
 *
 * <pre>{@code
 * static class SlowPods implements KubernetesEnvironmentConfigurer {
 *   public void configure(KubernetesEnvironment.Builder env) {
 *     env.simulator(s -> s.readiness(Duration.ofMillis(500)));
 *   }
 * }
 * @KubernetesOrchestrationTest(configure = SlowPods.class)
 * }</pre>
 */
@FunctionalInterface
public interface KubernetesEnvironmentConfigurer {
  void configure(KubernetesEnvironment.Builder environment);
}
