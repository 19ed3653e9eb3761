package io.orchestrationplane.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationHealthTest {

  private static ResourceHealth r(String name, Health health) {
    return new ResourceHealth(ResourceKey.of("prod", "apps", "Deployment", "shop", name),
        new HealthStatus(health, "Deployment shop/" + name + " is " + health));
  }

  @Test
  void theWorstHealthWinsInTheDocumentedOrder() {
    List<Health> order = List.of(Health.HEALTHY, Health.SUSPENDED, Health.PROGRESSING, Health.MISSING,
        Health.UNKNOWN, Health.DEGRADED);
    for (int worst = 0; worst < order.size(); worst++) {
      List<ResourceHealth> resources = new ArrayList<>();
      for (int i = worst; i >= 0; i--) {
        resources.add(r("r" + i, order.get(i)));
      }
      assertThat(ApplicationHealth.of(resources).health()).as("worst of %s", order.subList(0, worst + 1))
          .isEqualTo(order.get(worst));
    }
  }

  @Test
  void theFirstResourceWithTheWorstHealthIsNamedWithItsMessage() {
    ApplicationHealth h = ApplicationHealth.of(List.of(
        r("db", Health.HEALTHY), r("api", Health.PROGRESSING), r("web", Health.DEGRADED), r("worker", Health.DEGRADED)));

    assertThat(h.health()).isEqualTo(Health.DEGRADED);
    assertThat(h.message()).isEqualTo("Deployment shop/web is DEGRADED");
    assertThat(h.culprit()).hasValueSatisfying(c -> assertThat(c.key().name()).isEqualTo("web"));
    assertThat(h.unhealthy()).extracting(c -> c.key().name()).containsExactly("api", "web", "worker");
    assertThat(h.counts()).isEqualTo(Map.of(Health.HEALTHY, 1, Health.PROGRESSING, 1, Health.DEGRADED, 2));
  }

  @Test
  void allHealthyNamesNoCulprit() {
    ApplicationHealth h = ApplicationHealth.of(List.of(r("db", Health.HEALTHY), r("api", Health.HEALTHY)));
    assertThat(h.health()).isEqualTo(Health.HEALTHY);
    assertThat(h.message()).isEqualTo("all 2 resources are healthy");
    assertThat(h.culprit()).isEmpty();
  }

  @Test
  void noResourcesIsHealthy() {
    assertThat(ApplicationHealth.of(List.of()).message()).isEqualTo("no resources");
  }

  @Test
  void aMissingResourceOutranksOneStillProgressing() {
    ApplicationHealth h = ApplicationHealth.of(List.of(r("api", Health.PROGRESSING), r("db", Health.MISSING)));
    assertThat(h.culprit()).hasValueSatisfying(c -> assertThat(c.key().name()).isEqualTo("db"));
  }
}
