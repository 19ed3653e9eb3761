package io.orchestrationplane.samples.testing;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.junit.EnvironmentConfigurer;
import java.util.Map;

/**
 * The platform as its users get it, for {@code @OrchestrationTest(configure = Platform.class)}:
 * the {@code postgres} type registered and the guardrails in the admit step. Also the
 * applications the tests deploy.
 */
public class Platform implements EnvironmentConfigurer {
  @Override
  public void configure(TestEnvironment.Builder environment) {
    environment.plane(p -> p.componentType(new PostgresType()).policies(Guardrails.engine()));
  }

  /** The orders team's database: one {@code postgres} component, backed up nightly at 03:00. */
  static Application orders(int replicas) {
    return Application.builder("orders").namespace("orders")
        .component(ordersDb(replicas).property("backupSchedule", "0 3 * * *").build())
        .build();
  }

  /** The same database without a backup schedule. */
  static Application ordersWithoutBackups() {
    return Application.builder("orders").namespace("orders").component(ordersDb(1).build()).build();
  }

  private static Component.Builder ordersDb(int replicas) {
    return Component.builder("orders-db", "postgres")
        .property("passwordSecret", "orders-db-credentials")
        .property("storage", "50Gi")
        .property("replicas", replicas)
        .trait("labels", Map.of("labels", Map.of("team", "orders")));
  }

  /** A webservice that follows the guardrails: pinned image, CPU and memory limits, a team label. */
  static Application compliantShop() {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "webservice").property("image", "acme/api:1.4.2")
            .trait("resources", Map.of("cpu", "250m", "memory", "256Mi", "limitCpu", "1", "limitMemory", "512Mi"))
            .trait("labels", Map.of("labels", Map.of("team", "shop")))
            .build())
        .build();
  }

  /** A webservice that breaks both Deny guardrails: {@code :latest}, no limits. */
  static Application sloppyShop() {
    return Application.builder("shop").namespace("shop")
        .component(Component.builder("api", "webservice").property("image", "acme/api:latest").build())
        .build();
  }
}
