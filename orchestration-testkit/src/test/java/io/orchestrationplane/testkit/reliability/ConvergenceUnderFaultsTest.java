package io.orchestrationplane.testkit.reliability;

import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.reconcile.WorkQueue;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Inventory;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.faults.Failure;
import io.orchestrationplane.testkit.faults.FaultStats;
import io.orchestrationplane.testkit.faults.FaultyCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The reliability acceptance of issues 7 and 12: 1,000 applications in continuous mode on one
 * in-memory cluster whose driver fails 20% of all calls (a seeded mix of conflicts, 429s, 500s and
 * timeouts, some after the write landed) all converge; then a third of them, those with a
 * ServiceAccount, a Role, a RoleBinding and a StatefulSet among them, are removed while the
 * faults go on and the plane is restarted twice (it forgets everything and finds their objects
 * through each application's inventory). Nothing is left behind, no foreign object is touched and
 * no object is created twice. Deterministic: no worker threads, manual clock, seeded faults.
 */
class ConvergenceUnderFaultsTest {
  private static final int APPLICATIONS = 1_000;
  private static final Duration GIVE_UP_AFTER = Duration.ofHours(3);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final Duration STEP = Duration.ofSeconds(5);

  /** Every third application also runs a database: a StatefulSet with its own account and role. */
  static Application app(int i) {
    String name = String.format("app-%04d", i);
    Application.Builder b = Application.builder(name).namespace(name)
        .component(Component.builder("api", "webservice").property("image", "acme/" + name + ":1").build());
    if (i % 3 == 0) {
      b.component(Component.builder("db", "k8s-objects").property("manifests", """
          apiVersion: v1
          kind: ServiceAccount
          metadata: {name: db}
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: Role
          metadata: {name: db}
          rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata: {name: db}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: db}
          subjects: [{kind: ServiceAccount, name: db}]
          ---
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: {name: db}
          spec:
            replicas: 1
            serviceName: db
            selector: {matchLabels: {app: db}}
            template:
              metadata: {labels: {app: db}}
              spec:
                serviceAccountName: db
                containers: [{name: db, image: "postgres:16"}]
          """).build());
    }
    return b.build();
  }

  /** Objects of other tools in the same namespaces, with names the applications use too. */
  static Resource foreign(int i) {
    String ns = String.format("app-%04d", i);
    return Resource.fromYaml("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: api, namespace: %s, labels: {app.kubernetes.io/managed-by: helm}}
        data: {owner: someone-else}
        """.formatted(ns));
  }

  @Test
  void aThousandApplicationsConvergeAndAThirdAreRemovedThroughFaultsAndRestarts() {
    AtomicReference<FaultyCluster> faulty = new AtomicReference<>();
    try (TestEnvironment env = TestEnvironment.builder()
        .cluster("prod")
        .reactiveSimulators(false) // one simulator pass per step instead of one per watch event
        .driver((cluster, clock) -> {
          faulty.set(FaultyCluster.builder(cluster).seed(20261127).errorRate(0.2)
              .failures(Failure.CONFLICT, Failure.TOO_MANY_REQUESTS, Failure.SERVER_ERROR, Failure.TIMEOUT,
                  Failure.TIMEOUT_AFTER_WRITE)
              .build());
          return faulty.get();
        })
        .plane(p -> p.queue(WorkQueue.Config.custom().rate(1_000).burst(1_000).maxDelay(MAX_BACKOFF).build()))
        .build()) {
      InMemoryCluster cluster = env.cluster("prod");
      Map<ResourceKey, String> foreign = new HashMap<>();
      for (int i = 0; i < APPLICATIONS; i += 7) {
        Resource r = cluster.apply(foreign(i));
        foreign.put(r.key("prod"), r.resourceVersion());
      }
      Map<ResourceKey, Integer> creates = new HashMap<>();
      AutoCloseable counting = cluster.watch(List.of(), e -> {
        if (e.type() == WatchEvent.Type.ADDED && Ownership.owner(e.resource()) != null && !e.resource().hasController()) {
          creates.merge(e.resource().key("prod"), 1, Integer::sum);
        }
      });
      List<Application> apps = new ArrayList<>();
      for (int i = 0; i < APPLICATIONS; i++) {
        Application app = app(i);
        apps.add(app);
        env.plane().submit(app);
      }
      long started = System.nanoTime();
      Duration converge = runUntil(env, () -> apps.stream().allMatch(a -> env.plane().status(a).isReady()));

      // Remove a third (every application with a database among them), with the faults going on,
      // restarting the plane twice on the way: the new plane knows nothing and is told again.
      List<Application> removed = new ArrayList<>();
      List<Application> kept = new ArrayList<>();
      for (int i = 0; i < APPLICATIONS; i++) {
        (i % 3 == 0 ? removed : kept).add(apps.get(i));
      }
      removed.forEach(env.plane()::remove);
      env.advanceInSteps(Duration.ofSeconds(20), STEP);
      for (int restart = 0; restart < 2; restart++) {
        OrchestrationPlane fresh = env.restartPlane();
        kept.forEach(fresh::submit);
        removed.forEach(fresh::remove);
        env.advanceInSteps(Duration.ofSeconds(15), STEP);
      }
      Duration removal = runUntil(env, () -> removed.stream().allMatch(a -> env.plane().status(a).phase() == Phase.REMOVED)
          && kept.stream().allMatch(a -> env.plane().status(a).isReady()));
      long wallMillis = (System.nanoTime() - started) / 1_000_000;

      FaultStats stats = faulty.get().stats();
      long duplicates = creates.values().stream().filter(n -> n > 1).count();
      List<ResourceKey> leftBehind = new ArrayList<>();
      Set<String> removedIds = new java.util.HashSet<>();
      removed.forEach(a -> removedIds.add(a.id()));
      Predicate<Resource> ofRemoved = r -> removedIds.contains(r.label(Ownership.APPLICATION_LABEL));
      for (Resource r : cluster.all()) {
        if (ofRemoved.test(r) && !r.hasController()) {
          leftBehind.add(r.key("prod"));
        }
      }
      List<ResourceKey> foreignTouched = new ArrayList<>();
      foreign.forEach((key, version) -> {
        if (!cluster.get(key).map(Resource::resourceVersion).filter(version::equals).isPresent()) {
          foreignTouched.add(key);
        }
      });
      long inventories = cluster.list(new GroupKind("", "ConfigMap"), null, Map.of(Inventory.INVENTORY_LABEL, "true")).size();
      System.out.printf("reliability: %d applications ready after %s simulated, %d removed after %s more (%d ms wall, "
              + "%d reconciles, 2 restarts); driver calls %d, injected failures %d (%.1f%%) %s; duplicate creates %d, "
              + "objects left behind %d, foreign objects touched %d, inventories %d; cluster writes %s%n",
          apps.size(), converge, removed.size(), removal, wallMillis, env.reconciles(), stats.totalCalls(),
          stats.totalInjected(), 100.0 * stats.totalInjected() / stats.totalCalls(), stats.injected(), duplicates,
          leftBehind.size(), foreignTouched.size(), inventories, cluster.stats());

      for (Application app : kept) {
        ApplicationStatus status = env.plane().status(app);
        assertThat(status).isReady();
      }
      org.assertj.core.api.Assertions.assertThat(stats.totalInjected()).isGreaterThan(stats.totalCalls() / 10);
      org.assertj.core.api.Assertions.assertThat(leftBehind).as("objects of removed applications left behind").isEmpty();
      org.assertj.core.api.Assertions.assertThat(foreignTouched).as("foreign objects changed or deleted").isEmpty();
      org.assertj.core.api.Assertions.assertThat(duplicates).as("keys created more than once").isZero();
      org.assertj.core.api.Assertions.assertThat(inventories).as("one inventory per remaining application")
          .isEqualTo(kept.size());
      counting.close();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Advances simulated time in steps until the condition holds; returns how long that took. */
  private static Duration runUntil(TestEnvironment env, java.util.function.BooleanSupplier done) {
    Duration simulated = Duration.ZERO;
    while (!done.getAsBoolean()) {
      if (simulated.compareTo(GIVE_UP_AFTER) >= 0) {
        throw new AssertionError("not done after " + simulated + " of simulated time");
      }
      env.advanceInSteps(Duration.ofSeconds(30), STEP);
      simulated = simulated.plusSeconds(30);
    }
    return simulated;
  }
}
