package io.orchestrationplane.testkit.junit.internal;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.testkit.Clusters;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.junit.EnvironmentConfigurer;
import io.orchestrationplane.testkit.junit.OrchestrationTest;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link OrchestrationTest}. It keeps one {@link TestEnvironment} per test
 * in the test's {@link ExtensionContext.Store}, built on first use and closed by JUnit when the
 * test ends (the store closes {@link AutoCloseable} values), so tests never share state and
 * parallel execution needs no locking here.
 */
public final class OrchestrationExtension extends EnvironmentResolver<TestEnvironment> {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OrchestrationExtension.class);

  public OrchestrationExtension() {
    super("@OrchestrationTest", TestEnvironment.class,
        Set.of(ManualClock.class, Clock.class, Scheduler.class, Clusters.class, InMemoryCluster.class));
  }

  @Override
  protected Object part(TestEnvironment env, Class<?> type, Optional<String> cluster) {
    if (type == ManualClock.class || type == Clock.class) {
      return env.clock();
    } else if (type == Scheduler.class) {
      return env.scheduler();
    } else if (type == Clusters.class) {
      return env.clusters();
    }
    return cluster.map(env::cluster).orElseGet(env::cluster);
  }

  /** The environment of the current test, built on first use. */
  @Override
  protected TestEnvironment environment(ExtensionContext context) {
    return context.getStore(NAMESPACE).computeIfAbsent(TestEnvironment.class.getName(),
        k -> build(settings(context)), TestEnvironment.class);
  }

  /** The annotation on the test method, else on its class or the nearest enclosing one. */
  private static OrchestrationTest settings(ExtensionContext context) {
    Optional<OrchestrationTest> onMethod = context.getTestMethod()
        .flatMap(m -> AnnotationSupport.findAnnotation(m, OrchestrationTest.class));
    return onMethod.orElseGet(() -> onClass(context, OrchestrationTest.class));
  }

  private TestEnvironment build(OrchestrationTest settings) {
    TestEnvironment.Builder b = TestEnvironment.builder();
    configure(b, settings.clusters(), settings.readinessGates(), settings.startPlane(), settings.progressDeadline());
    for (Class<? extends EnvironmentConfigurer> type : settings.configure()) {
      instantiate(type, EnvironmentConfigurer.class).configure(b);
    }
    return b.build();
  }
}
