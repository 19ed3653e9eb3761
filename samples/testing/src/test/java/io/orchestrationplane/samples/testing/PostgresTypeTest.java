package io.orchestrationplane.samples.testing;

import static io.orchestrationplane.samples.testing.Platform.orders;
import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;
import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThatThrownBy;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.golden.Goldens;
import io.orchestrationplane.testkit.junit.OrchestrationTest;
import org.junit.jupiter.api.Test;

/** The {@code postgres} component type: what it renders, what it refuses, how it deploys and changes. */
// startPlane = false: these tests drive plan/apply themselves. (In continuous mode the plane
// watches only the built-in kinds, so a StatefulSet's status changes reach it at the next resync.)
@OrchestrationTest(configure = Platform.class, startPlane = false)
class PostgresTypeTest {

  @Test
  void rendersAStatefulSetAndAHeadlessServiceAsInTheGoldenFile(OrchestrationPlane plane) {
    // src/test/resources/golden/orders-db.yaml; -Dorchestration.updateGoldens=true rewrites it
    Goldens.assertMatches("golden/orders-db.yaml", Goldens.yaml(plane.render(orders(1)).get("default")));
  }

  @Test
  void deploysReadyAndReferencesThePasswordSecretWithoutRenderingIt(TestEnvironment env, OrchestrationPlane plane,
                                                                    InMemoryCluster dev) {
    assertThat(plane.apply(orders(1))).succeeded();
    env.settle();  // the simulated StatefulSet controller starts the pod; it becomes ready
    assertThat(plane.status(orders(1))).isReady();

    assertThat(dev).hasResource("StatefulSet", "orders/orders-db")
        .withLabel("team", "orders")
        .withAnnotation(PostgresType.BACKUP_SCHEDULE, "0 3 * * *")
        .withField("spec.serviceName", "orders-db")
        .withField("spec.template.spec.containers[0].image", "postgres:16")
        .withField("spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name", "orders-db-credentials")
        .withField("spec.volumeClaimTemplates[0].spec.resources.requests.storage", "50Gi");
    assertThat(dev).hasResource("Service", "orders/orders-db").withField("spec.clusterIP", "None");
    assertThat(dev).doesNotHave("Secret", "orders/orders-db-credentials");
  }

  @Test
  void scalingChangesOnlyTheReplicas(OrchestrationPlane plane) {
    plane.apply(orders(1));

    assertThat(plane.plan(orders(3)))
        .hasUpdates(1).hasCreates(0).hasDeletes(0)
        .hasChange("StatefulSet", "orders/orders-db").withOnlyFields("spec.replicas")
        .withField("spec.replicas").from(1).to(3);
  }

  @Test
  void schemaViolationsAreAllReportedWithTheirPath(OrchestrationPlane plane) {
    Application broken = Application.builder("orders").namespace("orders")
        .component(Component.builder("orders-db", "postgres").property("replicas", 0).property("storage", 50).build())
        .build();

    assertThatThrownBy(() -> plane.validate(broken))
        .hasMessageContaining("(3 problems)")
        .hasMessageContaining("spec.components[0].properties.replicas: must be at least 1, got 0")
        .hasMessageContaining("spec.components[0].properties.storage: must be a string, got 50")
        .hasMessageContaining("spec.components[0].properties.passwordSecret: required property 'passwordSecret' is missing");
  }

  @Test
  void theTypesOwnChecksRejectUnsupportedVersionsQuantitiesAndSchedules(OrchestrationPlane plane) {
    Application broken = Application.builder("orders").namespace("orders")
        .component(Component.builder("orders-db", "postgres").property("passwordSecret", "orders-db-credentials")
            .property("version", "12").property("storage", "lots").property("backupSchedule", "nightly").build())
        .build();

    assertThatThrownBy(() -> plane.validate(broken))
        .hasMessageContaining("(3 problems)")
        .hasMessageContaining("spec.components[0].properties.version: must be one of 15, 16, 17, got \"12\"")
        .hasMessageContaining("spec.components[0].properties.storage: must be a Kubernetes quantity such as 10Gi or 500m, got \"lots\"")
        .hasMessageContaining("spec.components[0].properties.backupSchedule: must have 5 fields (minute hour day month weekday), got \"nightly\"");
  }
}
