package io.orchestrationplane.testkit.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.time.ManualClock;
import io.orchestrationplane.delivery.analysis.Analysis;
import io.orchestrationplane.delivery.analysis.AnalysisPhase;
import io.orchestrationplane.delivery.analysis.AnalysisResult;
import io.orchestrationplane.delivery.analysis.AnalysisRun;
import io.orchestrationplane.delivery.analysis.AnalysisTemplate;
import io.orchestrationplane.delivery.analysis.Measurement;
import io.orchestrationplane.delivery.analysis.Metric;
import io.orchestrationplane.delivery.analysis.MetricValue;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulatedMetricProviderTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2026-12-03T10:00:00Z"));
  private final SimulatedMetricProvider metrics = SimulatedMetricProvider.create(clock);
  private final Analysis analysis = Analysis.builder().provider(metrics).build();
  private final AnalysisTemplate template = AnalysisTemplate.of("canary", Metric.builder("errors", "simulated", "error-rate")
      .successCondition("result[0] < 0.01").interval(Duration.ofMinutes(1)).count(10).consecutiveErrorLimit(1).build());

  private AnalysisRun advance(AnalysisRun run) {
    clock.advance(Duration.between(clock.instant(), run.nextDue().orElseThrow()));
    return analysis.evaluate(run, clock.instant());
  }

  @Test
  void answersWhatTheTestScriptedForTheMeasurementsTime() {
    metrics.set("error-rate", MetricValue.vector(0.001))
        .setAt("error-rate", clock.instant().plus(Duration.ofMinutes(3)), MetricValue.vector(0.2));
    AnalysisRun run = analysis.evaluate(analysis.start(template, clock.instant()), clock.instant());
    run = advance(advance(run));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.RUNNING);
    run = advance(run);
    AnalysisResult.Failed failed = (AnalysisResult.Failed) run.result();
    assertThat(failed.measurement().finishedAt()).isEqualTo(Instant.parse("2026-12-03T10:03:00Z"));
    assertThat(failed.measurement().value()).isEqualTo(MetricValue.vector(0.2));
    assertThat(metrics.queries()).hasSize(4);
  }

  @Test
  void scriptedFailuresAndUnscriptedQueriesAreErrors() {
    metrics.fail("error-rate", "connection refused");
    AnalysisRun run = analysis.evaluate(analysis.start(template, clock.instant()), clock.instant());
    assertThat(run.metrics().get(0).measurements()).extracting(Measurement::message)
        .containsExactly("provider simulated: connection refused");
    SimulatedMetricProvider empty = SimulatedMetricProvider.create(clock, "other");
    Analysis other = Analysis.builder().provider(empty).build();
    AnalysisRun unscripted = other.evaluate(other.start(AnalysisTemplate.of("t",
        Metric.builder("m", "other", "q").build()), clock.instant()), clock.instant());
    assertThat(unscripted.metrics().get(0).measurements().get(0).phase()).isEqualTo(Measurement.Phase.ERROR);
  }
}
