package io.orchestrationplane.benchmarks.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.k8s.ClusterLimits;
import io.orchestrationplane.k8s.KubernetesCluster;
import io.orchestrationplane.k8s.ResourceConverter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Converging 1,000 objects (200 applications × ConfigMap, Secret, ServiceAccount, Service,
 * Deployment) on a fresh kubernetes-mock-server: through {@link KubernetesCluster#apply}, and
 * beside it the floor, a raw fabric8 client (same JDK HTTP client) creating the same objects.
 * Each invocation gets a fresh mock, because the mock's store slows as it fills.
 *
 * <p>The driver runs with its rate limiter raised (the default 50 requests/s would make this a
 * measure of the limiter), everything else at defaults, apply mode AUTO (so the first object
 * pays for detecting that the mock lacks server-side apply).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvergeBenchmark {
  @Param("200")
  public int applications;

  /** Held so the level set on it stays: the mock logs every request through java.util.logging. */
  private java.util.logging.Logger mockLog;
  private List<Resource> desired;
  private List<HasMetadata> typed;
  private KubernetesMockServer server;
  private KubernetesCluster driver;
  private KubernetesClient raw;

  @Setup(Level.Trial)
  public void objects() {
    mockLog = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    mockLog.setLevel(java.util.logging.Level.WARNING);
    desired = objects(applications);
    ResourceConverter converter = ResourceConverter.create();
    typed = new ArrayList<>();
    for (Resource r : desired) {
      typed.add(converter.toTyped(r, typeOf(r.kind())));
    }
  }

  @Setup(Level.Invocation)
  public void freshMock() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/")).withNamespace("default")
        .withRequestRetryBackoffLimit(0).build();
    driver = KubernetesCluster.builder("bench").config(config)
        .limits(ClusterLimits.builder().requestsPerSecond(1_000_000).build())
        .build();
    raw = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
  }

  @TearDown(Level.Invocation)
  public void closeMock() {
    driver.close();
    raw.close();
    server.destroy();
  }

  /** The plane's driver applies every object. */
  @Benchmark
  public int driverApply() {
    int n = 0;
    for (Resource r : desired) {
      driver.apply(r);
      n++;
    }
    return n;
  }

  /** The floor: a raw fabric8 client creates the same objects. */
  @Benchmark
  public int rawFabric8Create() {
    int n = 0;
    for (HasMetadata o : typed) {
      raw.resource(o).create();
      n++;
    }
    return n;
  }

  /** A mock already holding the converged set, and a driver that applied it. */
  @State(Scope.Benchmark)
  public static class Converged {
    private KubernetesMockServer server;
    private KubernetesCluster driver;
    private List<Resource> desired;
    private int requestsBefore;

    @Setup(Level.Invocation)
    public void converge(ConvergeBenchmark outer) throws InterruptedException {
      desired = outer.desired;
      Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
      server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
          new KubernetesMixedDispatcher(responses), false);
      server.init();
      Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/")).withNamespace("default").build();
      driver = KubernetesCluster.builder("bench").config(config)
          .limits(ClusterLimits.builder().requestsPerSecond(1_000_000).build())
          .build();
      desired.forEach(driver::apply);
      requestsBefore = server.getRequestCount();
    }

    @TearDown(Level.Invocation)
    public void checkNoWritesAndClose() throws InterruptedException {
      // The resync must have sent reads only; a write would mean the driver saw a false difference.
      for (int i = 0; i < server.getRequestCount(); i++) {
        var r = server.takeRequest(1, TimeUnit.SECONDS);
        if (r != null && i >= requestsBefore && !"GET".equals(r.getMethod())) {
          throw new IllegalStateException("resync sent a write: " + r.getMethod() + " " + r.getPath());
        }
      }
      driver.close();
      server.destroy();
    }
  }

  /** Re-applying the converged 1,000 objects: reads only, zero writes (checked after each run). */
  @Benchmark
  public int driverResync(Converged state) {
    int n = 0;
    for (Resource r : state.desired) {
      state.driver.apply(r);
      n++;
    }
    return n;
  }

  static List<Resource> objects(int applications) {
    List<Resource> out = new ArrayList<>(applications * 5);
    for (int i = 0; i < applications; i++) {
      String ns = "team-" + (i % 10);
      String app = "app-" + i;
      String labels = "{app.kubernetes.io/managed-by: orchestration-plane, orchestrationplane.io/application: "
          + ns + "." + app + "}";
      out.add(Resource.fromYaml("""
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: %s-config, namespace: %s, labels: %s}
          data: {LOG_LEVEL: info, FEATURE_FLAGS: "a,b,c"}
          """.formatted(app, ns, labels)));
      out.add(Resource.fromYaml("""
          apiVersion: v1
          kind: Secret
          metadata: {name: %s-secret, namespace: %s, labels: %s}
          type: Opaque
          stringData: {password: not-a-secret}
          """.formatted(app, ns, labels)));
      out.add(Resource.fromYaml("""
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: %s, namespace: %s, labels: %s}
          """.formatted(app, ns, labels)));
      out.add(Resource.fromYaml("""
          apiVersion: v1
          kind: Service
          metadata: {name: %s, namespace: %s, labels: %s}
          spec:
            selector: {app: %s}
            ports: [{name: http, port: 80, targetPort: 8080}]
          """.formatted(app, ns, labels, app)));
      out.add(Resource.fromYaml("""
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: %s, namespace: %s, labels: %s}
          spec:
            replicas: 2
            selector: {matchLabels: {app: %s}}
            template:
              metadata: {labels: {app: %s}}
              spec:
                serviceAccountName: %s
                containers:
                - name: main
                  image: registry.example/%s:1.0
                  ports: [{containerPort: 8080}]
                  envFrom: [{configMapRef: {name: %s-config}}]
          """.formatted(app, ns, labels, app, app, app, app, app)));
    }
    return out;
  }

  private static Class<? extends HasMetadata> typeOf(String kind) {
    return switch (kind) {
      case "ConfigMap" -> io.fabric8.kubernetes.api.model.ConfigMap.class;
      case "Secret" -> io.fabric8.kubernetes.api.model.Secret.class;
      case "ServiceAccount" -> io.fabric8.kubernetes.api.model.ServiceAccount.class;
      case "Service" -> io.fabric8.kubernetes.api.model.Service.class;
      case "Deployment" -> io.fabric8.kubernetes.api.model.apps.Deployment.class;
      default -> throw new IllegalArgumentException("no type for " + kind);
    };
  }
}
