package io.orchestrationplane.testkit.junit.internal;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.testkit.PlaneEnvironment;
import io.orchestrationplane.testkit.PlaneEvents;
import io.orchestrationplane.testkit.junit.Cluster;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What both extensions do with a parameter: refuse one outside a test method (an environment is
 * per test), get the test's environment, and hand out the parts every {@link PlaneEnvironment}
 * has (the environment itself, its plane, events, drivers and simulators; those of a cluster named
 * with {@link Cluster @Cluster}, or of the only one), leaving the rest to the subclass. Holds no
 * state: environments live in JUnit's stores, so parallel tests need no locking here.
 *
 * @param <E> the environment the extension builds
 */
public abstract class EnvironmentResolver<E extends PlaneEnvironment> implements ParameterResolver {
  private final String annotation;
  private final Class<E> environmentType;
  private final Set<Class<?>> types;

  /**
   * @param annotation the annotation's name as users write it, for messages
   * @param specificTypes the parameter types {@link #part} resolves
   */
  protected EnvironmentResolver(String annotation, Class<E> environmentType, Set<Class<?>> specificTypes) {
    this.annotation = annotation;
    this.environmentType = environmentType;
    Set<Class<?>> all = new HashSet<>(specificTypes);
    all.addAll(Set.of(environmentType, OrchestrationPlane.class, PlaneEvents.class, ClusterDriver.class,
        WorkloadSimulator.class));
    this.types = Set.copyOf(all);
  }

  /** The environment of the current test, built on first use. */
  protected abstract E environment(ExtensionContext context);

  /** A part of the environment of one of the specific types, of the named cluster or the only one. */
  protected abstract Object part(E env, Class<?> type, Optional<String> cluster);

  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
    // constructor parameters get the test method's context, so constructor injection is per test too
    return ExtensionContextScope.TEST_METHOD;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return types.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(annotation + " gives each test its own environment: inject "
          + type.getSimpleName() + " into a test method, @BeforeEach/@AfterEach or the constructor (with the"
          + " default per-method lifecycle), not into " + parameter.getDeclaringExecutable());
    }
    Optional<String> cluster = parameter.findAnnotation(Cluster.class).map(Cluster::value);
    try {
      E env = environment(context);
      if (type == environmentType) {
        return env;
      } else if (type == OrchestrationPlane.class) {
        return env.plane();
      } else if (type == PlaneEvents.class) {
        return env.events();
      } else if (type == ClusterDriver.class) {
        return cluster.map(env::driver).orElseGet(env::driver);
      } else if (type == WorkloadSimulator.class) {
        return cluster.map(env::simulator).orElseGet(env::simulator);
      }
      return part(env, type, cluster);
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("cannot inject " + parameter.getParameter() + " of "
          + parameter.getDeclaringExecutable() + ": " + e.getMessage(), e);
    }
  }

  /** The annotation on the test class or, for a {@code @Nested} class, the nearest enclosing one. */
  protected static <A extends Annotation> A onClass(ExtensionContext context, Class<A> type) {
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
      Optional<A> found = AnnotationSupport.findAnnotation((AnnotatedElement) c, type);
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new IllegalStateException("no @" + type.getSimpleName() + " on " + context.getRequiredTestClass().getName());
  }

  /** The annotation's settings every environment takes. */
  protected final void configure(PlaneEnvironment.Builder<?> b, String[] clusters, boolean readinessGates,
      boolean startPlane, String progressDeadline) {
    b.readinessGates(readinessGates).startPlane(startPlane);
    for (String spec : clusters) {
      b.cluster(spec);
    }
    if (!progressDeadline.isEmpty()) {
      b.progressDeadline(duration("progressDeadline", progressDeadline));
    }
  }

  /** An ISO-8601 duration attribute; a message naming the attribute otherwise. */
  protected final Duration duration(String attribute, String value) {
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(annotation + "(" + attribute + " = \"" + value
          + "\") is not an ISO-8601 duration such as \"PT30S\" or \"PT2M\"", e);
    }
  }

  /** A new configurer of that class, through its no-argument constructor (private or not). */
  protected static <T> T instantiate(Class<? extends T> type, Class<T> kind) {
    String what = kind.getSimpleName() + " " + type.getName();
    try {
      var constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(what + " needs a no-argument constructor", e);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalArgumentException("cannot create " + what + ": " + e, e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(what + " failed: " + e.getCause(), e.getCause());
    }
  }
}
