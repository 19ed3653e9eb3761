package io.orchestrationplane.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthAssessorsTest {
  private static final GroupKind WIDGET = new GroupKind("example.com", "Widget");

  private static Resource widget(String phase) {
    return Resource.fromYaml("""
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w, namespace: shop}
        status: {phase: %s}
        """.formatted(phase));
  }

  private static final HealthAssessor WIDGETS = HealthAssessor.of(WIDGET, live ->
      live.at("/status/phase").asString().equals("Ready")
          ? HealthStatus.healthy("widget ready")
          : HealthStatus.progressing("widget is " + live.at("/status/phase").asString()));

  @Test
  void aDesiredObjectThatIsAbsentIsMissing() {
    ResourceKey key = ResourceKey.of("prod", "apps", "Deployment", "shop", "api");
    assertThat(HealthAssessors.defaults().assess(Optional.empty(), key))
        .isEqualTo(new HealthStatus(Health.MISSING, "Deployment shop/api does not exist"));
  }

  @Test
  void assessingAKeyReadsItFromTheCluster() {
    InMemoryCluster cluster = InMemoryCluster.create("prod");
    ResourceKey settings = ResourceKey.of("prod", "", "ConfigMap", "shop", "settings");
    assertThat(HealthAssessors.defaults().assess(cluster, settings).health()).isEqualTo(Health.MISSING);

    cluster.apply(Resource.of("v1", "ConfigMap", "shop", "settings"));

    assertThat(HealthAssessors.defaults().assess(cluster, settings))
        .isEqualTo(new ResourceHealth(settings, HealthStatus.healthy("ConfigMap shop/settings exists (no health check for ConfigMap)")));
  }

  @Test
  void anObjectBeingDeletedIsProgressingWhateverItsKind() {
    Resource deleting = widget("Ready").edit(t -> t.withObject("metadata").put("deletionTimestamp", "2026-01-01T00:00:00Z"));
    HealthAssessors registry = HealthAssessors.builder().register(WIDGETS).build();
    assertThat(registry.assess(deleting)).isEqualTo(HealthStatus.progressing("Widget shop/w: Pending deletion"));
  }

  @Test
  void aKindWithoutAnAssessorIsHealthyOnceItExists() {
    Resource cm = Resource.of("v1", "ConfigMap", "shop", "settings");
    assertThat(HealthAssessors.defaults().assess(cm))
        .isEqualTo(HealthStatus.healthy("ConfigMap shop/settings exists (no health check for ConfigMap)"));
  }

  @Test
  void aRegisteredAssessorServesItsKind() {
    HealthAssessors registry = HealthAssessors.builder().register(WIDGETS).build();
    assertThat(registry.assess(widget("Ready"))).isEqualTo(HealthStatus.healthy("widget ready"));
    assertThat(registry.assess(widget("Creating"))).isEqualTo(HealthStatus.progressing("widget is Creating"));
    assertThat(registry.assessorFor(WIDGET)).contains(WIDGETS);
  }

  @Test
  void aUserAssessorOverridesTheBuiltInOneForItsKind() {
    GroupKind deployment = new GroupKind("apps", "Deployment");
    HealthAssessors registry = HealthAssessors.builder()
        .register(HealthAssessor.of(deployment, live -> HealthStatus.healthy("trusted")))
        .build();
    assertThat(registry.assess(Resource.of("apps/v1", "Deployment", "shop", "api")))
        .isEqualTo(HealthStatus.healthy("trusted"));
    assertThat(HealthAssessors.defaults().assess(Resource.of("apps/v1", "Deployment", "shop", "api")).health())
        .isEqualTo(Health.PROGRESSING);
  }

  @Test
  void anAssessorThatThrowsYieldsUnknownWithTheError() {
    HealthAssessors registry = HealthAssessors.builder()
        .register(HealthAssessor.of(WIDGET, live -> {
          throw new IllegalStateException("no such field: status.ready");
        }))
        .build();
    assertThat(registry.assess(widget("Ready"))).isEqualTo(HealthStatus.unknown(
        "Widget shop/w: health assessment failed: java.lang.IllegalStateException: no such field: status.ready"));
  }

  @Test
  void anAssessorThatReturnsNothingYieldsUnknown() {
    HealthAssessors registry = HealthAssessors.builder().register(HealthAssessor.of(WIDGET, live -> null)).build();
    assertThat(registry.assess(widget("Ready")).health()).isEqualTo(Health.UNKNOWN);
  }

  @Test
  void removingABuiltInMakesItsKindHealthyOnceItExists() {
    HealthAssessors registry = HealthAssessors.builder().remove(new GroupKind("apps", "Deployment")).build();
    assertThat(registry.assess(Resource.of("apps/v1", "Deployment", "shop", "api")).health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void theDefaultsCoverEveryBuiltInKind() {
    assertThat(HealthAssessors.defaults().kinds()).contains(
        new GroupKind("apps", "Deployment"), new GroupKind("apps", "StatefulSet"), new GroupKind("apps", "DaemonSet"),
        new GroupKind("apps", "ReplicaSet"), new GroupKind("", "Pod"), new GroupKind("batch", "Job"),
        new GroupKind("batch", "CronJob"), new GroupKind("", "PersistentVolumeClaim"), new GroupKind("", "Service"),
        new GroupKind("networking.k8s.io", "Ingress"), new GroupKind("autoscaling", "HorizontalPodAutoscaler"),
        new GroupKind("apiregistration.k8s.io", "APIService"), new GroupKind("", "Namespace"),
        new GroupKind("apiextensions.k8s.io", "CustomResourceDefinition"));
    assertThat(HealthAssessors.empty().build().kinds()).isEmpty();
  }

  @Test
  void anAssessorServingNoKindsIsRejected() {
    HealthAssessor none = new HealthAssessor() {
      @Override
      public Set<GroupKind> kinds() {
        return Set.of();
      }

      @Override
      public HealthStatus assess(Resource live) {
        return HealthStatus.healthy("");
      }

      @Override
      public String toString() {
        return "none";
      }
    };
    assertThatThrownBy(() -> HealthAssessors.builder().register(none))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("assessor none serves no kinds");
  }
}
