package io.orchestrationplane.delivery.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rows taken from Argo Rollouts' own tests and source, checked through the public API on a
 * manual clock.
 */
class ArgoParityTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-12-03T10:00:00Z"));
  private final AnalysisSemanticsTest.Scripted provider = new AnalysisSemanticsTest.Scripted("scripted");
  private final Analysis analysis = Analysis.builder().provider(provider).build();

  /**
   * After an ERROR measurement the next one is due DefaultErrorRetryInterval (10s) later, whatever
   * the metric's interval: analysis/analysis.go generateMetricTasks and calculateNextReconcileTime
   * ("if lastMeasurement.Phase == Error: interval = DefaultErrorRetryInterval, else if
   * metric.Interval != ''"), and analysis/analysis_test.go TestCalculateNextReconcileUponError
   * (no interval and interval 5m both give now + 10s). The 2s row is where a shorter interval
   * used to win.
   */
  @ParameterizedTest(name = "interval {0}: retry after an error at +{1}s")
  @CsvSource(nullValues = "none", value = {
      "none, 10",   // TestCalculateNextReconcileUponError, first case
      "5m,   10",   // TestCalculateNextReconcileUponError, second case
      "2s,   10",   // the error branch comes before the interval branch
      "1m,   10",
  })
  void anErrorIsRetriedAfterTenSecondsWhateverTheInterval(@Nullable String interval, long retrySeconds) {
    provider.thenFail("connection refused").then(0.001);
    Metric.Builder m = Metric.builder("m", "scripted", "q").successCondition("result[0] < 0.01");
    if (interval != null) {
      m.interval(io.orchestrationplane.delivery.Workflow.parseDuration(interval)).count(1);
    }
    AnalysisRun run = analysis.start(AnalysisTemplate.of("t", m.build()), clock.instant());
    Instant first = clock.instant();
    run = analysis.evaluate(run, clock.instant());
    assertThat(run.metrics().get(0).error()).isEqualTo(1);
    assertThat(run.nextDue()).contains(first.plusSeconds(retrySeconds));

    clock.advance(Duration.ofSeconds(retrySeconds));
    run = analysis.evaluate(run, clock.instant());
    assertThat(provider.asked).containsExactly(first, first.plusSeconds(retrySeconds));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  private final AnalysisSemanticsTest.Scripted errors = new AnalysisSemanticsTest.Scripted("errors");
  private final AnalysisSemanticsTest.Scripted latency = new AnalysisSemanticsTest.Scripted("latency");
  private final Analysis two = Analysis.builder().provider(errors).provider(latency).build();

  private AnalysisRun runToEnd(Analysis a, AnalysisRun run) {
    for (int i = 0; i < 100 && !run.completed(); i++) {
      Instant due = run.nextDue().orElseThrow();
      if (due.isAfter(clock.instant())) {
        clock.advance(Duration.between(clock.instant(), due));
      }
      run = a.evaluate(run, clock.instant());
    }
    return run;
  }

  /**
   * Dry-run metrics (docs/features/analysis.md, "Dry-Run Mode"; utils/analysis/helpers.go
   * GetDryRunMetrics and IsTerminating; analysis/analysis.go assessRunStatus): a rule is a regular
   * expression found anywhere in the metric's name; a dry-run metric's failure neither ends the
   * run nor decides its phase (TestAssessRunStatusErrorMessageAnalysisPhaseFail: Failed with the
   * message; ...InDryRunMode: Successful, empty message).
   */
  @ParameterizedTest(name = "dryRun {0}: {1}, latency measured {2} times")
  @CsvSource(nullValues = "none", value = {
      "none,     FAILED,     1",   // the failure ends the run: latency is not measured again
      "error,    SUCCESSFUL, 3",   // found inside 'error-rate'
      "'.*',     SUCCESSFUL, 3",   // every metric in dry run (the docs' example)
      "'^rate',  FAILED,     1",   // anchored: 'error-rate' does not start with 'rate'; 'latency' matches nothing either
      "latency,  FAILED,     1",   // the failing metric is not in dry run
  })
  void aDryRunMetricNeverDecidesTheRun(@Nullable String rule, AnalysisPhase phase, int latencyMeasurements) {
    errors.then(0.07);
    latency.then(0.1).then(0.1).then(0.1);
    List<Metric> metrics = List.of(
        Metric.builder("error-rate", "errors", "q").successCondition("result[0] < 0.01").build(),
        Metric.builder("latency", "latency", "q").successCondition("result[0] < 0.5").interval(Duration.ofMinutes(1))
            .count(3).build());
    if ("^rate".equals(rule)) {
      assertThatThrownBy(() -> new AnalysisTemplate("t", List.of(), metrics, List.of("^rate")))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("spec.dryRun[0].metricName").hasMessageContaining("'^rate' matches no metric name");
      return;
    }
    AnalysisTemplate t = new AnalysisTemplate("t", List.of(), metrics, rule == null ? List.of() : List.of(rule));
    AnalysisRun run = runToEnd(two, two.start(t, clock.instant()));

    assertThat(run.phase()).isEqualTo(phase);
    assertThat(latency.asked).hasSize(latencyMeasurements);
    MetricResult er = run.metrics().get(0);
    assertThat(er.phase()).as("the dry-run metric is still assessed").isEqualTo(AnalysisPhase.FAILED);
    if (phase == AnalysisPhase.SUCCESSFUL) {
      assertThat(er.message()).contains("failed (1) > failureLimit (0)", "dry run");
      assertThat(run.result()).isInstanceOf(AnalysisResult.Successful.class);
      assertThat(run.message()).doesNotContain("error-rate");
    } else {
      assertThat(((AnalysisResult.Failed) run.result()).metric()).isEqualTo("error-rate");
    }
    assertThat(AnalysisRun.fromJson(run.toJson())).as("the rules are stored with the run").isEqualTo(run);
  }

  /**
   * Rules are Go regular expressions (RE2), as Argo Rollouts compiles them: matched in linear time,
   * so a rule that backtracks exponentially in a backtracking engine ({@code (a+)+$|b} against 61
   * a's, a '-' and a 'b': about 2^60 steps there before the 'b') is decided at once; the preemptive timeout only keeps
   * a regression from hanging the build. Syntax Go refuses (lookahead, backreferences) is refused.
   */
  @org.junit.jupiter.api.Test
  void rulesAreGoRegularExpressionsMatchedInLinearTime() {
    String name = "a".repeat(61) + "-b";
    List<Metric> metrics = List.of(Metric.builder(name, "errors", "q").successCondition("result[0] < 0.01").build());
    AnalysisTemplate t = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> new AnalysisTemplate("t", List.of(), metrics, List.of("(a+)+$|b"),
            List.of(new AnalysisTemplate.Retention("(a|a)+$|b", 5))));
    assertThat(t.isDryRun(name)).isTrue();
    assertThat(t.retained(name)).isEqualTo(5);
    for (String goRefuses : List.of("a(?=b)", "(a)\\1")) {
      assertThatThrownBy(() -> new AnalysisTemplate("t", List.of(), metrics, List.of(goRefuses)))
          .isInstanceOf(ValidationException.class).hasMessageContaining("spec.dryRun[0].metricName")
          .hasMessageContaining("is not a regular expression (Go syntax)");
    }
  }

  @org.junit.jupiter.api.Test
  void anInconclusiveDryRunMetricDoesNotMakeTheRunInconclusive() {
    errors.then(0.03);
    latency.then(0.1);
    AnalysisTemplate t = new AnalysisTemplate("t", List.of(), List.of(
        Metric.builder("error-rate", "errors", "q").successCondition("result[0] < 0.01").failureCondition("result[0] > 0.05")
            .build(),
        Metric.builder("latency", "latency", "q").successCondition("result[0] < 0.5").build()), List.of("error-rate"));
    AnalysisRun run = runToEnd(two, two.start(t, clock.instant()));
    assertThat(run.metrics().get(0).phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @org.junit.jupiter.api.Test
  void dryRunIsReadFromYamlAndWrittenBack() {
    String yaml = """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          dryRun:
            - metricName: total-5xx-errors
          metrics:
            - name: total-5xx-errors
              interval: 5m
              failureCondition: result[0] >= 10
              failureLimit: 3
              provider: {errors: {query: q}}
            - name: total-4xx-errors
              interval: 5m
              failureCondition: result[0] >= 10
              failureLimit: 3
              provider: {errors: {query: q}}
        """;
    AnalysisTemplate t = AnalysisTemplate.fromYaml(yaml);
    assertThat(t.dryRun()).containsExactly("total-5xx-errors");
    assertThat(t.isDryRun("total-5xx-errors")).isTrue();
    assertThat(t.isDryRun("total-4xx-errors")).isFalse();
    assertThat(AnalysisTemplate.fromYaml(t.toYaml())).isEqualTo(t);

    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(yaml.replace("metricName: total-5xx-errors", "metricName: '['")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("spec.dryRun[0].metricName")
        .hasMessageContaining("is not a regular expression");
    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(yaml.replace("metricName: total-5xx-errors", "name: x")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("spec.dryRun[0].name")
        .hasMessageContaining("spec.dryRun[0].metricName");
  }

  /**
   * Measurement retention (docs/features/analysis.md, "Measurements Retention": "retain other
   * than the latest ten results"; limit 0 "revert[s] to ... retaining the latest ten";
   * analysis/analysis.go DefaultMeasurementHistoryLimit = 10 and garbageCollectMeasurements, which
   * applies a rule's limit only when it is above 0; helpers.go GetMeasurementRetentionMetrics, where
   * a later matching rule replaces an earlier one). 15 measurements are taken; the counters keep
   * counting.
   */
  @ParameterizedTest(name = "rules {0}: {1} kept")
  @CsvSource(nullValues = "none", value = {
      "none,              10",
      "error:20,          15",
      "'.*:3',            3",
      "'.*:0',            10",
      "'.*:3;error:5',    5",
      "'error:5;.*:3',    3",
      "'latency:2',       10",
  })
  void theLastMeasurementsAreKeptAsArgoKeepsThem(@Nullable String rules, int kept) {
    for (int i = 0; i < 15; i++) {
      errors.then(0.001);
    }
    latency.then(0.1);
    List<AnalysisTemplate.Retention> retention = new java.util.ArrayList<>();
    if (rules != null) {
      for (String r : rules.split(";")) {
        String[] kv = r.split(":");
        retention.add(new AnalysisTemplate.Retention(kv[0], Integer.parseInt(kv[1])));
      }
    }
    AnalysisTemplate t = new AnalysisTemplate("t", List.of(), List.of(
        Metric.builder("error-rate", "errors", "q").successCondition("result[0] < 0.01").interval(Duration.ofMinutes(1))
            .count(15).build(),
        Metric.builder("latency", "latency", "q").successCondition("result[0] < 0.5").build()), List.of(), retention);
    AnalysisRun run = runToEnd(two, two.start(t, clock.instant()));

    MetricResult er = run.metrics().get(0);
    assertThat(run.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(er.count()).isEqualTo(15);
    assertThat(er.successful()).isEqualTo(15);
    assertThat(er.measurements()).hasSize(kept);
    assertThat(er.last().orElseThrow().finishedAt()).as("the newest are kept").isEqualTo(clock.instant());
    assertThat(AnalysisRun.fromJson(run.toJson())).isEqualTo(run);
  }

  @org.junit.jupiter.api.Test
  void measurementRetentionIsReadFromYamlAndChecked() {
    String yaml = """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          measurementRetention:
            - metricName: total-5xx-errors
              limit: 20
          metrics:
            - name: total-5xx-errors
              interval: 5m
              failureCondition: result[0] >= 10
              failureLimit: 3
              provider: {errors: {query: q}}
        """;
    AnalysisTemplate t = AnalysisTemplate.fromYaml(yaml);
    assertThat(t.measurementRetention()).containsExactly(new AnalysisTemplate.Retention("total-5xx-errors", 20));
    assertThat(t.retained("total-5xx-errors")).isEqualTo(20);
    assertThat(AnalysisTemplate.fromYaml(t.toYaml())).isEqualTo(t);

    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(yaml.replace("limit: 20", "limit: -1")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("spec.measurementRetention[0].limit (line 7, column 7): must be from 0 (the default, 10) to 1000, got -1");
    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(yaml.replace("limit: 20", "limit: 1001")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("spec.measurementRetention[0].limit");
    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(yaml.replace("metricName: total-5xx-errors", "metricName: other")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("'other' matches no metric name");
    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(yaml.replace("      limit: 20\n", "")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("spec.measurementRetention[0].limit");
  }

  /**
   * {@code count: 0} is no count (pkg/apis/rollouts/v1alpha1 Metric.EffectiveCount: "if m.Count ==
   * nil || m.Count.IntValue() == 0": one measurement without an interval, none as the end with
   * one), as templates that write every field with its zero value have it.
   */
  @ParameterizedTest(name = "count {0}, interval {1}: measured {2} times by {3}")
  @CsvSource(nullValues = "none", value = {
      "0,    none, 1, SUCCESSFUL",
      "none, none, 1, SUCCESSFUL",
      "1,    none, 1, SUCCESSFUL",
      "0,    1m,   5, RUNNING",      // no end: still measuring after five intervals
      "none, 1m,   5, RUNNING",
      "2,    1m,   2, SUCCESSFUL",
  })
  void aCountOfZeroIsNoCount(@Nullable Integer count, @Nullable String interval, int measured, AnalysisPhase phase) {
    for (int i = 0; i < 5; i++) {
      provider.then(0.001);
    }
    String yaml = """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          metrics:
            - name: m
              successCondition: result[0] < 0.01
        %s%s      provider: {scripted: {query: q}}
        """.formatted(count == null ? "" : "      count: " + count + "\n",
            interval == null ? "" : "      interval: " + interval + "\n");
    AnalysisRun run = analysis.start(AnalysisTemplate.fromYaml(yaml), clock.instant());
    for (int i = 0; i < 5 && !run.completed(); i++) {
      if (i > 0) {
        clock.advance(Duration.ofMinutes(1));
      }
      run = analysis.evaluate(run, clock.instant());
    }
    assertThat(provider.asked).hasSize(measured);
    assertThat(run.phase()).isEqualTo(phase);
  }

  /**
   * Arguments in conditions: Argo resolves {@code {{args.NAME}}} in the whole metric, marshalled
   * to JSON (analysis/analysis.go resolveMetricArgs / utils/analysis ResolveMetricArgs), so a
   * threshold may be an argument: {@code successCondition: result[0] <= {{args.max-error-rate}}}.
   */
  @ParameterizedTest(name = "max {0}, measured {1}: {2}")
  @CsvSource(nullValues = "none", value = {
      "0.05, 0.03, SUCCESSFUL",
      "0.05, 0.07, FAILED",
      "none, 0.03, FAILED",        // the default, 0.01
      "0.1,  0.07, SUCCESSFUL",
  })
  void argumentsAreSubstitutedIntoConditions(@Nullable String max, double measured, AnalysisPhase phase) {
    provider.then(measured);
    AnalysisTemplate t = AnalysisTemplate.fromYaml("""
        apiVersion: orchestrationplane.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          args: [{name: max-error-rate, value: "0.01"}]
          metrics:
            - name: m
              successCondition: result[0] <= {{args.max-error-rate}}
              failureCondition: result[0] > {{ args.max-error-rate }}
              provider: {scripted: {query: q}}
        """);
    AnalysisRun run = analysis.start(t, max == null ? java.util.Map.of() : java.util.Map.of("max-error-rate", max),
        clock.instant());
    assertThat(run.template().metrics().get(0).successCondition())
        .isEqualTo("result[0] <= " + (max == null ? "0.01" : max));
    run = analysis.evaluate(run, clock.instant());
    assertThat(run.phase()).isEqualTo(phase);
    assertThat(AnalysisRun.fromJson(run.toJson())).isEqualTo(run);
  }

  @org.junit.jupiter.api.Test
  void aConditionArgumentIsCheckedWhenTheTemplateIsMadeAndWhenTheRunStarts() {
    String yaml = """
        apiVersion: orchestrationplane.io/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: t}
        spec:
          args: [{name: max}]
          metrics:
            - name: m
              successCondition: result[0] <= {{args.max}}
              provider: {scripted: {query: q}}
        """;
    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(yaml.replace("{{args.max}}", "{{args.other}}")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("spec.metrics[0].successCondition")
        .hasMessageContaining("refers to {{args.other}}, which spec.args does not declare");
    assertThatThrownBy(() -> AnalysisTemplate.fromYaml(yaml.replace("{{args.max}}", "{{args.max}} <")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("spec.metrics[0].successCondition")
        .hasMessageContaining("'result[0] <= {{args.max}} <' does not compile");
    AnalysisTemplate t = AnalysisTemplate.fromYaml(yaml);
    assertThatThrownBy(() -> analysis.start(t, java.util.Map.of("max", "0.05)"), clock.instant()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("spec.metrics[0].successCondition")
        .hasMessageContaining("'result[0] <= 0.05)' does not compile");
    assertThat(provider.asked).isEmpty();
  }
}
