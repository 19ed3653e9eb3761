package io.orchestrationplane.testkit.defects;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.plan.Plan;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Phase;
import io.orchestrationplane.testkit.junit.KubernetesEnvironment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 10's defects from use, over kubernetes-mock-server: an application whose
 * autoscaler the cluster also serves as autoscaling/v1 converges and stays converged, and one that
 * owns its Namespace lets the simulator settle.
 */
class KnownDefectsIT {

  @Test
  void anAutoscaledApplicationConvergesAndItsHpaIsComparedInTheVersionItIsWrittenIn() {
    try (KubernetesEnvironment env = KubernetesEnvironment.builder().build()) {
      Application app = Application.builder("shop").namespace("shop")
          .component(Component.builder("api", "webservice").property("image", "acme/api:1")
              .trait(Trait.of("autoscaler", Map.of("min", 2, "max", 5, "cpuUtilization", 70))).build())
          .build();
      ApplicationStatus ready = env.deploy(app);
      assertThat(ready.phase()).isEqualTo(Phase.READY);
      Plan again = env.plane().plan(app);
      assertThat(again.hasChanges()).as(again.toText(true)).isFalse();
    }
  }

  @Test
  void anApplicationThatOwnsItsNamespaceLetsTheSimulatorSettle() {
    try (KubernetesEnvironment env = KubernetesEnvironment.builder().build()) {
      Application app = Application.builder("shop").namespace("shop")
          .component(Component.builder("ns", "k8s-objects").property("manifests", """
              apiVersion: v1
              kind: Namespace
              metadata: {name: shop}
              """).build())
          .component(Component.builder("api", "webservice").property("image", "acme/api:1").dependsOn("ns").build())
          .build();
      assertThat(env.deploy(app).phase()).isEqualTo(Phase.READY);
      assertThat(env.simulator().runUntilIdle()).as("a settled cluster needs no more writes").isZero();
    }
  }
}
