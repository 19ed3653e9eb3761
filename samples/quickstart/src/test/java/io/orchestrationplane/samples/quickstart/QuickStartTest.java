package io.orchestrationplane.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickStartTest {

  @Test
  void theDemoPrintsTheCreateTheOneChangeAndThePrunePlans() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String status = QuickStart.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("12 to create, 0 to update, 0 to delete, 0 unchanged")
        .contains("=> applied 6 change(s), 6 waiting for dependencies")
        .contains("prod Deployment shop-prod/frontend waits for api: Deployment shop-prod/api: Waiting for rollout to finish: 0 of 3 updated replicas are available")
        .contains("Status of shop.shop: READY (in sync), health HEALTHY");
    assertThat(out).contains("0 to create, 1 to update, 0 to delete, 11 unchanged")
        .contains("~ Deployment shop-prod/api  [cluster prod, env prod, component api]")
        .contains("~ spec.replicas: 3 -> 5");
    assertThat(out).contains("0 to create, 0 to update, 2 to delete, 10 unchanged")
        .contains("- Job shop-prod/migrate").contains("- Job shop-staging/migrate");
    assertThat(out).contains("4 simulated minutes later: PROGRESSING (Ready=FALSE, Unhealthy: api: Deployment shop-staging/api");
    assertThat(status).startsWith("Status of shop.shop: DEGRADED (in sync), generation 1, health DEGRADED")
        .contains("Degraded=TRUE (ProgressDeadlineExceeded: api: Deployment shop-staging/api: Deployment \"api\" exceeded its progress deadline")
        .contains("staging Deployment shop-staging/api: in sync, DEGRADED");
  }
}
