package io.orchestrationplane.delivery.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Argo Rollouts' analysis semantics, on a fake clock, through the public API. */
class AnalysisSemanticsTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-12-03T10:00:00Z"));
  private final Scripted provider = new Scripted("scripted");
  private final Analysis analysis = Analysis.builder().provider(provider).build();

  /** A provider that answers from a queue a test fills; it records when it was asked. */
  static final class Scripted implements MetricProvider {
    private final String name;
    final Deque<Supplier<MetricValue>> answers = new ArrayDeque<>();
    final List<Instant> asked = new ArrayList<>();

    Scripted(String name) {
      this.name = name;
    }

    Scripted then(double... vector) {
      answers.add(() -> MetricValue.vector(vector));
      return this;
    }

    Scripted thenValue(MetricValue v) {
      answers.add(() -> v);
      return this;
    }

    Scripted thenFail(String message) {
      answers.add(() -> {
        throw new MetricProviderException(message);
      });
      return this;
    }

    @Override public String name() {
      return name;
    }

    @Override public MetricValue measure(MetricQuery query) {
      asked.add(query.time());
      Supplier<MetricValue> next = answers.poll();
      if (next == null) {
        throw new AssertionError("asked more often than scripted, at " + query.time());
      }
      return next.get();
    }
  }

  private static Metric.Builder errorRate() {
    return Metric.builder("error-rate", "scripted", "errors").successCondition("result[0] < 0.01");
  }

  private AnalysisRun runToEnd(AnalysisRun run) {
    for (int i = 0; i < 1000 && !run.completed(); i++) {
      Instant due = run.nextDue().orElseThrow();
      if (due.isAfter(clock.instant())) {
        clock.advance(Duration.between(clock.instant(), due));
      }
      run = analysis.evaluate(run, clock.instant());
    }
    return run;
  }

  @Test
  void measuresCountTimesAtTheIntervalAfterTheInitialDelay() {
    provider.then(0.001).then(0.002).then(0.003);
    AnalysisTemplate t = AnalysisTemplate.of("t", errorRate().interval(Duration.ofMinutes(1)).count(3)
        .initialDelay(Duration.ofSeconds(30)).build());
    AnalysisRun run = analysis.start(t, clock.instant());
    assertThat(run.phase()).isEqualTo(AnalysisPhase.PENDING);
    assertThat(run.nextDue()).contains(Instant.parse("2026-12-03T10:00:30Z"));

    run = analysis.evaluate(run, clock.instant());
    assertThat(provider.asked).as("nothing is due before the initial delay").isEmpty();

    run = runToEnd(run);
    assertThat(provider.asked).containsExactly(Instant.parse("2026-12-03T10:00:30Z"),
        Instant.parse("2026-12-03T10:01:30Z"), Instant.parse("2026-12-03T10:02:30Z"));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(run.result()).isInstanceOf(AnalysisResult.Successful.class);
    assertThat(run.result().metrics().get(0).measurements()).extracting(Measurement::phase)
        .containsOnly(Measurement.Phase.SUCCESSFUL);
    assertThat(run.nextDue()).isEmpty();
  }

  @Test
  void aMetricWithoutCountOrIntervalMeasuresOnce() {
    provider.then(0.5);
    AnalysisRun run = runToEnd(analysis.start(AnalysisTemplate.of("t",
        Metric.builder("m", "scripted", "q").successCondition("result[0] > 0.1").build()), clock.instant()));
    assertThat(provider.asked).hasSize(1);
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void oneFailedMeasurementFailsTheRunWithTheDefaultFailureLimitOfZero() {
    provider.then(0.001).then(0.07);
    AnalysisTemplate t = AnalysisTemplate.of("t", errorRate().interval(Duration.ofMinutes(1)).count(5).build());
    AnalysisRun run = runToEnd(analysis.start(t, clock.instant()));

    assertThat(provider.asked).as("the run stops at the first failure").hasSize(2);
    AnalysisResult.Failed f = (AnalysisResult.Failed) run.result();
    assertThat(f.metric()).isEqualTo("error-rate");
    assertThat(f.measurement().expression()).isEqualTo("result[0] < 0.01");
    assertThat(f.measurement().value()).isEqualTo(MetricValue.vector(0.07));
    assertThat(f.measurement().message()).contains("result[0] < 0.01", "did not hold", "[0.07]");
    assertThat(f.message()).contains("failed (1) > failureLimit (0)");
  }

  @Test
  void failureLimitToleratesThatManyFailures() {
    provider.then(0.5).then(0.001).then(0.5).then(0.5);
    AnalysisTemplate t = AnalysisTemplate.of("t", errorRate().interval(Duration.ofMinutes(1)).count(4).failureLimit(2).build());
    AnalysisRun run = analysis.start(t, clock.instant());
    run = analysis.evaluate(run, clock.instant());
    clock.advance(Duration.ofMinutes(1));
    run = analysis.evaluate(run, clock.instant());
    clock.advance(Duration.ofMinutes(1));
    run = analysis.evaluate(run, clock.instant());
    assertThat(run.phase()).as("2 failures are within failureLimit 2").isEqualTo(AnalysisPhase.RUNNING);
    clock.advance(Duration.ofMinutes(1));
    run = analysis.evaluate(run, clock.instant());
    assertThat(run.phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(run.metrics().get(0).failed()).isEqualTo(3);
  }

  @Test
  void failureConditionAloneSucceedsWhenItDoesNotHold() {
    provider.then(0.001).then(0.2);
    AnalysisTemplate t = AnalysisTemplate.of("t", Metric.builder("m", "scripted", "q").failureCondition("result[0] > 0.1")
        .interval(Duration.ofMinutes(1)).count(2).build());
    AnalysisRun run = runToEnd(analysis.start(t, clock.instant()));
    assertThat(run.metrics().get(0).measurements()).extracting(Measurement::phase)
        .containsExactly(Measurement.Phase.SUCCESSFUL, Measurement.Phase.FAILED);
    assertThat(((AnalysisResult.Failed) run.result()).measurement().expression()).isEqualTo("result[0] > 0.1");
  }

  @Test
  void bothConditionsFalseIsInconclusiveAndTheInconclusiveLimitEndsTheRun() {
    provider.then(0.05).then(0.05);
    AnalysisTemplate t = AnalysisTemplate.of("t", Metric.builder("m", "scripted", "q")
        .successCondition("result[0] < 0.01").failureCondition("result[0] > 0.1")
        .interval(Duration.ofMinutes(1)).count(3).inconclusiveLimit(1).build());
    AnalysisRun run = runToEnd(analysis.start(t, clock.instant()));
    assertThat(provider.asked).hasSize(2);
    AnalysisResult.Inconclusive r = (AnalysisResult.Inconclusive) run.result();
    assertThat(r.message()).contains("inconclusive (2) > inconclusiveLimit (1)");
    assertThat(r.measurement().message()).contains("neither");
  }

  @Test
  void bothConditionsTrueIsAFailure() {
    provider.then(0.05);
    AnalysisTemplate t = AnalysisTemplate.of("t", Metric.builder("m", "scripted", "q")
        .successCondition("result[0] > 0.0").failureCondition("result[0] > 0.01").build());
    assertThat(runToEnd(analysis.start(t, clock.instant())).phase()).isEqualTo(AnalysisPhase.FAILED);
  }

  @Test
  void nanIsInconclusiveNeverASuccessEvenWhenOnlyAFailureConditionIsSet() {
    // argo-rollouts issue 4479: NaN > 0.01 is false, so a lone failureCondition would pass it
    provider.then(Double.NaN);
    AnalysisTemplate t = AnalysisTemplate.of("t", Metric.builder("m", "scripted", "q").failureCondition("result[0] > 0.01").build());
    AnalysisRun run = runToEnd(analysis.start(t, clock.instant()));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(run.metrics().get(0).measurements().get(0).message()).contains("NaN");
  }

  @Test
  void anEmptyVectorIsInconclusiveNotAnErrorOrASuccess() {
    provider.then();
    AnalysisTemplate t = AnalysisTemplate.of("t", Metric.builder("m", "scripted", "q").failureCondition("result[0] > 0.01").build());
    AnalysisRun run = runToEnd(analysis.start(t, clock.instant()));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(((AnalysisResult.Inconclusive) run.result()).measurement().message()).contains("no data");
  }

  @Test
  void aNaNInAStructuredResultIsInconclusive() {
    provider.thenValue(MetricValue.structured(Map.of("errorRate", Double.NaN)));
    AnalysisTemplate t = AnalysisTemplate.of("t", Metric.builder("m", "scripted", "q").successCondition("result.errorRate < 0.01").build());
    assertThat(runToEnd(analysis.start(t, clock.instant())).phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
  }

  @Test
  void structuredResultsAreReadByField() {
    provider.thenValue(MetricValue.structured(Map.of("errorRate", 0.002, "requests", 1200)));
    AnalysisTemplate t = AnalysisTemplate.of("t", Metric.builder("m", "scripted", "q")
        .successCondition("result.errorRate < 0.01 && result.requests > 100").build());
    assertThat(runToEnd(analysis.start(t, clock.instant())).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void providerErrorsAreErrorsUpToTheConsecutiveErrorLimitOfFourAndRetryAfterTenSeconds() {
    for (int i = 0; i < 5; i++) {
      provider.thenFail("connection refused");
    }
    AnalysisTemplate t = AnalysisTemplate.of("t", errorRate().interval(Duration.ofMinutes(1)).count(3).build());
    AnalysisRun run = analysis.start(t, clock.instant());
    for (int i = 0; i < 4; i++) {
      run = analysis.evaluate(run, clock.instant());
      assertThat(run.phase()).isEqualTo(AnalysisPhase.RUNNING);
      assertThat(run.nextDue()).contains(clock.instant().plusSeconds(10));
      clock.advance(Duration.ofSeconds(10));
    }
    run = analysis.evaluate(run, clock.instant());
    AnalysisResult.Errored e = (AnalysisResult.Errored) run.result();
    assertThat(e.message()).contains("consecutiveErrors (5) > consecutiveErrorLimit (4)", "connection refused");
    assertThat(e.measurement().value()).isNull();
    assertThat(run.metrics().get(0).count()).as("errors do not count towards count").isZero();
  }

  @Test
  void aMeasurementThatIsNotAnErrorResetsTheConsecutiveErrors() {
    provider.thenFail("a").thenFail("b").thenFail("c").thenFail("d").then(0.001).thenFail("e").thenFail("f")
        .thenFail("g").thenFail("h").then(0.001);
    AnalysisTemplate t = AnalysisTemplate.of("t", errorRate().interval(Duration.ofMinutes(1)).count(2).build());
    AnalysisRun run = runToEnd(analysis.start(t, clock.instant()));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(run.metrics().get(0).error()).isEqualTo(8);
    assertThat(run.metrics().get(0).consecutiveError()).isZero();
  }

  @Test
  void aConditionThatCannotBeEvaluatedIsAnError() {
    provider.thenValue(MetricValue.structured(Map.of("other", 1)));
    AnalysisTemplate t = AnalysisTemplate.of("t", Metric.builder("m", "scripted", "q").successCondition("result.errorRate < 0.01")
        .consecutiveErrorLimit(0).build());
    AnalysisRun run = runToEnd(analysis.start(t, clock.instant()));
    AnalysisResult.Errored e = (AnalysisResult.Errored) run.result();
    assertThat(e.measurement().expression()).isEqualTo("result.errorRate < 0.01");
    assertThat(e.measurement().message()).contains("could not be evaluated");
  }

  @Test
  void aFailingMetricTerminatesTheOthersAndTheRunTakesTheWorstPhase() {
    Scripted other = new Scripted("other");
    Analysis two = Analysis.builder().provider(provider).provider(other).build();
    provider.then(0.5);
    other.then(1);
    AnalysisTemplate t = AnalysisTemplate.of("t", errorRate().build(),
        Metric.builder("latency", "other", "q").successCondition("result[0] < 2").interval(Duration.ofMinutes(1)).build());
    AnalysisRun run = two.evaluate(two.start(t, clock.instant()), clock.instant());
    assertThat(run.phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(run.metric("latency").orElseThrow().phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void anIndefiniteMetricRunsUntilTerminated() {
    for (int i = 0; i < 5; i++) {
      provider.then(0.001);
    }
    AnalysisTemplate t = AnalysisTemplate.of("t", errorRate().interval(Duration.ofMinutes(1)).build());
    AnalysisRun run = analysis.start(t, clock.instant());
    for (int i = 0; i < 5; i++) {
      run = analysis.evaluate(run, clock.instant());
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(run.phase()).isEqualTo(AnalysisPhase.RUNNING);
    run = analysis.terminate(run);
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(run.message()).contains("terminated");
    assertThat(analysis.evaluate(run, clock.instant())).isEqualTo(run);
  }

  @Test
  void anOverdueMetricIsMeasuredOnceAndNotBackFilled() {
    provider.then(0.001).then(0.001);
    AnalysisTemplate t = AnalysisTemplate.of("t", errorRate().interval(Duration.ofMinutes(1)).count(5).build());
    AnalysisRun run = analysis.evaluate(analysis.start(t, clock.instant()), clock.instant());
    clock.advance(Duration.ofMinutes(10));
    run = analysis.evaluate(run, clock.instant());
    assertThat(provider.asked).hasSize(2);
    assertThat(run.nextDue()).contains(clock.instant().plus(Duration.ofMinutes(1)));
  }

  @Test
  void aRunResumesFromItsStoredJsonMidRun() {
    provider.then(0.001).then(0.5);
    AnalysisTemplate t = AnalysisTemplate.of("t", errorRate().interval(Duration.ofMinutes(1)).count(3).failureLimit(1).build());
    AnalysisRun run = analysis.evaluate(analysis.start(t, clock.instant()), clock.instant());
    clock.advance(Duration.ofMinutes(1));
    run = analysis.evaluate(run, clock.instant());
    String stored = Json.JSON.writeValueAsString(run.toJson());

    // a new plane: a new Analysis over a new provider instance, the run read back from text
    Scripted after = new Scripted("scripted").then(Double.NaN);
    Analysis restarted = Analysis.builder().provider(after).build();
    AnalysisRun resumed = AnalysisRun.fromJson(Json.readJson(stored));
    assertThat(resumed).isEqualTo(run);
    assertThat(resumed.nextDue()).contains(clock.instant().plus(Duration.ofMinutes(1)));
    clock.advance(Duration.ofMinutes(1));
    resumed = restarted.evaluate(resumed, clock.instant());
    assertThat(resumed.metrics().get(0).measurements()).extracting(Measurement::phase)
        .containsExactly(Measurement.Phase.SUCCESSFUL, Measurement.Phase.FAILED, Measurement.Phase.INCONCLUSIVE);
    assertThat(resumed.phase()).as("the inconclusive limit of 0 is exceeded").isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(AnalysisRun.fromJson(resumed.toJson())).isEqualTo(resumed);
  }

  @Test
  void argumentsAreSubstitutedIntoQueries() {
    List<String> queries = new ArrayList<>();
    MetricProvider p = new MetricProvider() {
      @Override public String name() {
        return "p";
      }

      @Override public MetricValue measure(MetricQuery q) {
        queries.add(q.query());
        return MetricValue.scalar(1);
      }
    };
    AnalysisTemplate t = new AnalysisTemplate("t", List.of(new AnalysisTemplate.Argument("service", null),
        new AnalysisTemplate.Argument("window", "5m")),
        List.of(Metric.builder("m", "p", "rate(errors{service=\"{{args.service}}\"}[{{ args.window }}])").build()));
    Analysis a = Analysis.builder().provider(p).build();
    a.evaluate(a.start(t, Map.of("service", "shop-canary"), clock.instant()), clock.instant());
    assertThat(queries).containsExactly("rate(errors{service=\"shop-canary\"}[5m])");
    assertThatThrownBy(() -> a.start(t, Map.of(), clock.instant())).isInstanceOf(ValidationException.class)
        .hasMessageContaining("args.service");
  }

  @Test
  void aConditionThatDoesNotCompileIsRefusedWithTheExpressionAndColumn() {
    assertThatThrownBy(() -> Metric.builder("m", "scripted", "q").successCondition("result[0] >= ").build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("successCondition")
        .hasMessageContaining("'result[0] >= '")
        .hasMessageContaining("column");
  }

  @Test
  void limitsAndCountsAreChecked() {
    assertThatThrownBy(() -> Metric.builder("m", "scripted", "q").count(3).build())
        .hasMessageContaining("interval").hasMessageContaining("count is greater than 1");
    assertThatThrownBy(() -> Metric.builder("m", "scripted", "q").interval(Duration.ofMinutes(1)).count(2).failureLimit(3).build())
        .hasMessageContaining("failureLimit");
    assertThatThrownBy(() -> Metric.builder("m", "scripted", "q").consecutiveErrorLimit(-2).build())
        .hasMessageContaining("consecutiveErrorLimit");
  }

  @Test
  void startingNamesAnUnregisteredProvider() {
    AnalysisTemplate t = AnalysisTemplate.of("t", Metric.builder("m", "datadog", "q").build());
    assertThatThrownBy(() -> analysis.start(t, clock.instant())).isInstanceOf(ValidationException.class)
        .hasMessageContaining("spec.metrics[0].provider").hasMessageContaining("datadog");
  }

  @Test
  void aFailureLimitOfMinusOneNeverFails() {
    provider.then(0.5).then(0.5);
    AnalysisTemplate t = AnalysisTemplate.of("t", errorRate().interval(Duration.ofMinutes(1)).count(2).failureLimit(-1).build());
    AnalysisRun run = runToEnd(analysis.start(t, clock.instant()));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(run.metrics().get(0).failed()).isEqualTo(2);
  }
}
