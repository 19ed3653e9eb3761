package io.orchestrationplane.testkit.junit.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.orchestrationplane.k8s.KubernetesCluster;
import io.orchestrationplane.testkit.ClusterSpec;
import io.orchestrationplane.testkit.junit.KubernetesEnvironment;
import io.orchestrationplane.testkit.junit.KubernetesEnvironmentConfigurer;
import io.orchestrationplane.testkit.junit.KubernetesOrchestrationTest;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The extension behind {@link KubernetesOrchestrationTest}. The class's {@link MockApiServers}
 * live in the test class's store (destroyed when the class ends); each test's {@link
 * KubernetesEnvironment} lives in the test's store, built on first use and closed by JUnit when
 * the test ends, which empties the servers for the next test.
 */
public final class KubernetesOrchestrationExtension extends EnvironmentResolver<KubernetesEnvironment> {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KubernetesOrchestrationExtension.class);

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

  public KubernetesOrchestrationExtension() {
    super("@KubernetesOrchestrationTest", KubernetesEnvironment.class,
        Set.of(KubernetesCluster.class, KubernetesClient.class, KubernetesMockServer.class));
  }

  @Override
  protected Object part(KubernetesEnvironment env, Class<?> type, Optional<String> cluster) {
    if (type == KubernetesCluster.class) {
      return cluster.map(env::cluster).orElseGet(env::cluster);
    } else if (type == KubernetesClient.class) {
      return cluster.map(env::client).orElseGet(env::client);
    }
    return env.server(cluster.orElseGet(() -> env.cluster().name()));
  }

  @Override
  protected KubernetesEnvironment environment(ExtensionContext context) {
    return context.getStore(NAMESPACE).computeIfAbsent(Held.class.getName(), k -> {
      ExtensionContext classContext = context.getParent().orElseThrow();
      MockApiServers servers = classContext.getStore(NAMESPACE)
          .computeIfAbsent(MockApiServers.class.getName(), n -> new MockApiServers(), MockApiServers.class);
      servers.acquire(context.getDisplayName());
      try {
        return new Held(build(onClass(context, KubernetesOrchestrationTest.class), servers), servers);
      } catch (RuntimeException e) {
        servers.release();
        throw e;
      }
    }, Held.class).environment();
  }

  private KubernetesEnvironment build(KubernetesOrchestrationTest settings, MockApiServers servers) {
    KubernetesEnvironment.Builder b = KubernetesEnvironment.builder()
        .timeout(duration("timeout", settings.timeout()));
    configure(b, settings.clusters(), settings.readinessGates(), settings.startPlane(), settings.progressDeadline());
    for (String spec : settings.clusters()) {
      String name = ClusterSpec.parse(spec).name();
      b.server(name, servers.server(name));
    }
    for (Class<? extends KubernetesEnvironmentConfigurer> type : settings.configure()) {
      instantiate(type, KubernetesEnvironmentConfigurer.class).configure(b);
    }
    return b.build();
  }
}
