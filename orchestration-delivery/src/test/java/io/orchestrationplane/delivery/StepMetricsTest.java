package io.orchestrationplane.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.delivery.ReleaseStatus.RunPhase;
import io.orchestrationplane.delivery.ReleaseStatus.StepPhase;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workflow step durations reach the plane's metrics: each finished step once, its duration by the
 * plane's clock from its first attempt to its end, scraped from a Prometheus registry.
 */
class StepMetricsTest {
  private static final Subject DANA = Subject.of("dana");
  private static final String HISTOGRAM = "orchestration_plane_workflow_step_duration_seconds";
  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private double value(String series) {
    List<String> lines = Arrays.stream(f.registry.scrape().split("\n")).filter(l -> l.startsWith(series + " ")).toList();
    assertThat(lines).as("series %s in the scrape", series).hasSizeLessThanOrEqualTo(1);
    return lines.isEmpty() ? 0 : Double.parseDouble(lines.get(0).substring(series.length() + 1));
  }

  private double count(String type, String outcome) {
    return value(HISTOGRAM + "_count{outcome=\"" + outcome + "\",step_type=\"" + type + "\"}");
  }

  private double sum(String type, String outcome) {
    return value(HISTOGRAM + "_sum{outcome=\"" + outcome + "\",step_type=\"" + type + "\"}");
  }

  private StepPhase phase(Delivery d, String step) {
    return d.status("shop.shop").run().orElseThrow().step(step).orElseThrow().phase();
  }

  @Test
  void eachStepIsTimedOnThePlanesClockFromItsStartToItsEnd() {
    Workflow wf = Workflow.builder("metrics")
        .step(Step.apply("deploy-dev", "dev"))
        .step(Step.approval("approve", ApprovalRule.of(1, "alice")))
        .step(Step.apply("deploy-staging", "staging"))
        .build();
    Delivery d = f.delivery().build();
    d.start(Fixture.shop("1.0"), wf, DANA, Origin.code());

    assertThat(d.runOnce()).isTrue(); // claims deploy-dev: the step starts
    assertThat(phase(d, "deploy-dev")).isEqualTo(StepPhase.RUNNING);
    f.clock.advance(Duration.ofSeconds(30));
    assertThat(d.runOnce()).isTrue(); // applies and records it: the step ends
    assertThat(phase(d, "deploy-dev")).isEqualTo(StepPhase.SUCCEEDED);
    assertThat(count("apply", "succeeded")).isEqualTo(1);
    assertThat(sum("apply", "succeeded")).isEqualTo(30);

    assertThat(d.runOnce()).isTrue(); // the approval starts waiting
    assertThat(phase(d, "approve")).isEqualTo(StepPhase.WAITING);
    f.clock.advance(Duration.ofHours(2));
    d.approve("shop.shop", "approve", Subject.of("alice"), "ok");
    assertThat(count("approval", "succeeded")).as("a decision alone does not end the step").isZero();
    assertThat(d.runOnce()).isTrue();
    assertThat(phase(d, "approve")).isEqualTo(StepPhase.SUCCEEDED);

    assertThat(d.runOnce()).isTrue(); // claims deploy-staging
    f.clock.advance(Duration.ofSeconds(45));
    d.runPending();
    assertThat(d.status("shop.shop").run().orElseThrow().phase()).isEqualTo(RunPhase.SUCCEEDED);

    assertThat(count("apply", "succeeded")).isEqualTo(2);
    assertThat(sum("apply", "succeeded")).isEqualTo(75);
    assertThat(count("approval", "succeeded")).isEqualTo(1);
    assertThat(sum("approval", "succeeded")).isEqualTo(7200);
    // nothing more on later passes: a finished run tells nothing again
    d.runPending();
    assertThat(count("apply", "succeeded")).isEqualTo(2);
  }

  @Test
  void anExpiredApprovalIsTimedOutAndTheStepsItCancelsThatNeverBeganAreNotTimed() {
    Workflow wf = Workflow.builder("expiring")
        .step(Step.approval("approve", ApprovalRule.of(1, "alice")).timeout(Duration.ofHours(1)))
        .step(Step.apply("deploy-dev", "dev"))
        .build();
    Delivery d = f.delivery().build();
    d.start(Fixture.shop("1.0"), wf, DANA, Origin.code());
    d.runPending();
    f.clock.advance(Duration.ofHours(1));
    d.runPending();
    assertThat(d.status("shop.shop").run().orElseThrow().phase()).isEqualTo(RunPhase.FAILED);
    assertThat(count("approval", "timed_out")).isEqualTo(1);
    assertThat(sum("approval", "timed_out")).isEqualTo(3600);
    assertThat(count("approval", "failed")).isZero();
    assertThat(count("apply", "cancelled")).isZero();
  }

  @Test
  void aSupersededRunCancelsTheStepItWasWaitingOn() {
    Workflow wf = Workflow.builder("gated").step(Step.approval("approve", ApprovalRule.of(1, "alice"))).build();
    Delivery d = f.delivery().build();
    d.start(Fixture.shop("1.0"), wf, DANA, Origin.code());
    d.runPending();
    f.clock.advance(Duration.ofMinutes(20));
    d.start(Fixture.shop("2.0"), wf, DANA, Origin.code());
    assertThat(count("approval", "cancelled")).isEqualTo(1);
    assertThat(sum("approval", "cancelled")).isEqualTo(1200);
  }

  @Test
  void anEngineRestartedBetweenEveryTransitionTellsEachStepOnce() {
    Workflow wf = Workflow.builder("restarts")
        .step(Step.apply("deploy-dev", "dev"))
        .step(Step.check("dev-ready", "dev", "status.phase == 'READY'"))
        .step(Step.promote("to-staging", "dev", "staging", Duration.ofMinutes(10)))
        .build();
    f.delivery().build().start(Fixture.shop("1.0"), wf, DANA, Origin.code());
    for (int round = 0; round < 200; round++) {
      Delivery engine = f.delivery().build(); // a fresh engine every time: a restart
      if (engine.status("shop.shop").run().orElseThrow().phase().finished()) {
        break;
      }
      f.clock.advance(Duration.ofSeconds(10));
      if (!engine.runOnce()) {
        f.clock.advance(Duration.between(f.clock.instant(), engine.nextWakeUp().orElseThrow()));
      }
    }
    assertThat(f.delivery().build().status("shop.shop").run().orElseThrow().phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(count("apply", "succeeded")).isEqualTo(1);
    assertThat(count("check", "succeeded")).isEqualTo(1);
    assertThat(count("promote", "succeeded")).isEqualTo(1);
    // the promotion soaked dev for ten minutes before it could apply
    assertThat(sum("promote", "succeeded")).isGreaterThanOrEqualTo(600);
    for (int i = 0; i < 3; i++) {
      f.delivery().build().runPending();
    }
    assertThat(count("apply", "succeeded") + count("check", "succeeded") + count("promote", "succeeded")).isEqualTo(3);
  }

  @Test
  void aCompletionWhoseWriteFailsIsToldOnceByTheEngineThatTakesOver() {
    Workflow wf = Workflow.builder("dev").step(Step.apply("deploy-dev", "dev")).build();
    CrashSafetyTest.FlakyStore flaky = new CrashSafetyTest.FlakyStore(f.store,
        value -> value.path("run").path("steps").path("deploy-dev").path("phase").asString("").equals("SUCCEEDED"));
    Delivery first = f.delivery().store(flaky).lease(Duration.ofMinutes(5)).build();
    first.start(Fixture.shop("1.0"), wf, DANA, Origin.code());
    first.runPending(); // claims deploy-dev, applies, fails to record the end: nothing is told
    assertThat(count("apply", "succeeded")).isZero();

    f.clock.advance(Duration.ofMinutes(5)); // the lease runs out; another engine takes over
    Delivery other = f.delivery().identity("engine-b").build();
    other.runPending();
    assertThat(other.status("shop.shop").run().orElseThrow().phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(count("apply", "succeeded")).isEqualTo(1);
    assertThat(sum("apply", "succeeded")).isEqualTo(300);
  }
}
