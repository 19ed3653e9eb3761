package io.orchestrationplane.delivery.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.access.AccessDeniedException;
import io.orchestrationplane.core.access.RbacPolicy;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.analysis.AnalysisPhase;
import io.orchestrationplane.delivery.analysis.Measurement;
import io.orchestrationplane.delivery.rollout.RolloutStatus.Phase;
import io.orchestrationplane.delivery.rollout.RolloutStatus.Stage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Canary rollouts over an HTTPRoute on an in-memory cluster, on a manual clock. */
class CanaryRolloutTest {
  static final Subject DANA = Subject.of("dana");
  final RolloutFixture f = new RolloutFixture();
  final Rollouts rollouts = f.rollouts();

  @AfterEach
  void close() {
    f.close();
  }

  private RolloutStatus status() {
    return rollouts.status(RolloutFixture.ID).orElseThrow();
  }

  private List<Measurement> measurements() {
    return status().analysisRuns().get(0).run().metrics().get(0).measurements();
  }

  /** v1 runs (the first release goes at once); v2 starts rolling out. */
  private void v1RunsAndV2Starts() {
    v1RunsAndV2Starts(true);
  }

  private void v1RunsAndV2Starts(boolean settle) {
    rollouts.start(RolloutFixture.canary("v1"), "prod", DANA);
    f.settle(rollouts);
    assertThat(status().phase()).isEqualTo(Phase.HEALTHY);
    assertThat(f.tagOf("api")).isEqualTo("v1");
    assertThat(f.routeWeights()).containsExactly(Map.entry("api", 100));
    f.errorRate.put("v2", 0.001);
    rollouts.start(RolloutFixture.canary("v2"), "prod", DANA);
    if (settle) {
      f.settle(rollouts);
    }
  }

  @Test
  void aGoodReleaseMovesThroughItsWeightsPausesAndAnalysisAndBecomesStable() {
    v1RunsAndV2Starts();
    assertThat(f.routeWeights()).containsExactly(Map.entry("api", 90), Map.entry("api-canary", 10));
    assertThat(f.tagOf("api-canary")).isEqualTo("v2");
    assertThat(f.deployment("api-canary").orElseThrow().at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(status().phase()).isEqualTo(Phase.PAUSED);
    assertThat(status().message()).contains("paused for 1m");

    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);                          // pause over; first measurement at once
    assertThat(measurements()).hasSize(1);
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);                          // third measurement: successful, then 50%
    assertThat(status().analysisRuns().get(0).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(f.routeWeights()).containsExactly(Map.entry("api", 50), Map.entry("api-canary", 50));
    assertThat(f.deployment("api-canary").orElseThrow().at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(status().phase()).isEqualTo(Phase.PAUSED);
    assertThat(status().message()).contains("until approved");

    f.clock.advance(Duration.ofHours(5));        // an indefinite pause does not end by itself
    f.settle(rollouts);
    assertThat(status().stage()).isEqualTo(Stage.STEPS);
    assertThat(status().step()).isEqualTo(4);

    rollouts.approve(RolloutFixture.ID, Subject.of("alice"));
    rollouts.runPending();                       // 100% goes out
    assertThat(f.routeWeights()).containsExactly(Map.entry("api", 0), Map.entry("api-canary", 100));
    f.settle(rollouts);

    assertThat(status().phase()).isEqualTo(Phase.HEALTHY);
    assertThat(status().stage()).isEqualTo(Stage.DONE);
    assertThat(f.tagOf("api")).isEqualTo("v2");
    assertThat(f.deployment("api-canary")).isEmpty();
    assertThat(f.object("", "Service", "api-canary")).isEmpty();
    assertThat(f.routeWeights()).containsExactly(Map.entry("api", 100));
    assertThat(f.plane.history(RolloutFixture.ID)).hasSizeGreaterThan(3);
  }

  @ParameterizedTest(name = "abort at step {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void anAbortAtAnyStepSendsTrafficBackToStableAtOnceAndRemovesTheCanary(int step) {
    v1RunsAndV2Starts(false);
    // stop as soon as the step is reached: a setWeight step is then applied and waits for health
    for (int i = 0; i < 60 && status().step() < step; i++) {
      if (status().phase() == Phase.PAUSED && status().message().contains("until approved")) {
        rollouts.approve(RolloutFixture.ID, DANA);
      }
      rollouts.runPending();
      if (status().step() >= step) {
        break;
      }
      f.makeDeploymentsReady();
      rollouts.runPending();
      if (status().step() >= step) {
        break;
      }
      f.clock.advance(Duration.ofMinutes(1));
    }
    rollouts.runPending();
    assertThat(status().step()).isEqualTo(step);
    assertThat(status().stage()).isEqualTo(Stage.STEPS);

    rollouts.abort(RolloutFixture.ID, Subject.of("sre"));
    rollouts.runPending("shop.shop-prod");
    assertThat(status().phase()).isEqualTo(Phase.DEGRADED);
    assertThat(status().message()).isEqualTo("aborted: aborted by sre");
    assertThat(status().weight()).isZero();
    assertThat(f.tagOf("api")).isEqualTo("v1");
    assertThat(f.deployment("api")).hasValueSatisfying(d -> assertThat(d.at("/spec/replicas").asInt()).isEqualTo(3));
    assertThat(f.deployment("api-canary")).isEmpty();
    assertThat(f.routeWeights()).containsExactly(Map.entry("api", 100));
    assertThat(status().stage()).isEqualTo(Stage.ABORTED);
  }

  @Test
  void theFirstAbortTransitionSetsTheCanaryWeightToZeroAndScalesItDownBeforeRemovingIt() {
    v1RunsAndV2Starts();
    rollouts.abort(RolloutFixture.ID, DANA);
    assertThat(f.routeWeights()).containsEntry("api-canary", 10);    // nothing happens before runPending
    assertThat(rollouts.runPending(RolloutFixture.ID)).isGreaterThanOrEqualTo(1);
    assertThat(status().stage()).isEqualTo(Stage.ABORTED);
    // the plane's history shows the intermediate moment: canary weight 0 and 0 replicas
    var revisions = f.plane.history(RolloutFixture.ID);
    var aborting = revisions.get(1).model();
    assertThat(aborting.component("api-canary").orElseThrow().property("replicas")).isEqualTo(0L);
    assertThat(aborting.component("api-route").orElseThrow().properties().toString()).contains("weight=0");
  }

  @Test
  void aFailedMeasurementAbortsWithTheMeasurementAndTheConditionInStatus() {
    f.errorRate.put("v2", 0.2);
    rollouts.start(RolloutFixture.canary("v1"), "prod", DANA);
    f.settle(rollouts);
    rollouts.start(RolloutFixture.canary("v2"), "prod", DANA);
    f.settle(rollouts);
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);
    RolloutStatus s = status();
    assertThat(s.phase()).isEqualTo(Phase.DEGRADED);
    assertThat(s.message()).isEqualTo("aborted: analysis error-rate failed: metric error-rate measured 0.2, which fails"
        + " result < 0.01");
    assertThat(s.failingMeasurement()).isNotNull();
    assertThat(s.failingMeasurement().expression()).isEqualTo("result < 0.01");
    assertThat(s.analysisRuns().get(0).phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(f.routeWeights()).containsExactly(Map.entry("api", 100));
    assertThat(f.deployment("api-canary")).isEmpty();
    assertThat(s.toText()).contains("FAILED 0.2");
  }

  @Test
  void noDataIsInconclusiveNeverSuccessAndPausesUntilSomeoneDecides() {
    v1RunsAndV2Starts();
    f.errorRate.remove("v2");               // no data
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);
    assertThat(status().phase()).isEqualTo(Phase.PAUSED);
    assertThat(status().message()).contains("inconclusive").contains("no data");
    f.clock.advance(Duration.ofHours(1));
    f.settle(rollouts);
    assertThat(measurements()).hasSize(1);
    assertThat(status().step()).isEqualTo(2);
    rollouts.approve(RolloutFixture.ID, DANA);
    f.settle(rollouts);
    assertThat(status().step()).isEqualTo(4);     // analysis accepted, 50% applied, paused until approved
    assertThat(f.routeWeights()).containsEntry("api-canary", 50);
  }

  @Test
  void aNaNIsInconclusive() {
    v1RunsAndV2Starts();
    f.errorRate.put("v2", Double.NaN);
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);
    assertThat(status().analysisRuns().get(0).phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(measurements().get(0).value().toText()).isEqualTo("NaN");
  }

  @Test
  void providerErrorsAbortOnlyAfterMoreThanTheConsecutiveErrorLimit() {
    v1RunsAndV2Starts();
    f.checkThrows.put("v2", true);
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);
    for (int i = 0; i < 3; i++) {
      f.clock.advance(Duration.ofMinutes(1));
      f.settle(rollouts);
    }
    assertThat(status().phase()).isEqualTo(Phase.PROGRESSING);
    assertThat(measurements()).hasSize(4).allSatisfy(m -> assertThat(m.phase()).isEqualTo(Measurement.Phase.ERROR));
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);
    assertThat(status().phase()).isEqualTo(Phase.DEGRADED);
    assertThat(status().message()).startsWith("aborted: analysis error-rate errored: metric error-rate");
    assertThat(status().failingMeasurement().message()).contains("metrics backend unreachable");
  }

  @Test
  void promoteSkipsTheRemainingStepsAndAnalyses() {
    v1RunsAndV2Starts();
    rollouts.promote(RolloutFixture.ID, DANA);
    f.settle(rollouts);
    assertThat(status().phase()).isEqualTo(Phase.HEALTHY);
    assertThat(f.tagOf("api")).isEqualTo("v2");
    assertThat(f.measured).isEmpty();
  }

  /**
   * Argo cancels a rollout's unfinished analysis runs (spec.terminate) when the rollout is aborted
   * or fully promoted (rollout/analysis.go shouldCancelAllAnalysisRuns, cancelAnalysisRuns); a
   * terminated run without a bad metric is Successful, "Run Terminated". The run must not stay
   * RUNNING, with a next measurement due, under a finished rollout.
   */
  @ParameterizedTest
  @ValueSource(strings = {"abort", "promote"})
  void abortAndPromoteTerminateTheRunningAnalysis(String operation) {
    v1RunsAndV2Starts();
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);
    assertThat(measurements()).hasSize(1);
    assertThat(status().analysisRuns().get(0).run().phase()).isEqualTo(AnalysisPhase.RUNNING);

    if (operation.equals("abort")) {
      rollouts.abort(RolloutFixture.ID, DANA);
    } else {
      rollouts.promote(RolloutFixture.ID, DANA);
    }
    f.settle(rollouts);
    assertThat(status().phase()).isEqualTo(operation.equals("abort") ? Phase.DEGRADED : Phase.HEALTHY);
    io.orchestrationplane.delivery.analysis.AnalysisRun run = status().analysisRuns().get(0).run();
    assertThat(run.terminated()).isTrue();
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(run.message()).contains("run terminated");
    assertThat(run.nextDue()).isEmpty();
    assertThat(measurements()).as("no measurement after the rollout ended").hasSize(1);
  }

  @Test
  void aRestartedEngineOverTheSameStoreResumesAtTheSameStepAndWeight() {
    v1RunsAndV2Starts();
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);
    f.clock.advance(Duration.ofMinutes(1));
    f.settle(rollouts);                        // 2 of 3 measurements taken
    RolloutStatus before = status();
    assertThat(before.step()).isEqualTo(2);
    assertThat(before.weight()).isEqualTo(10);

    // a new plane and a new engine over the same store and cluster
    f.plane.close();
    try (RolloutFixture again = new RolloutFixture(f.clock, f.prod, f.store, null)) {
      again.errorRate.put("v2", 0.001);
      Rollouts resumed = again.rollouts();
      RolloutStatus after = resumed.status(RolloutFixture.ID).orElseThrow();
      assertThat(after.step()).isEqualTo(2);
      assertThat(after.weight()).isEqualTo(10);
      assertThat(after.analysisRuns().get(0).run().metrics().get(0).measurements()).hasSize(2);
      assertThat(again.routeWeights()).containsEntry("api-canary", 10);
      assertThat(resumed.runPending()).isZero();          // the next measurement is not due yet
      f.clock.advance(Duration.ofMinutes(1));
      again.settle(resumed);
      assertThat(resumed.status(RolloutFixture.ID).orElseThrow().step()).isEqualTo(4);
      assertThat(again.routeWeights()).containsEntry("api-canary", 50);
      assertThat(again.measured).hasSize(1);
    }
  }

  @Test
  void aPlainApplyOfTheRolledEnvironmentIsRefusedWhileRendering() {
    assertThatThrownBy(() -> f.plane.apply(io.orchestrationplane.delivery.Delivery.environmentApplication(
        RolloutFixture.canary("v1"), "prod")))
        .hasMessageContaining("rolled out in environment 'prod' by a rollout strategy");
  }

  @Test
  void stepsAreValidatedWithTheFieldPathOfEachProblem() {
    var bad = RolloutFixture.shop("v1", c -> c.trait(Trait.of("rollout", Map.of(
        "environment", "prod",
        "canary", Map.of("steps", List.of(Map.of("setWeight", 10), Map.of("setWeight", 150),
            Map.of("pause", Map.of("duration", "soon")), Map.of("analysis", Map.of("interval", "1m")),
            Map.of("jump", 1))),
        "traffic", Map.of("gatewayApi", Map.of())))));
    assertThatThrownBy(() -> f.plane.validate(bad))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("canary.steps[1].setWeight")
        .hasMessageContaining("canary.steps[2].pause.duration")
        .hasMessageContaining("canary.steps[3].analysis.templateName")
        .hasMessageContaining("canary.steps[4].jump")
        .hasMessageContaining("traffic.gatewayApi.gateway");
  }

  @Test
  void anUnregisteredTemplateOrProviderIsRefusedAtStartWithThePathAndNothingRecorded() {
    Rollouts none = Rollouts.builder().plane(f.plane).store(f.store).build();
    assertThatThrownBy(() -> none.start(RolloutFixture.canary("v1"), "prod", DANA))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("canary.steps[2].analysis.templateName")
        .hasMessageContaining("no AnalysisTemplate 'error-rate'");
    Rollouts noProvider = Rollouts.builder().plane(f.plane).store(f.store).template(RolloutFixture.ERROR_RATE).build();
    assertThatThrownBy(() -> noProvider.start(RolloutFixture.canary("v1"), "prod", DANA))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("canary.steps[2].analysis.spec.metrics[0].provider")
        .hasMessageContaining("no metric provider named 'scripted'");
    assertThat(none.status(RolloutFixture.ID)).isEmpty();
  }

  @Test
  void thePreviewShowsTheStepsTheChangeWillGoThroughAndTheFirstPlan() {
    rollouts.start(RolloutFixture.canary("v1"), "prod", DANA);
    f.settle(rollouts);
    String text = rollouts.preview(RolloutFixture.canary("v2"), "prod").toText();
    assertThat(text).contains("canary, traffic by Gateway API HTTPRoute api-route on gateway shop-gw")
        .contains("1. setWeight 10").contains("2. pause 1m").contains("3. analysis error-rate {service=api-canary}")
        .contains("5. pause until approved").contains("api-canary");
  }

  @Test
  void abortPromoteAndApproveAskTheAccessControlFirst() {
    String policy = """
        p, role:sre, applications, rollback, *, allow
        p, role:sre, applications, sync, *, allow
        p, role:sre, applications, get, *, allow
        g, sre, role:sre
        """;
    try (RolloutFixture g = new RolloutFixture(ManualClock.at(RolloutFixture.START), null, StateStore.inMemory(),
        RbacPolicy.parse("policy.csv", policy).withDefaultRole("role:readonly"))) {
      Rollouts r = g.rollouts();
      Subject sre = Subject.of("sam", "sre");
      r.start(RolloutFixture.canary("v1"), "prod", sre);
      g.settle(r);
      r.start(RolloutFixture.canary("v2"), "prod", sre);
      g.settle(r);
      assertThatThrownBy(() -> r.abort(RolloutFixture.ID, DANA)).isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(() -> r.promote(RolloutFixture.ID, sre)).isInstanceOf(AccessDeniedException.class);
      assertThat(r.status(RolloutFixture.ID).orElseThrow().stage()).as(r.status(RolloutFixture.ID).orElseThrow().toText())
          .isEqualTo(Stage.STEPS);
      r.abort(RolloutFixture.ID, sre);
      assertThat(r.status(RolloutFixture.ID).orElseThrow().stage()).isEqualTo(Stage.ABORTING);
    }
  }
}
