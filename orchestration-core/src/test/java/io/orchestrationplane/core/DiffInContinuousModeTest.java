package io.orchestrationplane.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.cluster.ClusterDriver;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.cluster.Preconditions;
import io.orchestrationplane.core.cluster.WatchEvent;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.plan.Change;
import io.orchestrationplane.core.plan.DiffSettings;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.reconcile.Scheduler;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 21 in continuous mode: against a cluster that stores objects as Kubernetes does, a
 * converged fleet resyncs without writing; a write the cluster keeps changing is held back and
 * reported instead of repeated; the API server's own answer (server-side diff) takes a mutating
 * webhook into account; and a running plane sees a reorder of an application's environment.
 */
class DiffInContinuousModeTest {
  private final ManualClock clock = ManualClock.create();

  /** Quantities written as numbers, an empty list, and a bare Pod that admission adds to. */
  static Application app(int i) {
    String name = String.format("app-%04d", i);
    return Application.builder(name).namespace(name)
        .component(Component.builder("api", "webservice").property("image", "acme/api:1").property("port", 8080)
            .trait(Trait.of("resources", Map.of("cpu", "0.5", "memory", "1024Mi", "limitCpu", "1000m",
                "limitMemory", "1.5Gi")))
            .build())
        .component(Component.builder("probe", "k8s-objects").property("manifests", """
            apiVersion: v1
            kind: Pod
            metadata: {name: probe}
            spec:
              containers:
                - name: probe
                  image: busybox:1.36
                  args: []
                  resources: {requests: {cpu: 0.1, memory: 64Mi}}
            """).build())
        .build();
  }

  @Test
  void aThousandApplicationsOnAClusterThatStoresTheKubernetesFormConvergeAndResyncAHundredTimesWithoutAWrite() {
    InMemoryCluster cluster = InMemoryCluster.builder("prod").clock(clock).storedForm(true).build();
    try (AutoCloseable kubelet = InstantKubelet.attach(cluster); Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).workers(0)
            .scheduler(scheduler).resyncPeriod(Duration.ofMinutes(1)).build()) {
      plane.start();
      List<Application> apps = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        apps.add(app(i));
        plane.submit(apps.get(i));
      }
      plane.runPending();
      assertThat(apps).allSatisfy(a -> assertThat(plane.status(a).isReady()).as(a.id()).isTrue());
      Resource pod = cluster.get(ResourceKey.of("prod", "", "Pod", "app-0000", "probe")).orElseThrow();
      assertThat(pod.json().at("/spec/tolerations").size()).as("admission added tolerations").isEqualTo(2);
      assertThat(pod.at("/spec/containers/0/resources/requests/cpu").asString()).isEqualTo("100m");

      long writes = cluster.stats().writes();
      for (int resync = 0; resync < 100; resync++) {
        clock.advance(Duration.ofMinutes(2));
        plane.runPending();
      }
      assertThat(cluster.stats().writes() - writes).as("writes during 100 resyncs").isZero();
      assertThat(apps).allSatisfy(a -> assertThat(plane.status(a).isReady()).isTrue());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aWriteTheClusterKeepsChangingIsHeldBackAndReportedWithBothForms() {
    InMemoryCluster cluster = InMemoryCluster.builder("prod").clock(clock).build();
    Webhook webhook = new Webhook(cluster); // rewrites a label on every write: the desired value never sticks
    try (Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(webhook).workers(0)
            .scheduler(scheduler).resyncPeriod(Duration.ofMinutes(1)).build()) {
      plane.start();
      Application app = configApp("team", "payments");
      plane.submit(app);
      for (int i = 0; i < 60; i++) {
        plane.runPending();
        clock.advance(Duration.ofSeconds(30));
      }
      ApplicationStatus status = plane.status(app);
      assertThat(status.phase()).isEqualTo(Phase.DEGRADED);
      assertThat(status.condition(Condition.DEGRADED)).hasValueSatisfying(c -> {
        assertThat(c.reason()).isEqualTo("WriteLoop");
        assertThat(c.message()).contains("ConfigMap app/settings (cluster prod) is stored in another form")
            .contains("metadata.labels.team live \"PAYMENTS\", desired \"payments\"");
      });
      assertThat(webhook.writes).as("30 minutes of resyncs every minute, backing off from one minute")
          .isLessThanOrEqualTo(8);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void serverSideDiffTakesTheClustersMutationIntoAccountAndThePlanSaysSo() {
    InMemoryCluster cluster = InMemoryCluster.builder("prod").clock(clock).build();
    Webhook webhook = new Webhook(cluster);
    OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(webhook)
        .diff(DiffSettings.builder().serverSideDiff("prod").build()).build();
    Application app = configApp("team", "payments");
    plane.apply(app);
    Plan again = plane.plan(app);
    assertThat(again.hasChanges()).as(again.toText(true)).isFalse();
    assertThat(again.changes()).filteredOn(c -> c.key().kind().equals("ConfigMap")).singleElement()
        .satisfies(c -> assertThat(c.comparison()).isEqualTo(Change.Comparison.SERVER_SIDE));
    assertThat(again.toText(true)).contains("server-side diff");

    OrchestrationPlane clientSide = OrchestrationPlane.builder().clock(clock).cluster(webhook).build();
    assertThat(clientSide.plan(app).updates()).as("client-side, the webhook's change looks like drift").hasSize(1);
  }

  @Test
  void aRunningPlaneSeesAReorderOfAnEnvironmentMap() {
    InMemoryCluster cluster = InMemoryCluster.builder("prod").clock(clock).build();
    try (AutoCloseable kubelet = InstantKubelet.attach(cluster); Scheduler scheduler = Scheduler.manual(clock);
        OrchestrationPlane plane = OrchestrationPlane.builder().clock(clock).cluster(cluster).workers(0)
            .scheduler(scheduler).build()) {
      plane.start();
      Map<String, Object> env = new LinkedHashMap<>();
      env.put("A", "1");
      env.put("B", "$(A)-2");
      plane.submit(withEnv(env));
      plane.runPending();
      Map<String, Object> reordered = new LinkedHashMap<>();
      reordered.put("B", "$(A)-2");
      reordered.put("A", "1");
      assertThat(withEnv(reordered)).isEqualTo(withEnv(env)); // equal as maps, yet rendered differently
      assertThat(plane.submit(withEnv(reordered))).as("a new generation").isEqualTo(2);
      plane.runPending();
      Resource live = cluster.get(ResourceKey.of("prod", "apps", "Deployment", "app", "api")).orElseThrow();
      assertThat(live.at("/spec/template/spec/containers/0/env/0/name").asString()).isEqualTo("B");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Application withEnv(Map<String, Object> env) {
    return Application.builder("app").namespace("app")
        .component(Component.builder("api", "worker").property("image", "acme/api:1").property("env", env).build())
        .build();
  }

  static Application configApp(String label, String value) {
    return Application.builder("app").namespace("app")
        .component(Component.builder("config", "k8s-objects").property("manifests", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, labels: {%s: %s}}
            data: {mode: fast}
            """.formatted(label, value)).build())
        .build();
  }

  /** A mutating webhook in front of the cluster: every written ConfigMap gets its team label upper-cased. */
  static final class Webhook implements ClusterDriver {
    private final InMemoryCluster delegate;
    int writes;

    Webhook(InMemoryCluster delegate) {
      this.delegate = delegate;
    }

    private Resource mutate(Resource r) {
      String team = r.label("team");
      return team == null || !r.kind().equals("ConfigMap") ? r : r.withLabel("team", team.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public Optional<Resource> get(ResourceKey key) {
      return delegate.get(key);
    }

    @Override
    public List<Resource> list(GroupKind kind, String namespace, Map<String, String> labels) {
      return delegate.list(kind, namespace, labels);
    }

    @Override
    public Resource apply(Resource desired) {
      if (desired.kind().equals("ConfigMap") && desired.label("team") != null) {
        writes++;
      }
      return delegate.apply(mutate(desired));
    }

    @Override
    public Resource create(Resource object) {
      if (object.kind().equals("ConfigMap") && object.label("team") != null) {
        writes++;
      }
      return delegate.create(mutate(object));
    }

    @Override
    public Optional<Resource> dryRunApply(Resource desired) {
      return delegate.dryRunApply(mutate(desired));
    }

    @Override
    public Resource updateStatus(Resource withStatus) {
      return delegate.updateStatus(withStatus);
    }

    @Override
    public boolean delete(ResourceKey key) {
      return delegate.delete(key);
    }

    @Override
    public boolean delete(ResourceKey key, Preconditions preconditions) {
      return delegate.delete(key, preconditions);
    }

    @Override
    public AutoCloseable watch(Collection<GroupKind> kinds, Consumer<WatchEvent> listener) {
      return delegate.watch(kinds, listener);
    }
  }
}
