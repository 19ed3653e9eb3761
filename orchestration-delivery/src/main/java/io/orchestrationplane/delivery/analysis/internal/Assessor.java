package io.orchestrationplane.delivery.analysis.internal;

import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.delivery.analysis.AnalysisPhase;
import io.orchestrationplane.delivery.analysis.AnalysisResult;
import io.orchestrationplane.delivery.analysis.AnalysisRun;
import io.orchestrationplane.delivery.analysis.AnalysisTemplate;
import io.orchestrationplane.delivery.analysis.Measurement;
import io.orchestrationplane.delivery.analysis.Metric;
import io.orchestrationplane.delivery.analysis.MetricProvider;
import io.orchestrationplane.delivery.analysis.MetricQuery;
import io.orchestrationplane.delivery.analysis.MetricResult;
import io.orchestrationplane.delivery.analysis.MetricValue;
import io.orchestrationplane.policy.CelExpression;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Argo Rollouts' analysis rules: when a metric is due, how a measurement is judged
 * ({@code EvaluateResult}), how a metric is assessed ({@code assessMetricStatus}) and how the run
 * is ({@code assessRunStatus}); with one deliberate difference, no data and NaN are INCONCLUSIVE
 * before any condition runs (argo-rollouts issue 4479).
 */
public final class Assessor {
  private Assessor() {}

  public static AnalysisTemplate substitute(AnalysisTemplate t, Map<String, String> args) {
    if (args.isEmpty()) {
      return t;
    }
    List<Metric> metrics = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < t.metrics().size(); i++) {
      Metric m = t.metrics().get(i);
      Metric.Builder b = Metric.builder(m.name(), m.provider(), AnalysisTemplate.substitute(m.query(), args))
          .interval(m.interval()).initialDelay(m.initialDelay()).count(m.count())
          .successCondition(m.successCondition() == null ? null : AnalysisTemplate.substitute(m.successCondition(), args))
          .failureCondition(m.failureCondition() == null ? null : AnalysisTemplate.substitute(m.failureCondition(), args))
          .failureLimit(m.failureLimit()).inconclusiveLimit(m.inconclusiveLimit())
          .consecutiveErrorLimit(m.consecutiveErrorLimit());
      m.options().forEach((k, v) -> b.option(k, AnalysisTemplate.substitute(v, args)));
      try {
        metrics.add(b.build());
      } catch (ValidationException e) {
        String at = "spec.metrics[" + i + "].";
        e.problems().forEach(p -> problems.add(Problem.at(at + p.path(), p.message() + " (with the run's arguments)")));
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException("AnalysisTemplate '" + t.name() + "'", problems);
    }
    return new AnalysisTemplate(t.name(), t.args(), metrics, t.dryRun(), t.measurementRetention());
  }

  public static AnalysisRun start(AnalysisTemplate t, Map<String, String> args, Instant now) {
    return new AnalysisRun(t, args, now, false, AnalysisPhase.PENDING, "",
        t.metrics().stream().map(m -> MetricResult.pending(m.name())).toList());
  }

  /** When the metric next wants a measurement, or empty when it is done. */
  public static Optional<Instant> due(Metric m, MetricResult r, Instant startedAt) {
    if (r.phase().completed()) {
      return Optional.empty();
    }
    Optional<Measurement> last = r.last();
    if (last.isEmpty()) {
      return Optional.of(startedAt.plus(m.initialDelay()));
    }
    Measurement l = last.get();
    if (l.phase() == Measurement.Phase.ERROR) {
      // Argo checks the error before the interval: an error is retried after 10s, interval or not
      return Optional.of(l.finishedAt().plus(Metric.ERROR_RETRY_INTERVAL));
    }
    if (m.interval() == null) {
      // count reached is completed above; a count without an interval is refused at construction
      return Optional.of(l.finishedAt());
    }
    return Optional.of(l.finishedAt().plus(m.interval()));
  }

  public static Optional<Instant> nextDue(AnalysisRun run) {
    if (run.completed() || run.terminated()) {
      return Optional.empty();
    }
    Instant next = null;
    for (int i = 0; i < run.metrics().size(); i++) {
      Optional<Instant> d = due(run.template().metrics().get(i), run.metrics().get(i), run.startedAt());
      if (d.isPresent() && (next == null || d.get().isBefore(next))) {
        next = d.get();
      }
    }
    return Optional.ofNullable(next);
  }

  public static AnalysisRun evaluate(AnalysisRun run, Instant now, Function<String, MetricProvider> providers) {
    if (run.completed()) {
      return run;
    }
    List<Metric> metrics = run.template().metrics();
    List<MetricResult> results = new ArrayList<>(run.metrics());
    if (!run.terminated() && !terminating(run.template(), results)) {
      for (int i = 0; i < metrics.size(); i++) {
        Metric m = metrics.get(i);
        MetricResult r = results.get(i);
        Optional<Instant> due = due(m, r, run.startedAt());
        if (due.isPresent() && !due.get().isAfter(now)) {
          results.set(i, record(r, measure(m, providers.apply(m.provider()), now), run.template().retained(m.name())));
        }
      }
    }
    return assess(run, results);
  }

  public static AnalysisRun terminate(AnalysisRun run) {
    if (run.completed()) {
      return run;
    }
    AnalysisRun t = new AnalysisRun(run.template(), run.args(), run.startedAt(), true, run.phase(), run.message(), run.metrics());
    return assess(t, new ArrayList<>(run.metrics()));
  }

  /**
   * Assesses every metric, then the run (Argo's {@code assessRunStatus}): when a metric turned
   * bad, the others are assessed again as terminating. The run takes the worst phase of its
   * completed metrics that are not in dry run; a completed dry-run metric counts as SUCCESSFUL.
   */
  private static AnalysisRun assess(AnalysisRun run, List<MetricResult> results) {
    AnalysisTemplate t = run.template();
    List<Metric> metrics = t.metrics();
    boolean terminating = run.terminated() || terminating(t, results);
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < metrics.size(); i++) {
        results.set(i, assessMetric(metrics.get(i), results.get(i), terminating, t.isDryRun(metrics.get(i).name())));
      }
      boolean now = run.terminated() || terminating(t, results);
      if (now == terminating) {
        break;
      }
      terminating = now;
    }
    AnalysisPhase worst = null;
    String message = "";
    boolean everythingCompleted = true;
    for (int i = 0; i < results.size(); i++) {
      MetricResult r = results.get(i);
      if (!r.phase().completed()) {
        everythingCompleted = false;
      } else if (t.isDryRun(r.name())) {
        if (worst == null) {
          worst = AnalysisPhase.SUCCESSFUL;
        }
      } else if (worst == null || r.phase().isWorseThan(worst)) {
        worst = r.phase();
        message = r.message();
      }
    }
    AnalysisPhase phase;
    if (terminating) {
      phase = worst == null ? AnalysisPhase.SUCCESSFUL : worst;
    } else if (!everythingCompleted || worst == null) {
      boolean anyMeasured = results.stream().anyMatch(r -> !r.measurements().isEmpty());
      phase = anyMeasured ? AnalysisPhase.RUNNING : AnalysisPhase.PENDING;
      message = "";
    } else {
      phase = worst;
    }
    if (phase == AnalysisPhase.SUCCESSFUL && message.isEmpty()) {
      message = run.terminated() ? "run terminated" : "every metric completed successfully";
    }
    return new AnalysisRun(run.template(), run.args(), run.startedAt(), run.terminated(), phase, message, results);
  }

  /** Argo's {@code IsTerminating}: a metric not in dry run is FAILED, ERROR or INCONCLUSIVE. */
  private static boolean terminating(AnalysisTemplate t, List<MetricResult> results) {
    return results.stream().anyMatch(r -> (r.phase() == AnalysisPhase.FAILED || r.phase() == AnalysisPhase.ERROR
        || r.phase() == AnalysisPhase.INCONCLUSIVE) && !t.isDryRun(r.name()));
  }

  /** Argo's assessMetricStatus; a dry-run metric's bad phase says in its message that it decides nothing. */
  static MetricResult assessMetric(Metric m, MetricResult r, boolean terminating, boolean dryRun) {
    if (r.phase().completed()) {
      return r;
    }
    MetricResult a = assessMetric(m, r, terminating);
    if (dryRun && a.phase().completed() && a.phase() != AnalysisPhase.SUCCESSFUL) {
      return with(a, a.phase(), a.message() + " (dry run: it does not decide the run)");
    }
    return a;
  }

  private static MetricResult assessMetric(Metric m, MetricResult r, boolean terminating) {
    if (r.measurements().isEmpty()) {
      return terminating ? with(r, AnalysisPhase.SUCCESSFUL, "metric '" + m.name() + "' assessed Successful: run terminated before its first measurement")
          : with(r, AnalysisPhase.PENDING, "");
    }
    if (m.failureLimit() >= 0 && r.failed() > m.failureLimit()) {
      return with(r, AnalysisPhase.FAILED, "metric '" + m.name() + "' assessed Failed due to failed (" + r.failed()
          + ") > failureLimit (" + m.failureLimit() + ")");
    }
    if (m.inconclusiveLimit() >= 0 && r.inconclusive() > m.inconclusiveLimit()) {
      return with(r, AnalysisPhase.INCONCLUSIVE, "metric '" + m.name() + "' assessed Inconclusive due to inconclusive ("
          + r.inconclusive() + ") > inconclusiveLimit (" + m.inconclusiveLimit() + ")");
    }
    if (m.consecutiveErrorLimit() >= 0 && r.consecutiveError() > m.consecutiveErrorLimit()) {
      String last = r.last(Measurement.Phase.ERROR).map(Measurement::message).orElse("");
      return with(r, AnalysisPhase.ERROR, "metric '" + m.name() + "' assessed Error due to consecutiveErrors ("
          + r.consecutiveError() + ") > consecutiveErrorLimit (" + m.consecutiveErrorLimit() + "): " + last);
    }
    Integer count = m.effectiveCount();
    if (count != null && r.count() >= count) {
      return with(r, AnalysisPhase.SUCCESSFUL, "metric '" + m.name() + "' assessed Successful: " + r.count()
          + " of " + count + " measurements taken within the limits");
    }
    if (terminating) {
      return with(r, AnalysisPhase.SUCCESSFUL, "metric '" + m.name() + "' assessed Successful: run terminated");
    }
    return with(r, AnalysisPhase.RUNNING, "");
  }

  private static MetricResult with(MetricResult r, AnalysisPhase phase, String message) {
    return new MetricResult(r.name(), phase, r.count(), r.successful(), r.failed(), r.inconclusive(), r.error(),
        r.consecutiveError(), r.measurements(), message);
  }

  /** The counters after one more measurement (an error counts towards consecutive errors, anything else resets them). */
  static MetricResult record(MetricResult r, Measurement m, int retained) {
    List<Measurement> ms = new ArrayList<>(r.measurements());
    ms.add(m);
    while (ms.size() > retained) {
      ms.remove(0);
    }
    int count = r.count();
    int successful = r.successful();
    int failed = r.failed();
    int inconclusive = r.inconclusive();
    int error = r.error();
    int consecutive = 0;
    switch (m.phase()) {
      case SUCCESSFUL -> { successful++; count++; }
      case FAILED -> { failed++; count++; }
      case INCONCLUSIVE -> { inconclusive++; count++; }
      case ERROR -> { error++; consecutive = r.consecutiveError() + 1; }
    }
    return new MetricResult(r.name(), AnalysisPhase.RUNNING, count, successful, failed, inconclusive, error, consecutive,
        ms, "");
  }

  /** Takes and judges one measurement; never throws for what the provider does. */
  public static Measurement measure(Metric m, MetricProvider provider, Instant now) {
    MetricValue value;
    try {
      value = provider.measure(new MetricQuery(m.name(), m.query(), m.options(), now));
    } catch (RuntimeException e) {
      String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
      return new Measurement(m.name(), Measurement.Phase.ERROR, now, now, null, null, "provider " + m.provider() + ": " + why);
    }
    if (value == null) {
      return new Measurement(m.name(), Measurement.Phase.ERROR, now, now, null, null, "provider " + m.provider() + " returned nothing");
    }
    return judge(m, value, now);
  }

  /** Argo's EvaluateResult, after the no-data and NaN rule. */
  public static Measurement judge(Metric m, MetricValue value, Instant now) {
    if (value.hasNoData()) {
      return new Measurement(m.name(), Measurement.Phase.INCONCLUSIVE, now, now, value, null,
          "no data: the query returned an empty result (never judged a success)");
    }
    if (value.hasNaN()) {
      return new Measurement(m.name(), Measurement.Phase.INCONCLUSIVE, now, now, value, null,
          "the result holds NaN (never judged a success)");
    }
    String sc = m.successCondition();
    String fc = m.failureCondition();
    if (sc == null && fc == null) {
      return new Measurement(m.name(), Measurement.Phase.SUCCESSFUL, now, now, value, null, "no condition: any value is successful");
    }
    Object cel = value.toCel();
    boolean success = false;
    boolean failure = false;
    if (sc != null) {
      Eval e = eval(sc, cel);
      if (e.error() != null) {
        return error(m, "successCondition", sc, value, e.error(), now);
      }
      success = e.value();
    }
    if (fc != null) {
      Eval e = eval(fc, cel);
      if (e.error() != null) {
        return error(m, "failureCondition", fc, value, e.error(), now);
      }
      failure = e.value();
    }
    if (fc != null && failure) {
      return new Measurement(m.name(), Measurement.Phase.FAILED, now, now, value, fc,
          "failureCondition " + fc + " held for " + value.toText());
    }
    if (sc != null && fc == null && !success) {
      return new Measurement(m.name(), Measurement.Phase.FAILED, now, now, value, sc,
          "successCondition " + sc + " did not hold for " + value.toText());
    }
    if (sc != null && !success) {
      return new Measurement(m.name(), Measurement.Phase.INCONCLUSIVE, now, now, value, sc,
          "neither successCondition " + sc + " nor failureCondition " + fc + " held for " + value.toText());
    }
    String expr = sc != null ? sc : fc;
    return new Measurement(m.name(), Measurement.Phase.SUCCESSFUL, now, now, value, expr,
        (sc != null ? "successCondition " + sc + " held" : "failureCondition " + fc + " did not hold") + " for " + value.toText());
  }

  private record Eval(boolean value, @Nullable String error) {}

  private static Eval eval(String expression, Object cel) {
    try {
      Map<String, Object> vars = new LinkedHashMap<>();
      vars.put(Conditions.RESULT, cel);
      CelExpression c = Conditions.compile(expression);
      return new Eval(c.evaluateBoolean(vars), null);
    } catch (RuntimeException e) {
      return new Eval(false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private static Measurement error(Metric m, String field, String expr, MetricValue value, String why, Instant now) {
    return new Measurement(m.name(), Measurement.Phase.ERROR, now, now, value, expr,
        field + " " + expr + " could not be evaluated for " + value.toText() + ": " + why);
  }

  /** The result of a run. */
  public static AnalysisResult result(AnalysisRun run) {
    List<MetricResult> ms = run.metrics();
    AnalysisPhase phase = run.phase();
    if (!phase.completed()) {
      return new AnalysisResult.Running(ms, nextDue(run));
    }
    if (phase == AnalysisPhase.SUCCESSFUL) {
      return new AnalysisResult.Successful(ms, run.message());
    }
    MetricResult decisive = ms.stream().filter(r -> r.phase() == phase && !run.template().isDryRun(r.name())).findFirst().orElseThrow(
        () -> new IllegalStateException("run " + run.template().name() + " is " + phase + " without a metric in that phase"));
    Measurement.Phase mp = switch (phase) {
      case FAILED -> Measurement.Phase.FAILED;
      case INCONCLUSIVE -> Measurement.Phase.INCONCLUSIVE;
      default -> Measurement.Phase.ERROR;
    };
    Measurement m = decisive.last(mp).orElseGet(() -> decisive.last().orElseThrow());
    return switch (phase) {
      case FAILED -> new AnalysisResult.Failed(ms, run.message(), decisive.name(), m);
      case INCONCLUSIVE -> new AnalysisResult.Inconclusive(ms, run.message(), decisive.name(), m);
      default -> new AnalysisResult.Errored(ms, run.message(), decisive.name(), m);
    };
  }
}
