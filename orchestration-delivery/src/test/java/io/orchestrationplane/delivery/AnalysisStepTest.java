package io.orchestrationplane.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.delivery.ReleaseStatus.RunPhase;
import io.orchestrationplane.delivery.ReleaseStatus.StepPhase;
import io.orchestrationplane.delivery.analysis.Analysis;
import io.orchestrationplane.delivery.analysis.AnalysisRun;
import io.orchestrationplane.delivery.analysis.AnalysisStep;
import io.orchestrationplane.delivery.analysis.AnalysisTemplate;
import io.orchestrationplane.delivery.analysis.Measurement;
import io.orchestrationplane.delivery.analysis.Metric;
import io.orchestrationplane.delivery.analysis.MetricProvider;
import io.orchestrationplane.delivery.analysis.MetricQuery;
import io.orchestrationplane.delivery.analysis.MetricValue;
import io.orchestrationplane.delivery.analysis.ResourceHealthProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The analysis workflow step, through a delivery on in-memory clusters and a fake clock. */
class AnalysisStepTest {
  private final Fixture f = new Fixture();
  private final ConcurrentLinkedDeque<Double> errorRates = new ConcurrentLinkedDeque<>();
  private final List<String> queries = new ArrayList<>();
  private final MetricProvider scripted = new MetricProvider() {
    @Override public String name() {
      return "scripted";
    }

    @Override public MetricValue measure(MetricQuery q) {
      queries.add(q.query());
      Double next = errorRates.poll();
      if (next == null) {
        throw new IllegalStateException("no scripted value left");
      }
      return MetricValue.vector(next);
    }
  };
  private final AnalysisTemplate errorRate = new AnalysisTemplate("error-rate",
      List.of(new AnalysisTemplate.Argument("service", null)),
      List.of(Metric.builder("errors", "scripted", "errors{service=\"{{args.service}}\"}")
          .successCondition("result[0] < 0.01").interval(Duration.ofMinutes(1)).count(3).build()));

  @AfterEach
  void close() {
    f.close();
  }

  private Delivery delivery(Analysis analysis) {
    return f.delivery().stepType(AnalysisStep.builder(analysis, f.store).template(errorRate).build()).build();
  }

  private static Workflow canary() {
    return Workflow.builder("canary")
        .step(Step.apply("to-prod", "prod"))
        .step(Step.of("analyse-prod", "analysis", Map.of("template", "error-rate", "args", Map.of("service", "shop")))
            .onFailure(OnFailure.ROLLBACK))
        .build();
  }

  private void runUntilFinished(Delivery delivery) {
    for (int i = 0; i < 100; i++) {
      delivery.runPending();
      ReleaseStatus.Run run = delivery.status("shop.shop").run().orElseThrow();
      if (run.phase().finished()) {
        return;
      }
      f.clock.advance(Duration.between(f.clock.instant(), delivery.nextWakeUp().orElseThrow()));
    }
    throw new AssertionError("the run did not finish");
  }

  @Test
  void aGoodReleasePassesTheAnalysisAfterCountMeasurementsAtTheInterval() {
    errorRates.addAll(List.of(0.001, 0.002, 0.003));
    Delivery delivery = delivery(Analysis.builder().provider(scripted).build());
    delivery.start(Fixture.shop("1.0"), canary(), Subject.of("dana"), Origin.code());
    java.time.Instant start = f.clock.instant();

    runUntilFinished(delivery);

    ReleaseStatus.Run run = delivery.status("shop.shop").run().orElseThrow();
    assertThat(run.phase()).isEqualTo(RunPhase.SUCCEEDED);
    assertThat(run.step("analyse-prod").orElseThrow().message()).contains("analysis error-rate successful");
    assertThat(queries).containsOnly("errors{service=\"shop\"}").hasSize(3);
    assertThat(f.clock.instant()).isEqualTo(start.plus(Duration.ofMinutes(2)));
    AnalysisRun stored = AnalysisRun.fromJson(f.store.get(AnalysisStep.key("shop.shop", 1, "analyse-prod", 1))
        .orElseThrow().value());
    assertThat(stored.metrics().get(0).measurements()).hasSize(3);
  }

  @Test
  void aFailedAnalysisFailsTheStepWithTheMeasurementAndExpressionAndTheFailureHandlerRollsBack() {
    Delivery delivery = delivery(Analysis.builder().provider(scripted).build());
    errorRates.addAll(List.of(0.001, 0.001, 0.001));
    delivery.start(Fixture.shop("1.0"), canary(), Subject.of("dana"), Origin.code());
    runUntilFinished(delivery);
    assertThat(f.version(f.prod, "prod")).contains("1.0");

    errorRates.addAll(List.of(0.001, 0.07));
    delivery.start(Fixture.shop("2.0"), canary(), Subject.of("dana"), Origin.code());
    delivery.runPending();
    assertThat(f.version(f.prod, "prod")).contains("2.0");
    runUntilFinished(delivery);

    ReleaseStatus.Run run = delivery.status("shop.shop").run().orElseThrow();
    assertThat(run.phase()).isEqualTo(RunPhase.ROLLED_BACK);
    ReleaseStatus.StepStatus step = run.step("analyse-prod").orElseThrow();
    assertThat(step.phase()).isEqualTo(StepPhase.FAILED);
    assertThat(step.message()).contains("FAILED", "failed (1) > failureLimit (0)", "value [0.07]",
        "expression result[0] < 0.01");
    assertThat(f.version(f.prod, "prod")).as("the failure handler rolled prod back").contains("1.0");
  }

  @Test
  void aRestartedDeliveryResumesTheAnalysisWithItsMeasurements() {
    errorRates.addAll(List.of(0.001, 0.002));
    Delivery first = delivery(Analysis.builder().provider(scripted).build());
    first.start(Fixture.shop("1.0"), canary(), Subject.of("dana"), Origin.code());
    first.runPending();
    f.clock.advance(Duration.ofMinutes(1));
    first.runPending();
    assertThat(queries).hasSize(2);

    // a new engine with a new Analysis over the same store: the third measurement completes the count of 3
    errorRates.add(0.003);
    Delivery second = delivery(Analysis.builder().provider(scripted).build());
    assertThat(second.nextWakeUp()).contains(f.clock.instant().plus(Duration.ofMinutes(1)));
    f.clock.advance(Duration.ofMinutes(1));
    second.runPending();
    assertThat(queries).hasSize(3);
    assertThat(second.status("shop.shop").run().orElseThrow().phase()).isEqualTo(RunPhase.SUCCEEDED);
  }

  @Test
  void aWorkflowNamingAnUnknownTemplateOrMissingArgumentsIsRefusedAtStart() {
    Delivery delivery = delivery(Analysis.builder().provider(scripted).build());
    Workflow unknown = Workflow.builder("w").step(Step.of("a", "analysis", Map.of("template", "nope"))).build();
    assertThatThrownBy(() -> delivery.start(Fixture.shop("1.0"), unknown, Subject.of("dana"), Origin.code()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("no analysis template named 'nope'");
    Workflow noArgs = Workflow.builder("w").step(Step.of("a", "analysis", Map.of("template", "error-rate"))).build();
    assertThatThrownBy(() -> delivery.start(Fixture.shop("1.0"), noArgs, Subject.of("dana"), Origin.code()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("args.service");
  }

  @Test
  void resourceHealthMeasuresThePlanesOwnObjects() {
    io.orchestrationplane.core.model.Application prod = Delivery.environmentApplication(Fixture.shopWithApi("1.0"), "prod");
    f.plane.apply(prod);
    Map<String, io.orchestrationplane.core.model.Application> apps = Map.of(prod.id(), prod);
    ResourceHealthProvider health = ResourceHealthProvider.of(id -> f.plane.status(apps.get(id)));
    Analysis analysis = Analysis.builder().provider(health).build();

    AnalysisRun settings = analysis.evaluate(analysis.start(AnalysisTemplate.of("h", Metric.builder("cm", "resource-health",
        "shop.shop-prod").option("kind", "ConfigMap").successCondition("result.healthy == result.total").build()),
        f.clock.instant()), f.clock.instant());
    assertThat(settings.phase()).isEqualTo(io.orchestrationplane.delivery.analysis.AnalysisPhase.SUCCESSFUL);

    AnalysisRun api = analysis.evaluate(analysis.start(AnalysisTemplate.of("h", Metric.builder("api", "resource-health",
        "shop.shop-prod").option("kind", "Deployment").successCondition("result.healthy == result.total").build()),
        f.clock.instant()), f.clock.instant());
    assertThat(api.phase()).isEqualTo(io.orchestrationplane.delivery.analysis.AnalysisPhase.FAILED);
    Measurement m = api.metrics().get(0).measurements().get(0);
    assertThat(m.value().toText()).contains("progressing: 1", "Deployment");

    AnalysisRun none = analysis.evaluate(analysis.start(AnalysisTemplate.of("h", Metric.builder("x", "resource-health",
        "shop.shop-prod").option("name", "nothing-*").successCondition("result.healthy == result.total").build()),
        f.clock.instant()), f.clock.instant());
    assertThat(none.phase()).as("no matching object is no data").isEqualTo(io.orchestrationplane.delivery.analysis.AnalysisPhase.INCONCLUSIVE);
  }
}
