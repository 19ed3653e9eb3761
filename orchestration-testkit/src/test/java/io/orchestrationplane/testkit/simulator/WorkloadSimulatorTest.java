package io.orchestrationplane.testkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.HealthAssessors;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkloadSimulatorTest {
  private static final GroupKind POD = new GroupKind("", "Pod");

  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster cluster = InMemoryCluster.builder("sim").clock(clock).build();
  private final HealthAssessors health = HealthAssessors.defaults();
  private WorkloadSimulator sim;

  @AfterEach
  void close() {
    if (sim != null) {
      sim.close();
    }
  }

  private WorkloadSimulator sim(WorkloadSimulator.Builder b) {
    sim = b.build();
    return sim;
  }

  private WorkloadSimulator sim() {
    return sim(WorkloadSimulator.builder(cluster, clock));
  }

  static Resource deployment(String name, int replicas, String image) {
    return Resource.fromYaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, namespace: shop}
        spec:
          replicas: %2$d
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s, tier: web}}
            spec:
              containers:
              - {name: app, image: "%3$s"}
        """.formatted(name, replicas, image));
  }

  private HealthStatus healthOf(String group, String kind, String namespace, String name) {
    ResourceKey key = ResourceKey.of("sim", group, kind, namespace, name);
    return health.assess(cluster.get(key), key);
  }

  private List<Resource> pods(String namespace, Map<String, String> labels) {
    return cluster.list(POD, namespace, labels);
  }

  @Test
  void aDeploymentBecomesHealthyOnTheFakeClockWithPodsLabelledFromItsTemplate() {
    sim();
    cluster.apply(deployment("api", 3, "shop/api:1"));
    sim.runUntilIdle();
    assertThat(healthOf("apps", "Deployment", "shop", "api"))
        .isEqualTo(HealthStatus.progressing(
            "Deployment shop/api: Waiting for rollout to finish: 0 of 3 updated replicas are available..."));

    sim.advance(Duration.ofSeconds(10));

    assertThat(healthOf("apps", "Deployment", "shop", "api"))
        .isEqualTo(HealthStatus.healthy("Deployment shop/api"));
    Resource d = cluster.get(ResourceKey.of("sim", "apps", "Deployment", "shop", "api")).orElseThrow();
    assertThat(d.at("/status/observedGeneration").asLong()).isEqualTo(1);
    assertThat(d.at("/status/updatedReplicas").asInt()).isEqualTo(3);
    assertThat(d.at("/status/readyReplicas").asInt()).isEqualTo(3);
    assertThat(d.at("/status/conditions/1/reason").asString()).isEqualTo("NewReplicaSetAvailable");
    assertThat(d.at("/status/conditions/0/reason").asString()).isEqualTo("MinimumReplicasAvailable");
    List<Resource> pods = pods("shop", Map.of("app", "api", "tier", "web"));
    assertThat(pods).hasSize(3).allSatisfy(p -> {
      assertThat(p.at("/status/phase").asString()).isEqualTo("Running");
      assertThat(p.at("/metadata/ownerReferences/0/kind").asString()).isEqualTo("ReplicaSet");
      assertThat(health.assess(p).health()).isEqualTo(Health.HEALTHY);
    });
  }

  @Test
  void readinessTakesTheConfiguredStepDurations() {
    sim(WorkloadSimulator.builder(cluster, clock).containerStart(Duration.ofSeconds(20)).readiness(Duration.ofSeconds(10)));
    cluster.apply(deployment("api", 1, "shop/api:1"));

    sim.advance(Duration.ofSeconds(29));
    assertThat(healthOf("apps", "Deployment", "shop", "api").health()).isEqualTo(Health.PROGRESSING);
    assertThat(pods("shop", Map.of()).get(0).at("/status/phase").asString()).isEqualTo("Running");

    sim.advance(Duration.ofSeconds(1));
    assertThat(healthOf("apps", "Deployment", "shop", "api").health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void aNewTemplateRollsOutANewReplicaSetAndScalesTheOldOneDown() {
    sim();
    cluster.apply(deployment("api", 2, "shop/api:1"));
    sim.settle(Duration.ofMinutes(1));

    cluster.apply(deployment("api", 2, "shop/api:2"));
    sim.runUntilIdle();
    assertThat(healthOf("apps", "Deployment", "shop", "api").message()).contains("Waiting for rollout to finish: ");
    sim.settle(Duration.ofMinutes(1));

    assertThat(healthOf("apps", "Deployment", "shop", "api"))
        .isEqualTo(HealthStatus.healthy("Deployment shop/api"));
    assertThat(pods("shop", Map.of("app", "api")))
        .extracting(p -> p.at("/spec/containers/0/image").asString())
        .containsExactly("shop/api:2", "shop/api:2");
    List<Resource> sets = cluster.list(new GroupKind("apps", "ReplicaSet"), "shop", Map.of());
    assertThat(sets).extracting(rs -> rs.at("/spec/replicas").asInt()).containsExactlyInAnyOrder(0, 2);
  }

  @Test
  void deletingAWorkloadCollectsItsReplicaSetsAndPods() {
    sim();
    cluster.apply(deployment("api", 2, "shop/api:1"));
    sim.settle(Duration.ofMinutes(1));

    cluster.delete(ResourceKey.of("sim", "apps", "Deployment", "shop", "api"));
    sim.runUntilIdle();

    assertThat(cluster.all()).isEmpty();
  }

  @Test
  void aStatefulSetStartsItsPodsInOrderAndBecomesHealthy() {
    sim();
    cluster.apply(Resource.fromYaml("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          replicas: 3
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres:16}]}
        """));
    sim.runUntilIdle();
    assertThat(pods("shop", Map.of("app", "db"))).extracting(Resource::name).containsExactly("db-0");

    sim.advance(Duration.ofSeconds(3));
    assertThat(pods("shop", Map.of("app", "db"))).extracting(Resource::name).containsExactly("db-0", "db-1");

    sim.settle(Duration.ofMinutes(1));
    HealthStatus s = healthOf("apps", "StatefulSet", "shop", "db");
    assertThat(s.health()).isEqualTo(Health.HEALTHY);
    assertThat(s.message()).startsWith("StatefulSet shop/db: statefulset rolling update complete 3 pods at revision db-");
  }

  @Test
  void aStatefulSetRollsItsPodsFromTheHighestOrdinalDown() {
    sim();
    String yaml = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: shop}
        spec:
          replicas: 2
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: "postgres:%s"}]}
        """;
    cluster.apply(Resource.fromYaml(yaml.formatted("16")));
    sim.settle(Duration.ofMinutes(1));

    cluster.apply(Resource.fromYaml(yaml.formatted("17")));
    sim.runUntilIdle();
    assertThat(healthOf("apps", "StatefulSet", "shop", "db").health()).isEqualTo(Health.PROGRESSING);
    assertThat(pods("shop", Map.of("app", "db"))).extracting(p -> p.name() + "=" + p.at("/spec/containers/0/image").asString())
        .containsExactly("db-0=postgres:16", "db-1=postgres:17");

    sim.settle(Duration.ofMinutes(1));
    assertThat(healthOf("apps", "StatefulSet", "shop", "db").health()).isEqualTo(Health.HEALTHY);
    assertThat(pods("shop", Map.of("app", "db"))).extracting(p -> p.at("/spec/containers/0/image").asString())
        .containsOnly("postgres:17");
  }

  @Test
  void aRecreateDeploymentStopsOldPodsBeforeStartingNewOnes() {
    sim();
    Resource v1 = deployment("api", 2, "shop/api:1").edit(t -> t.withObject("spec").putObject("strategy").put("type", "Recreate"));
    cluster.apply(v1);
    sim.settle(Duration.ofMinutes(1));

    cluster.apply(v1.edit(t -> t.at("/spec/template/spec/containers/0").asObject().put("image", "shop/api:2")));
    sim.runUntilIdle();

    assertThat(pods("shop", Map.of("app", "api"))).extracting(p -> p.at("/spec/containers/0/image").asString())
        .containsOnly("shop/api:2");
    sim.settle(Duration.ofMinutes(1));
    assertThat(healthOf("apps", "Deployment", "shop", "api").health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void aParallelJobRunsUntilItsCompletionsSucceed() {
    sim();
    cluster.apply(job("batch", 1, "shop/batch:1").edit(t -> t.withObject("spec").put("completions", 3).put("parallelism", 2)));
    sim.advance(Duration.ofSeconds(1));
    assertThat(cluster.list(POD, "shop", Map.of("job-name", "batch"))).hasSize(2);

    sim.settle(Duration.ofMinutes(1));

    assertThat(healthOf("batch", "Job", "shop", "batch"))
        .isEqualTo(HealthStatus.healthy("Job shop/batch: Reached expected number of succeeded pods"));
    assertThat(cluster.list(POD, "shop", Map.of("job-name", "batch"))).hasSize(3);
  }

  @Test
  void aDaemonSetRunsOnePodPerNode() {
    sim(WorkloadSimulator.builder(cluster, clock).nodes(3));
    cluster.apply(Resource.fromYaml("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: ops}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: agent:1}]}
        """));
    sim.settle(Duration.ofMinutes(1));

    assertThat(healthOf("apps", "DaemonSet", "ops", "agent"))
        .isEqualTo(HealthStatus.healthy("DaemonSet ops/agent"));
    assertThat(pods("ops", Map.of("app", "agent")))
        .extracting(p -> p.at("/spec/nodeName").asString())
        .containsExactlyInAnyOrder("sim-node-1", "sim-node-2", "sim-node-3");
  }

  @Test
  void aStandaloneReplicaSetBecomesHealthy() {
    sim();
    cluster.apply(Resource.fromYaml("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: cache, namespace: shop}
        spec:
          replicas: 2
          selector: {matchLabels: {app: cache}}
          template:
            metadata: {labels: {app: cache}}
            spec: {containers: [{name: cache, image: redis:7}]}
        """));
    sim.settle(Duration.ofMinutes(1));

    assertThat(healthOf("apps", "ReplicaSet", "shop", "cache"))
        .isEqualTo(HealthStatus.healthy("ReplicaSet shop/cache"));
  }

  static Resource job(String name, int backoffLimit, String image) {
    return Resource.fromYaml("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s, namespace: shop}
        spec:
          backoffLimit: %d
          template:
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: "%s"}]
        """.formatted(name, backoffLimit, image));
  }

  @Test
  void aJobRunsToCompletion() {
    sim(WorkloadSimulator.builder(cluster, clock).jobRun(Duration.ofSeconds(30)));
    cluster.apply(job("migrate", 2, "shop/migrate:1"));
    sim.advance(Duration.ofSeconds(10));
    assertThat(healthOf("batch", "Job", "shop", "migrate"))
        .isEqualTo(HealthStatus.progressing("Job shop/migrate"));

    sim.advance(Duration.ofSeconds(30));

    Resource job = cluster.get(ResourceKey.of("sim", "batch", "Job", "shop", "migrate")).orElseThrow();
    assertThat(health.assess(job))
        .isEqualTo(HealthStatus.healthy("Job shop/migrate: Reached expected number of succeeded pods"));
    assertThat(job.at("/status/conditions/0/reason").asString()).isEqualTo("CompletionsReached");
    assertThat(job.at("/status/completionTime").asString()).isEqualTo("2026-01-01T00:00:32Z");
    assertThat(pods("shop", Map.of("job-name", "migrate")))
        .singleElement()
        .satisfies(p -> assertThat(p.at("/status/phase").asString()).isEqualTo("Succeeded"));
  }

  @Test
  void aSuspendedJobIsSuspended() {
    sim();
    cluster.apply(job("migrate", 2, "shop/migrate:1").edit(t -> t.withObject("spec").put("suspend", true)));
    sim.settle(Duration.ofMinutes(1));

    assertThat(healthOf("batch", "Job", "shop", "migrate"))
        .isEqualTo(HealthStatus.suspended("Job shop/migrate"));
    assertThat(pods("shop", Map.of())).isEmpty();
  }

  @Test
  void loadBalancersVolumesAndNamespacesAreProvisioned() {
    sim(WorkloadSimulator.builder(cluster, clock).provisioning(Duration.ofSeconds(5)));
    cluster.apply(Resource.fromYaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {type: LoadBalancer, ports: [{port: 80}]}
        """));
    cluster.apply(Resource.fromYaml("""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec: {rules: [{host: shop.example.com}]}
        """));
    cluster.apply(Resource.fromYaml("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: shop}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """));
    sim.runUntilIdle();
    assertThat(healthOf("", "Service", "shop", "web").health()).isEqualTo(Health.PROGRESSING);
    assertThat(healthOf("networking.k8s.io", "Ingress", "shop", "web").health()).isEqualTo(Health.PROGRESSING);
    assertThat(healthOf("", "PersistentVolumeClaim", "shop", "data").health()).isEqualTo(Health.PROGRESSING);

    sim.advance(Duration.ofSeconds(5));

    assertThat(healthOf("", "Service", "shop", "web")).isEqualTo(HealthStatus.healthy("Service shop/web"));
    assertThat(healthOf("networking.k8s.io", "Ingress", "shop", "web").health()).isEqualTo(Health.HEALTHY);
    assertThat(healthOf("", "PersistentVolumeClaim", "shop", "data").health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void customResourceDefinitionsAreEstablished() {
    sim();
    cluster.apply(Resource.fromYaml("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions: [{name: v1, served: true, storage: true}]
        """));
    sim.runUntilIdle();

    assertThat(healthOf("apiextensions.k8s.io", "CustomResourceDefinition", "", "widgets.example.com"))
        .isEqualTo(HealthStatus.healthy("CustomResourceDefinition widgets.example.com: CRD is healthy"));
  }

  @Test
  void anAutoscalerOfARunningDeploymentIsAbleToScale() {
    sim();
    cluster.apply(deployment("api", 2, "shop/api:1"));
    cluster.apply(Resource.fromYaml("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: api, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
          minReplicas: 3
          maxReplicas: 5
        """));
    sim.runUntilIdle();

    Resource hpa = cluster.get(ResourceKey.of("sim", "autoscaling", "HorizontalPodAutoscaler", "shop", "api")).orElseThrow();
    assertThat(health.assess(hpa)).isEqualTo(HealthStatus.healthy("HorizontalPodAutoscaler shop/api:"
        + " the HPA controller was able to get the target's current scale"));
    assertThat(hpa.at("/status/currentReplicas").asInt()).isEqualTo(2);
    assertThat(hpa.at("/status/desiredReplicas").asInt()).isEqualTo(3);
  }

  @Test
  void aLocalApiServiceIsAvailable() {
    sim();
    cluster.apply(Resource.fromYaml("""
        apiVersion: apiregistration.k8s.io/v1
        kind: APIService
        metadata: {name: v1.example.com}
        spec: {group: example.com, version: v1}
        """));
    sim.runUntilIdle();

    assertThat(healthOf("apiregistration.k8s.io", "APIService", "", "v1.example.com")).isEqualTo(
        HealthStatus.healthy("APIService v1.example.com: Local: Local APIServices are always available"));
  }

  @Test
  void aBarePodWithRestartPolicyNeverRunsToSuccess() {
    sim();
    cluster.apply(Resource.fromYaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: once, namespace: shop}
        spec:
          restartPolicy: Never
          containers: [{name: task, image: busybox}]
        """));
    sim.advance(Duration.ofSeconds(3));
    assertThat(healthOf("", "Pod", "shop", "once"))
        .isEqualTo(HealthStatus.progressing("Pod shop/once"));

    sim.advance(Duration.ofSeconds(5));

    assertThat(healthOf("", "Pod", "shop", "once")).isEqualTo(HealthStatus.healthy("Pod shop/once"));
  }

  @Test
  void withoutInfrastructureLoadBalancersStayUnassigned() {
    sim(WorkloadSimulator.builder(cluster, clock).infrastructure(false));
    cluster.apply(Resource.fromYaml("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {type: LoadBalancer}
        """));
    sim.advance(Duration.ofMinutes(1));

    assertThat(healthOf("", "Service", "shop", "web"))
        .isEqualTo(HealthStatus.progressing("Service shop/web"));
  }

  @Test
  void aSettledClusterIsNotRewritten() {
    sim();
    cluster.apply(deployment("api", 2, "shop/api:1"));
    sim.settle(Duration.ofMinutes(1));
    InMemoryCluster.Stats before = cluster.stats();

    clock.advance(Duration.ofMinutes(5));
    assertThat(sim.runUntilIdle()).isZero();

    assertThat(cluster.stats()).isEqualTo(before);
    assertThat(sim.nextTransition()).isEmpty();
  }

  @Test
  void anIdenticalScriptProducesAnIdenticalCluster() {
    List<Resource> first = runScript();
    List<Resource> second = runScript();
    assertThat(second).isEqualTo(first);
  }

  private static List<Resource> runScript() {
    ManualClock c = ManualClock.create();
    InMemoryCluster k = InMemoryCluster.builder("sim").clock(c).build();
    try (WorkloadSimulator s = WorkloadSimulator.builder(k, c).failImage("bad:1", Fault.CRASH_LOOP).build()) {
      k.apply(deployment("api", 3, "shop/api:1"));
      k.apply(deployment("worker", 2, "bad:1"));
      k.apply(job("migrate", 1, "shop/migrate:1"));
      s.advance(Duration.ofMinutes(3));
      return k.all();
    }
  }

  @Test
  void startedItReactsToWritesAndClockAdvancesUntilClosed() {
    sim().start();
    cluster.apply(deployment("api", 1, "shop/api:1"));
    assertThat(pods("shop", Map.of("app", "api"))).hasSize(1);

    clock.advance(Duration.ofSeconds(2));
    clock.advance(Duration.ofSeconds(1));
    assertThat(healthOf("apps", "Deployment", "shop", "api").health()).isEqualTo(Health.HEALTHY);

    sim.close();
    cluster.apply(deployment("web", 1, "shop/web:1"));
    assertThat(pods("shop", Map.of("app", "web"))).isEmpty();
  }

  @Test
  void advanceNeedsAManualClock() {
    WorkloadSimulator s = WorkloadSimulator.builder(cluster, java.time.Clock.systemUTC()).build();
    assertThatThrownBy(() -> s.advance(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ManualClock");
  }

  @Test
  void theBuilderRejectsNegativeDurationsAndNoNodes() {
    WorkloadSimulator.Builder b = WorkloadSimulator.builder(cluster, clock);
    assertThatThrownBy(() -> b.readiness(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readiness");
    assertThatThrownBy(() -> b.nodes(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodes");
  }
}
