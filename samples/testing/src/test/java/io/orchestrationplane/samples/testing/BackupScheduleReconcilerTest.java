package io.orchestrationplane.samples.testing;

import static io.orchestrationplane.samples.testing.Platform.orders;
import static io.orchestrationplane.testkit.assertions.OrchestrationAssertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.reconcile.Controller;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.testkit.TestEnvironment;
import io.orchestrationplane.testkit.faults.FaultyCluster;
import io.orchestrationplane.testkit.faults.Operation;
import io.orchestrationplane.testkit.junit.OrchestrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The backup controller next to the plane, on the same in-memory cluster and fake clock: it
 * converges, puts back what others change, stays quiet when nothing changed, and cleans up.
 */
@OrchestrationTest(configure = Platform.class)
class BackupScheduleReconcilerTest {
  private static final ResourceKey BACKUP = ResourceKey.of("dev", "batch", "CronJob", "orders", "orders-db-backup");

  private Controller<String> backups;
  private FaultyCluster counted;

  @BeforeEach
  void startTheController(TestEnvironment env, InMemoryCluster dev) {
    // A FaultyCluster without faults only counts the controller's calls per operation.
    counted = FaultyCluster.builder(dev).build();
    // workers(0): reconciles run only from runPending(), on the test's thread
    backups = BackupScheduleReconciler.controller(counted, env.clock(), env.scheduler(), 0);
    backups.start();
  }

  @AfterEach
  void stopTheController() {
    backups.close();
  }

  @Test
  void aDatabaseWithABackupScheduleGetsABackupCronJob(TestEnvironment env, InMemoryCluster dev) {
    env.deploy(orders(1));
    backups.runPending();

    assertThat(dev).hasResource("CronJob", "orders/orders-db-backup")
        .withLabel(BackupScheduleReconciler.DATABASE_LABEL, "orders-db")
        .withField("spec.schedule", "0 3 * * *")
        .withField("spec.jobTemplate.spec.template.spec.containers[0].image", "postgres:16")
        .withField("spec.jobTemplate.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name",
            "orders-db-credentials");
  }

  @Test
  void aHandEditedScheduleIsPutBack(TestEnvironment env, InMemoryCluster dev) {
    env.deploy(orders(1));
    backups.runPending();

    dev.update(dev.get(BACKUP).orElseThrow().edit(t -> ((ObjectNode) t.get("spec")).put("schedule", "* * * * *")));
    backups.runPending();

    assertThat(dev).hasResource("CronJob", "orders/orders-db-backup").withField("spec.schedule", "0 3 * * *");
  }

  @Test
  void aConvergedDatabaseIsCheckedEveryTenMinutesWithoutApplying(TestEnvironment env, InMemoryCluster dev) {
    env.deploy(orders(1));
    backups.runPending();
    long applies = counted.stats().calls(Operation.APPLY);

    env.advance(BackupScheduleReconciler.RESYNC);  // simulated: the test takes microseconds

    assertThat(backups.runPending()).isEqualTo(1);
    assertThat(counted.stats().calls(Operation.APPLY)).isEqualTo(applies);
  }

  @Test
  void droppingTheScheduleOrTheDatabaseRemovesTheCronJob(TestEnvironment env, OrchestrationPlane plane,
                                                         InMemoryCluster dev) {
    env.deploy(orders(1));
    backups.runPending();

    env.deploy(Platform.ordersWithoutBackups());
    backups.runPending();
    assertThat(dev).hasResource("StatefulSet", "orders/orders-db").withoutField("metadata.annotations['"
        + PostgresType.BACKUP_SCHEDULE + "']");
    assertThat(dev).doesNotHave("CronJob", "orders/orders-db-backup");

    env.deploy(orders(1));
    backups.runPending();
    plane.remove(orders(1));
    env.settle();
    backups.runPending();
    assertThat(dev).doesNotHave("StatefulSet", "orders/orders-db").doesNotHave("CronJob", "orders/orders-db-backup");
  }
}
