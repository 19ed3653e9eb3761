package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.WorkloadSimulatorTest.deployment;
import static io.orchestrationplane.testkit.simulator.WorkloadSimulatorTest.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.HealthAssessors;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each scripted failure shows up with the health and message an operator would see. */
class SimulatedFaultsTest {
  private static final GroupKind POD = new GroupKind("", "Pod");
  private static final ResourceKey API = ResourceKey.of("sim", "apps", "Deployment", "shop", "api");

  private final ManualClock clock = ManualClock.create();
  private final InMemoryCluster cluster = InMemoryCluster.builder("sim").clock(clock).build();
  private final HealthAssessors health = HealthAssessors.defaults();
  private WorkloadSimulator sim;

  @AfterEach
  void close() {
    sim.close();
  }

  private HealthStatus healthOf(ResourceKey key) {
    return health.assess(cluster.get(key), key);
  }

  private List<Resource> pods(String app) {
    return cluster.list(POD, "shop", Map.of("app", app));
  }

  private Resource onlyPod(String app) {
    assertThat(pods(app)).hasSize(1);
    return pods(app).get(0);
  }

  @Test
  void anImagePullErrorDegradesThePodAndStallsTheRolloutUntilItsDeadline() {
    sim = WorkloadSimulator.builder(cluster, clock).failImage("shop/api:missing", Fault.IMAGE_PULL_ERROR).build();
    cluster.apply(deployment("api", 1, "shop/api:missing"));
    sim.advance(Duration.ofMinutes(1));

    Resource pod = onlyPod("api");
    assertThat(pod.at("/status/phase").asString()).isEqualTo("Pending");
    assertThat(health.assess(pod)).isEqualTo(HealthStatus.degraded("Pod shop/" + pod.name()
        + ": Back-off pulling image \"shop/api:missing\": ErrImagePull:"
        + " failed to pull and unpack image \"shop/api:missing\": not found"));
    assertThat(healthOf(API)).isEqualTo(HealthStatus.progressing(
        "Deployment shop/api: Waiting for rollout to finish: 0 of 1 updated replicas are available..."));

    sim.advance(Duration.ofMinutes(9));

    assertThat(healthOf(API)).isEqualTo(HealthStatus.degraded("Deployment shop/api: Deployment \"api\" exceeded its progress deadline"));
  }

  @Test
  void aCrashLoopDegradesThePodWithTheBackOffReasonAndRestartCount() {
    sim = WorkloadSimulator.builder(cluster, clock).fail(API, Fault.CRASH_LOOP).build();
    cluster.apply(deployment("api", 1, "shop/api:1"));
    sim.advance(Duration.ofSeconds(65));

    Resource pod = onlyPod("api");
    HealthStatus s = health.assess(pod);
    assertThat(s.health()).isEqualTo(Health.DEGRADED);
    assertThat(s.message()).isEqualTo("Pod shop/" + pod.name() + ": back-off 40s restarting failed container=app pod=" + pod.name() + "_shop(" + pod.uid() + ")");
    assertThat(pod.at("/status/containerStatuses/0/restartCount").asInt()).isEqualTo(3);
    assertThat(pod.at("/status/containerStatuses/0/lastState/terminated/reason").asString()).isEqualTo("Error");
    assertThat(pod.at("/status/phase").asString()).isEqualTo("Running");
    assertThat(healthOf(API).message()).isEqualTo("Deployment shop/api: Waiting for rollout to finish: 0 of 1 updated replicas are available...");
  }

  @Test
  void aPodThatIsNeverReadyKeepsProgressingAndTheDeploymentDegradesAtItsDeadline() {
    sim = WorkloadSimulator.builder(cluster, clock).fail(API, Fault.NEVER_READY).build();
    cluster.apply(deployment("api", 2, "shop/api:1").edit(t -> t.withObject("spec").put("progressDeadlineSeconds", 120)));
    sim.advance(Duration.ofSeconds(119));

    assertThat(pods("api")).hasSize(2).allSatisfy(p -> assertThat(health.assess(p))
        .isEqualTo(HealthStatus.progressing("Pod shop/" + p.name())));
    assertThat(healthOf(API).health()).isEqualTo(Health.PROGRESSING);

    sim.advance(Duration.ofSeconds(1));

    assertThat(healthOf(API).health()).isEqualTo(Health.DEGRADED);
    Resource d = cluster.get(API).orElseThrow();
    assertThat(d.at("/status/conditions/0/reason").asString()).isEqualTo("MinimumReplicasUnavailable");
    assertThat(d.at("/status/conditions/1/reason").asString()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(d.at("/status/conditions/1/status").asString()).isEqualTo("False");
  }

  @Test
  void aFailingJobRetriesUpToItsBackoffLimitAndThenFails() {
    ResourceKey migrate = ResourceKey.of("any-cluster", "batch", "Job", "shop", "migrate");
    sim = WorkloadSimulator.builder(cluster, clock).fail(migrate, Fault.JOB_FAILURE).build();
    cluster.apply(job("migrate", 2, "shop/migrate:1"));
    sim.advance(Duration.ofSeconds(8));
    assertThat(healthOf(migrate.inCluster("sim")).message()).isEqualTo("Job shop/migrate");

    sim.settle(Duration.ofMinutes(5));

    assertThat(healthOf(migrate.inCluster("sim"))).isEqualTo(
        HealthStatus.degraded("Job shop/migrate: Job has reached the specified backoff limit"));
    assertThat(cluster.list(POD, "shop", Map.of("job-name", "migrate")))
        .hasSize(3)
        .allSatisfy(p -> {
          assertThat(p.at("/status/phase").asString()).isEqualTo("Failed");
          assertThat(health.assess(p).message()).endsWith(": container \"migrate\" failed with exit code 1");
        });
    assertThat(cluster.get(migrate.inCluster("sim")).orElseThrow().at("/status/failed").asInt()).isEqualTo(3);
  }

  @Test
  void unschedulablePodsExceedTheProgressDeadline() {
    sim = WorkloadSimulator.builder(cluster, clock).fail(API, Fault.PROGRESS_DEADLINE_EXCEEDED).build();
    cluster.apply(deployment("api", 3, "shop/api:1"));
    sim.advance(Duration.ofMinutes(5));

    assertThat(pods("api")).hasSize(3).allSatisfy(p -> assertThat(health.assess(p).message())
        .isEqualTo("Pod shop/" + p.name()));
    assertThat(pods("api")).allSatisfy(p -> assertThat(p.at("/status").toString()).contains("\"Unschedulable\""));
    assertThat(healthOf(API)).isEqualTo(HealthStatus.progressing(
        "Deployment shop/api: Waiting for rollout to finish: 0 of 3 updated replicas are available..."));

    Duration waited = sim.settle(Duration.ofHours(1));

    assertThat(waited).isEqualTo(Duration.ofMinutes(5));
    assertThat(healthOf(API).health()).isEqualTo(Health.DEGRADED);
    assertThat(healthOf(API).message()).isEqualTo("Deployment shop/api: Deployment \"api\" exceeded its progress deadline");
  }

  @Test
  void anImageFaultOnlyAffectsContainersRunningThatImage() {
    sim = WorkloadSimulator.builder(cluster, clock).failImage("shop/api:bad", Fault.CRASH_LOOP).build();
    cluster.apply(deployment("api", 1, "shop/api:bad"));
    cluster.apply(deployment("web", 1, "shop/web:1"));
    sim.advance(Duration.ofSeconds(30));

    assertThat(health.assess(onlyPod("api")).health()).isEqualTo(Health.DEGRADED);
    assertThat(healthOf(ResourceKey.of("sim", "apps", "Deployment", "shop", "web")).health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void rollingOutAFixedImageHealsADegradedDeployment() {
    sim = WorkloadSimulator.builder(cluster, clock).failImage("shop/api:bad", Fault.CRASH_LOOP).build();
    cluster.apply(deployment("api", 2, "shop/api:bad"));
    sim.advance(Duration.ofMinutes(11));
    assertThat(healthOf(API).health()).isEqualTo(Health.DEGRADED);

    cluster.apply(deployment("api", 2, "shop/api:good"));
    sim.settle(Duration.ofMinutes(1));

    assertThat(healthOf(API)).isEqualTo(HealthStatus.healthy("Deployment shop/api"));
    assertThat(pods("api")).extracting(p -> p.at("/spec/containers/0/image").asString())
        .containsOnly("shop/api:good");
  }
}
