package io.orchestrationplane.testkit.junit.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.k8s.KubernetesCluster;
import io.orchestrationplane.testkit.ClusterSpec;
import io.orchestrationplane.testkit.PlaneEvents;
import io.orchestrationplane.testkit.junit.Cluster;
import io.orchestrationplane.testkit.junit.KubernetesEnvironment;
import io.orchestrationplane.testkit.junit.KubernetesEnvironmentConfigurer;
import io.orchestrationplane.testkit.junit.KubernetesOrchestrationTest;
import io.orchestrationplane.testkit.simulator.WorkloadSimulator;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;
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
 * The extension behind {@link KubernetesOrchestrationTest}. The class's {@link MockApiServers}
 * live in the test class's store (destroyed when the class ends); each test's {@link
 * KubernetesEnvironment} lives in the test's store, built on first use and closed by JUnit when
 * the test ends, which empties the servers for the next test.
 */
public final class KubernetesOrchestrationExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KubernetesOrchestrationExtension.class);
  private static final Set<Class<?>> TYPES = Set.of(KubernetesEnvironment.class, OrchestrationPlane.class,
      PlaneEvents.class, KubernetesCluster.class, ClusterDriver.class, KubernetesClient.class, WorkloadSimulator.class,
      KubernetesMockServer.class);

  /** Closes the environment, then lets the next test of the class have the servers. */
  private record Held(KubernetesEnvironment environment, MockApiServers servers) implements AutoCloseable {
    @Override
    public void close() {
      try {
        environment.close();
      } finally {
        servers.release();
      }
    }
  }

  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return TYPES.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException("@KubernetesOrchestrationTest gives each test its own environment: inject "
          + type.getSimpleName() + " into a test method, @BeforeEach/@AfterEach or the constructor (with the"
          + " default per-method lifecycle), not into " + parameter.getDeclaringExecutable());
    }
    Optional<String> cluster = parameter.findAnnotation(Cluster.class).map(Cluster::value);
    try {
      KubernetesEnvironment env = environment(context);
      if (type == KubernetesEnvironment.class) {
        return env;
      } else if (type == OrchestrationPlane.class) {
        return env.plane();
      } else if (type == PlaneEvents.class) {
        return env.events();
      } else if (type == KubernetesCluster.class) {
        return cluster.map(env::cluster).orElseGet(env::cluster);
      } else if (type == ClusterDriver.class) {
        return env.driver(cluster.orElseGet(() -> env.cluster().name()));
      } else if (type == KubernetesClient.class) {
        return cluster.map(env::client).orElseGet(env::client);
      } else if (type == KubernetesMockServer.class) {
        return env.server(cluster.orElseGet(() -> env.cluster().name()));
      } else {
        return cluster.map(env::simulator).orElseGet(env::simulator);
      }
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("cannot inject " + parameter.getParameter() + " of "
          + parameter.getDeclaringExecutable() + ": " + e.getMessage(), e);
    }
  }

  private static KubernetesEnvironment environment(ExtensionContext context) {
    return context.getStore(NAMESPACE).computeIfAbsent(Held.class.getName(), k -> {
      ExtensionContext classContext = context.getParent().orElseThrow();
      MockApiServers servers = classContext.getStore(NAMESPACE)
          .computeIfAbsent(MockApiServers.class.getName(), n -> new MockApiServers(), MockApiServers.class);
      servers.acquire(context.getDisplayName());
      try {
        return new Held(build(settings(context), servers), servers);
      } catch (RuntimeException e) {
        servers.release();
        throw e;
      }
    }, Held.class).environment();
  }

  private static KubernetesOrchestrationTest settings(ExtensionContext context) {
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
      Optional<KubernetesOrchestrationTest> found =
          AnnotationSupport.findAnnotation((AnnotatedElement) c, KubernetesOrchestrationTest.class);
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new IllegalStateException("no @KubernetesOrchestrationTest on " + context.getRequiredTestClass().getName());
  }

  private static KubernetesEnvironment build(KubernetesOrchestrationTest settings, MockApiServers servers) {
    KubernetesEnvironment.Builder b = KubernetesEnvironment.builder()
        .readinessGates(settings.readinessGates())
        .startPlane(settings.startPlane())
        .timeout(duration("timeout", settings.timeout()));
    for (String spec : settings.clusters()) {
      b.cluster(spec);
      String name = ClusterSpec.parse(spec).name();
      b.server(name, servers.server(name));
    }
    if (!settings.progressDeadline().isEmpty()) {
      b.progressDeadline(duration("progressDeadline", settings.progressDeadline()));
    }
    for (Class<? extends KubernetesEnvironmentConfigurer> type : settings.configure()) {
      instantiate(type).configure(b);
    }
    return b.build();
  }

  private static Duration duration(String attribute, String value) {
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("@KubernetesOrchestrationTest(" + attribute + " = \"" + value
          + "\") is not an ISO-8601 duration such as \"PT30S\"", e);
    }
  }

  private static KubernetesEnvironmentConfigurer instantiate(Class<? extends KubernetesEnvironmentConfigurer> type) {
    try {
      var constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("KubernetesEnvironmentConfigurer " + type.getName()
          + " needs a no-argument constructor", e);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalArgumentException("cannot create KubernetesEnvironmentConfigurer " + type.getName() + ": " + e, e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("KubernetesEnvironmentConfigurer " + type.getName() + " failed: "
          + e.getCause(), e.getCause());
    }
  }
}
