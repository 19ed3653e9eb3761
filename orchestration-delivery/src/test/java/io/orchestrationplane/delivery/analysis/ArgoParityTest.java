package io.orchestrationplane.delivery.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
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
}
