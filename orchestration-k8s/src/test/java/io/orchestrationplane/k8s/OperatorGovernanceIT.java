package io.orchestrationplane.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.access.Project;
import io.orchestrationplane.core.access.RbacPolicy;
import io.orchestrationplane.core.observe.PlaneRecord;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Operator mode with access control and projects, over HTTP against the CRUD mock API server:
 * each Application acts as the user its requested-by annotation names, in its namespace's project;
 * a refusal is written to its status and nothing is applied.
 */
class OperatorGovernanceIT {
  /** A bound for a hang, not a speed: on a loaded two-core machine the first status took over 20 s once. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  static String application(String namespace, String name, String requestedBy, String configNamespace) {
    return """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: Application
        metadata:
          name: %s
          namespace: %s
          annotations: {"orchestrationplane.io/requested-by": "%s"}
        spec:
          components:
            - name: config
              type: k8s-objects
              properties:
                objects:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: %s-config, namespace: %s}
                    data: {mode: fast}
        """.formatted(name, namespace, requestedBy, name, configNamespace);
  }

  @Test
  void applicationsActAsTheirRequesterInTheirNamespacesProjectAndRefusalsReachTheirStatus() throws Exception {
    List<PlaneRecord> records = new CopyOnWriteArrayList<>();
    try (MockApi api = new MockApi(); KubernetesCluster ops = api.cluster("ops");
        OrchestrationPlane plane = OrchestrationPlane.builder().cluster(ops).workers(1).observer(records::add)
            .projects(Project.builder("team-a").applicationNamespaces("team-a").destination("ops", "team-a").build())
            // as in Argo CD, a user's deny does not undo what one of its groups allows, so team-a's
            // deployers are named rather than granted through the group proj:team-a every object has
            .accessControl(RbacPolicy.parse("""
                p, role:team-a-deployer, applications, *, team-a/*, allow
                g, alice@example.com, role:team-a-deployer
                p, mallory, applications, *, *, deny
                """))
            .build();
        ApplicationOperator operator = ApplicationOperator.builder(plane, ops).build()) {
      ops.apply(ApplicationCrd.definition());
      operator.start();
      plane.start();

      ops.apply(Resource.fromYaml(application("team-a", "shop", "alice@example.com", "team-a")));
      ops.apply(Resource.fromYaml(application("team-a", "escape", "alice@example.com", "kube-system")));
      ops.apply(Resource.fromYaml(application("team-a", "sneaky", "mallory", "team-a")));
      ops.apply(Resource.fromYaml(application("team-b", "stray", "bob", "team-b")));

      await(() -> ops.get(ResourceKey.of("ops", "", "ConfigMap", "team-a", "shop-config")));
      Resource shop = await(() -> ops.get(key("team-a", "shop")).filter(r -> r.at("/status/phase").asString()
          .equals("READY")));
      assertThat(shop.at("/status/resources/0/name").asString()).isEqualTo("shop-config");
      Subject alice = new Subject("alice@example.com", java.util.Set.of("proj:team-a"));
      assertThat(records).filteredOn(PlaneRecord.Written.class::isInstance)
          .anySatisfy(r -> assertThat(r.subject()).isEqualTo(alice))
          .allSatisfy(r -> assertThat(r.application()).isEqualTo("team-a.shop"));

      Resource escape = awaitReason(ops, key("team-a", "escape"), "OutsideProject");
      assertThat(escape.at("/status/conditions/0/message").asString()).contains(
          "ConfigMap kube-system/escape-config (cluster ops), component config: destination cluster ops, namespace "
              + "kube-system is not allowed in project team-a");
      Resource sneaky = awaitReason(ops, key("team-a", "sneaky"), "Forbidden");
      assertThat(sneaky.at("/status/lastError").asString()).startsWith("mallory [proj:team-a] may not sync "
          + "application team-a.sneaky, environment default, in project team-a");
      Resource stray = awaitReason(ops, key("team-b", "stray"), "OutsideProject");
      assertThat(stray.at("/status/lastError").asString()).contains("belongs to no project");

      assertThat(ops.get(ResourceKey.of("ops", "", "ConfigMap", "kube-system", "escape-config"))).isEmpty();
      assertThat(ops.get(ResourceKey.of("ops", "", "ConfigMap", "team-a", "sneaky-config"))).isEmpty();
      assertThat(ops.get(ResourceKey.of("ops", "", "ConfigMap", "team-b", "stray-config"))).isEmpty();
      assertThat(records).filteredOn(PlaneRecord.Refused.class::isInstance).extracting(PlaneRecord::application)
          .contains("team-a.escape", "team-a.sneaky", "team-b.stray");

      // the subject without an annotation is the project's own
      assertThat(operator.subjectOf(Resource.fromYaml("""
          apiVersion: orchestrationplane.io/v1alpha1
          kind: Application
          metadata: {name: x, namespace: team-a}
          """))).isEqualTo(Subject.of("proj:team-a", "proj:team-a"));
    }
  }

  private static ResourceKey key(String namespace, String name) {
    return ResourceKey.of("ops", ApplicationCrd.GROUP, ApplicationCrd.KIND, namespace, name);
  }

  private static Resource awaitReason(KubernetesCluster ops, ResourceKey key, String reason) {
    Resource r = await(() -> ops.get(key).filter(o -> o.at("/status/conditions/0/reason").asString().equals(reason)));
    assertThat(r.at("/status/phase").asString()).isEqualTo("DEGRADED");
    return r;
  }

  /** Polls until the supplier yields a value; the system under test runs on its own threads. */
  private static <T> T await(Supplier<Optional<T>> probe) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      LockSupport.parkNanos(20_000_000L);
    }
  }
}
