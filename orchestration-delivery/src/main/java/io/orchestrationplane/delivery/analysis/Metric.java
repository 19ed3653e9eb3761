package io.orchestrationplane.delivery.analysis;

import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.delivery.analysis.internal.Conditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One metric of an {@link AnalysisTemplate}, as a metric of Argo Rollouts' AnalysisTemplate: a
 * provider and its query, when to measure ({@code initialDelay}, {@code interval}, {@code count})
 * and how to judge each measurement (CEL conditions over {@code result}) and the metric as a
 * whole (the limits). Conditions are compiled when the metric is built: a condition that does not
 * compile is a {@link ValidationException} naming the field, the expression, line and column.
 *
 * <pre>{@code
 * Metric errors = Metric.builder("error-rate", "prometheus", "sum(rate(http_errors[1m])) / sum(rate(http_requests[1m]))")
 *     .interval(Duration.ofMinutes(1)).count(5)
 *     .successCondition("result[0] < 0.01")
 *     .failureLimit(1)
 *     .build();
 * }</pre>
 *
 * Defaults, as Argo's: {@code failureLimit} 0, {@code inconclusiveLimit} 0,
 * {@code consecutiveErrorLimit} 4 (a limit of -1 disables it); {@code count} unset and
 * {@code interval} unset means one measurement; {@code interval} without {@code count} measures
 * until the run fails or is terminated. See {@code docs/delivery.md}, "Analysis".
 */
public final class Metric {
  /** Argo Rollouts' default {@code consecutiveErrorLimit}. */
  public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
  /** How soon a measurement is taken again after an ERROR, whatever the {@code interval}, as Argo's {@code DefaultErrorRetryInterval}. */
  public static final Duration ERROR_RETRY_INTERVAL = Duration.ofSeconds(10);

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final String name;
  private final String provider;
  private final String query;
  private final Map<String, String> options;
  private final @Nullable Duration interval;
  private final Duration initialDelay;
  private final @Nullable Integer count;
  private final @Nullable String successCondition;
  private final @Nullable String failureCondition;
  private final int failureLimit;
  private final int inconclusiveLimit;
  private final int consecutiveErrorLimit;

  private Metric(Builder b) {
    this.name = b.name;
    this.provider = b.provider;
    this.query = b.query;
    this.options = Collections.unmodifiableMap(new TreeMap<>(b.options));
    this.interval = b.interval;
    this.initialDelay = b.initialDelay;
    this.count = b.count;
    this.successCondition = b.successCondition;
    this.failureCondition = b.failureCondition;
    this.failureLimit = b.failureLimit;
    this.inconclusiveLimit = b.inconclusiveLimit;
    this.consecutiveErrorLimit = b.consecutiveErrorLimit;
  }

  /** A metric named {@code name} measured by the provider named {@code provider} with {@code query}. */
  public static Builder builder(String name, String provider, String query) {
    return new Builder(name, provider, query);
  }

  /** A builder holding this metric's settings. */
  public Builder toBuilder() {
    Builder b = new Builder(name, provider, query);
    b.options.putAll(options);
    b.interval = interval;
    b.initialDelay = initialDelay;
    b.count = count;
    b.successCondition = successCondition;
    b.failureCondition = failureCondition;
    b.failureLimit = failureLimit;
    b.inconclusiveLimit = inconclusiveLimit;
    b.consecutiveErrorLimit = consecutiveErrorLimit;
    return b;
  }

  public String name() {
    return name;
  }

  /** The name of the {@link MetricProvider} that measures it. */
  public String provider() {
    return provider;
  }

  /** The provider's query; {@code {{args.NAME}}} is replaced by the run's argument. */
  public String query() {
    return query;
  }

  /** Provider settings (Prometheus: {@code range}, {@code step}). */
  public Map<String, String> options() {
    return options;
  }

  /** Time between measurements (from the end of one to the start of the next); null: measure once per count. */
  public @Nullable Duration interval() {
    return interval;
  }

  /** Time from the run's start to the first measurement. */
  public Duration initialDelay() {
    return initialDelay;
  }

  /** How many measurements (not counting errors) complete the metric; null: see {@link #effectiveCount()}. */
  public @Nullable Integer count() {
    return count;
  }

  /** The count that completes the metric: {@code count}, or 1 when neither count nor interval is set, or null (no end). */
  public @Nullable Integer effectiveCount() {
    if (count != null) {
      return count;
    }
    return interval == null ? 1 : null;
  }

  /**
   * A CEL expression over {@code result}; true makes a measurement SUCCESSFUL. It may hold
   * {@code {{args.NAME}}}, replaced when the run starts (as Argo resolves arguments in the whole
   * metric); until then it is checked with {@code 0} in their place.
   */
  public @Nullable String successCondition() {
    return successCondition;
  }

  /** A CEL expression over {@code result}; true makes a measurement FAILED. */
  public @Nullable String failureCondition() {
    return failureCondition;
  }

  /** FAILED measurements beyond this fail the metric (-1: never). */
  public int failureLimit() {
    return failureLimit;
  }

  /** INCONCLUSIVE measurements beyond this make the metric inconclusive (-1: never). */
  public int inconclusiveLimit() {
    return inconclusiveLimit;
  }

  /** Consecutive ERROR measurements beyond this make the metric ERROR (-1: never). */
  public int consecutiveErrorLimit() {
    return consecutiveErrorLimit;
  }

  @Override public boolean equals(Object o) {
    return o instanceof Metric m && name.equals(m.name) && provider.equals(m.provider) && query.equals(m.query)
        && options.equals(m.options) && Objects.equals(interval, m.interval) && initialDelay.equals(m.initialDelay)
        && Objects.equals(count, m.count) && Objects.equals(successCondition, m.successCondition)
        && Objects.equals(failureCondition, m.failureCondition) && failureLimit == m.failureLimit
        && inconclusiveLimit == m.inconclusiveLimit && consecutiveErrorLimit == m.consecutiveErrorLimit;
  }

  @Override public int hashCode() {
    return Objects.hash(name, provider, query, options, interval, initialDelay, count, successCondition, failureCondition,
        failureLimit, inconclusiveLimit, consecutiveErrorLimit);
  }

  @Override public String toString() {
    return "Metric[" + name + " from " + provider + (successCondition == null ? "" : ", successCondition " + successCondition)
        + (failureCondition == null ? "" : ", failureCondition " + failureCondition) + "]";
  }

  /** Settings of a {@link Metric}; {@link #build()} checks them all and compiles the conditions. */
  public static final class Builder {
    private final String name;
    private final String provider;
    private final String query;
    private final Map<String, String> options = new TreeMap<>();
    private @Nullable Duration interval;
    private Duration initialDelay = Duration.ZERO;
    private @Nullable Integer count;
    private @Nullable String successCondition;
    private @Nullable String failureCondition;
    private int failureLimit;
    private int inconclusiveLimit;
    private int consecutiveErrorLimit = DEFAULT_CONSECUTIVE_ERROR_LIMIT;

    private Builder(String name, String provider, String query) {
      this.name = Objects.requireNonNull(name, "name");
      this.provider = Objects.requireNonNull(provider, "provider");
      this.query = Objects.requireNonNull(query, "query");
    }

    /** A provider option. */
    public Builder option(String key, String value) {
      options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder interval(@Nullable Duration value) {
      this.interval = value;
      return this;
    }

    public Builder initialDelay(Duration value) {
      this.initialDelay = Objects.requireNonNull(value, "initialDelay");
      return this;
    }

    /** Measurements (errors not counted) that complete the metric; 0 is the same as unset, as Argo's {@code EffectiveCount}. */
    public Builder count(@Nullable Integer value) {
      this.count = value != null && value == 0 ? null : value;
      return this;
    }

    public Builder successCondition(@Nullable String value) {
      this.successCondition = value;
      return this;
    }

    public Builder failureCondition(@Nullable String value) {
      this.failureCondition = value;
      return this;
    }

    public Builder failureLimit(int value) {
      this.failureLimit = value;
      return this;
    }

    public Builder inconclusiveLimit(int value) {
      this.inconclusiveLimit = value;
      return this;
    }

    public Builder consecutiveErrorLimit(int value) {
      this.consecutiveErrorLimit = value;
      return this;
    }

    /** The metric; a {@link ValidationException} lists every problem by field. */
    public Metric build() {
      List<Problem> problems = problems();
      if (!problems.isEmpty()) {
        throw new ValidationException("Metric '" + name + "'", problems);
      }
      return new Metric(this);
    }

    /** Every problem, by field name relative to the metric. */
    List<Problem> problems() {
      List<Problem> problems = new ArrayList<>();
      if (!NAME.matcher(name).matches()) {
        problems.add(Problem.at("name", "'" + name + "' is not a valid metric name (lowercase letters, digits and '-', at most 63)"));
      }
      if (!NAME.matcher(provider).matches()) {
        problems.add(Problem.at("provider", "'" + provider + "' is not a provider name (lowercase letters, digits and '-')"));
      }
      if (interval != null && (interval.isZero() || interval.isNegative())) {
        problems.add(Problem.at("interval", "must be positive, got " + interval));
      } else if (interval != null && interval.compareTo(io.orchestrationplane.delivery.Workflow.MAX_DURATION) > 0) {
        problems.add(Problem.at("interval", "must be at most 100 years (36500d), got " + interval));
      }
      if (initialDelay.isNegative()) {
        problems.add(Problem.at("initialDelay", "must not be negative, got " + initialDelay));
      } else if (initialDelay.compareTo(io.orchestrationplane.delivery.Workflow.MAX_DURATION) > 0) {
        problems.add(Problem.at("initialDelay", "must be at most 100 years (36500d), got " + initialDelay));
      }
      if (count != null && count < 1) {
        problems.add(Problem.at("count", "must be at least 1, got " + count));
      }
      if (count != null && count > 1 && interval == null) {
        problems.add(Problem.at("interval", "must be set when count is greater than 1 (count " + count + ")"));
      }
      limit("failureLimit", failureLimit, problems);
      limit("inconclusiveLimit", inconclusiveLimit, problems);
      limit("consecutiveErrorLimit", consecutiveErrorLimit, problems);
      if (count != null && failureLimit > count) {
        problems.add(Problem.at("failureLimit", "must not exceed count (" + count + "), got " + failureLimit));
      }
      if (count != null && inconclusiveLimit > count) {
        problems.add(Problem.at("inconclusiveLimit", "must not exceed count (" + count + "), got " + inconclusiveLimit));
      }
      condition("successCondition", successCondition, problems);
      condition("failureCondition", failureCondition, problems);
      return problems;
    }

    private static void limit(String field, int value, List<Problem> problems) {
      if (value < -1) {
        problems.add(Problem.at(field, "must be -1 (no limit) or more, got " + value));
      }
    }

    private static void condition(String field, @Nullable String expression, List<Problem> problems) {
      if (expression == null) {
        return;
      }
      if (expression.isBlank()) {
        problems.add(Problem.at(field, "must not be blank (leave it out instead)"));
        return;
      }
      List<String> refs = AnalysisTemplate.references(expression);
      String checked = expression;
      if (!refs.isEmpty()) {
        Map<String, String> zero = new java.util.HashMap<>();
        refs.forEach(r -> zero.put(r, "0"));
        checked = AnalysisTemplate.substitute(expression, zero);
      }
      Conditions.problems(expression, checked).forEach(m -> problems.add(Problem.at(field, m)));
    }
  }
}
