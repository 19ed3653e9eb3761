package io.orchestrationplane.testkit.junit.internal;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.testkit.Clusters;
import io.orchestrationplane.testkit.PlaneEvents;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.junit.Cluster;
import io.orchestrationplane.testkit.junit.EnvironmentConfigurer;
import io.orchestrationplane.testkit.junit.OrchestrationTest;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link OrchestrationTest}. It keeps one {@link TestEnvironment} per test
 * in the test's {@link ExtensionContext.Store}, built on first use and closed by JUnit when the
 * test ends (the store closes {@link AutoCloseable} values), so tests never share state and
 * parallel execution needs no locking here.
 */
public final class OrchestrationExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OrchestrationExtension.class);
  private static final Set<Class<?>> TYPES = Set.of(TestEnvironment.class, OrchestrationPlane.class, ManualClock.class,
      Clock.class, Scheduler.class, Clusters.class, PlaneEvents.class, InMemoryCluster.class, ClusterDriver.class,
      WorkloadSimulator.class);

  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
    // constructor parameters get the test method's context, so constructor injection is per test too
    return ExtensionContextScope.TEST_METHOD;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return TYPES.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException("@OrchestrationTest gives each test its own environment: inject "
          + parameter.getParameter().getType().getSimpleName() + " into a test method, @BeforeEach/@AfterEach or"
          + " the constructor (with the default per-method lifecycle), not into " + parameter.getDeclaringExecutable());
    }
    TestEnvironment env = environment(context);
    Class<?> type = parameter.getParameter().getType();
    Optional<String> cluster = parameter.findAnnotation(Cluster.class).map(Cluster::value);
    try {
      if (type == TestEnvironment.class) {
        return env;
      } else if (type == OrchestrationPlane.class) {
        return env.plane();
      } else if (type == ManualClock.class || type == Clock.class) {
        return env.clock();
      } else if (type == Scheduler.class) {
        return env.scheduler();
      } else if (type == Clusters.class) {
        return env.clusters();
      } else if (type == PlaneEvents.class) {
        return env.events();
      } else if (type == InMemoryCluster.class) {
        return cluster.map(env::cluster).orElseGet(env::cluster);
      } else if (type == ClusterDriver.class) {
        return env.driver(cluster.orElseGet(() -> env.cluster().name()));
      } else {
        return cluster.map(env::simulator).orElseGet(env::simulator);
      }
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("cannot inject " + parameter.getParameter() + " of "
          + parameter.getDeclaringExecutable() + ": " + e.getMessage(), e);
    }
  }

  /** The environment of the current test, built on first use. */
  static TestEnvironment environment(ExtensionContext context) {
    return context.getStore(NAMESPACE).computeIfAbsent(TestEnvironment.class.getName(),
        k -> build(settings(context)), TestEnvironment.class);
  }

  private static OrchestrationTest settings(ExtensionContext context) {
    Optional<OrchestrationTest> onMethod = context.getTestMethod()
        .flatMap(m -> AnnotationSupport.findAnnotation(m, OrchestrationTest.class));
    if (onMethod.isPresent()) {
      return onMethod.get();
    }
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
      Optional<OrchestrationTest> found = AnnotationSupport.findAnnotation((AnnotatedElement) c, OrchestrationTest.class);
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new IllegalStateException("no @OrchestrationTest on " + context.getRequiredTestClass().getName());
  }

  private static TestEnvironment build(OrchestrationTest settings) {
    TestEnvironment.Builder b = TestEnvironment.builder()
        .readinessGates(settings.readinessGates())
        .startPlane(settings.startPlane());
    for (String spec : settings.clusters()) {
      b.cluster(spec);
    }
    if (!settings.progressDeadline().isEmpty()) {
      try {
        b.progressDeadline(Duration.parse(settings.progressDeadline()));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("@OrchestrationTest(progressDeadline = \"" + settings.progressDeadline()
            + "\") is not an ISO-8601 duration such as \"PT2M\"", e);
      }
    }
    for (Class<? extends EnvironmentConfigurer> type : settings.configure()) {
      instantiate(type).configure(b);
    }
    return b.build();
  }

  private static EnvironmentConfigurer instantiate(Class<? extends EnvironmentConfigurer> type) {
    try {
      var constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("EnvironmentConfigurer " + type.getName() + " needs a no-argument constructor", e);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalArgumentException("cannot create EnvironmentConfigurer " + type.getName() + ": " + e, e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("EnvironmentConfigurer " + type.getName() + " failed: " + e.getCause(), e.getCause());
    }
  }
}
