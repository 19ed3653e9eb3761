package io.orchestrationplane.delivery.analysis;

import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.delivery.analysis.internal.TemplateCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What to measure and how to judge it, as Argo Rollouts' AnalysisTemplate: named arguments and
 * {@link Metric}s. A metric's query (and option values) may hold {@code {{args.NAME}}}, replaced
 * by the run's argument when the run starts. Checked at construction: a {@link
 * ValidationException} names each problem by field path ({@code spec.metrics[1].successCondition}).
 *
 * <pre>{@code
 * apiVersion: orchestrationplane.io/v1alpha1
 * kind: AnalysisTemplate
 * metadata: {name: success-rate}
 * spec:
 *   args: [{name: service}]
 *   metrics:
 *     - name: error-rate
 *       interval: 1m
 *       count: 5
 *       successCondition: result[0] < 0.01
 *       failureLimit: 1
 *       provider:
 *         prometheus:
 *           query: sum(rate(http_errors{service="{{args.service}}"}[1m])) / sum(rate(http_requests{service="{{args.service}}"}[1m]))
 *   dryRun: [{metricName: latency}]     # measured and judged, never deciding the run
 *   measurementRetention: [{metricName: error-rate, limit: 20}]   # default 10
 * }</pre>
 *
 * @param name lowercase letters, digits and '-'
 * @param args the arguments the queries use, each with an optional default value
 * @param metrics at least one, names unique
 * @param dryRun Argo's {@code dryRun} rules: each a {@code metricName} regular expression, found
 *     anywhere in a metric's name (as Go's {@code regexp.MatchString}); each must match at least
 *     one metric. A metric in dry run is measured and assessed as any other, but its phase never
 *     decides the run nor stops the other metrics.
 * @param measurementRetention Argo's {@code measurementRetention} rules: how many measurements the
 *     metrics whose names a rule matches keep (as {@code dryRun}; the last matching rule wins, a
 *     limit of 0 keeps the default {@link MetricResult#RETAINED}); each must match a metric.
 */
public record AnalysisTemplate(String name, List<Argument> args, List<Metric> metrics, List<String> dryRun,
    List<Retention> measurementRetention) {
  /** The {@code apiVersion} of the YAML form. */
  public static final String API_VERSION = "orchestrationplane.io/v1alpha1";
  /** The {@code kind} of the YAML form. */
  public static final String KIND = "AnalysisTemplate";

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][-A-Za-z0-9_]*");
  private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*args\\.([^}\\s]*)\\s*}}");

  /**
   * An argument of a template.
   *
   * @param name letters, digits, '_' and '-', starting with a letter or '_'
   * @param value the default, used when the run gives none; null: the run must give it
   */
  public record Argument(String name, @Nullable String value) {
    public Argument {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * A {@code measurementRetention} rule.
   *
   * @param metricName a regular expression, found anywhere in the metric names it applies to
   * @param limit how many measurements those metrics keep, at most {@link #MAX_RETAINED}; 0: the default
   */
  public record Retention(String metricName, int limit) {
    public Retention {
      Objects.requireNonNull(metricName, "metricName");
    }
  }

  /** The most measurements a retention rule may keep: a run is stored in one state value of at most 1,000,000 bytes. */
  public static final int MAX_RETAINED = 1000;

  public AnalysisTemplate {
    Objects.requireNonNull(name, "name");
    args = List.copyOf(args);
    metrics = List.copyOf(metrics);
    dryRun = List.copyOf(dryRun);
    measurementRetention = List.copyOf(measurementRetention);
    List<Problem> problems = problems(name, args, metrics, dryRun, measurementRetention);
    if (!problems.isEmpty()) {
      throw new ValidationException("AnalysisTemplate '" + name + "'", problems);
    }
  }

  /** A template without dry-run metrics, keeping the default number of measurements. */
  public AnalysisTemplate(String name, List<Argument> args, List<Metric> metrics) {
    this(name, args, metrics, List.of(), List.of());
  }

  /** A template keeping the default number of measurements. */
  public AnalysisTemplate(String name, List<Argument> args, List<Metric> metrics, List<String> dryRun) {
    this(name, args, metrics, dryRun, List.of());
  }

  /** How many measurements the metric named {@code metricName} keeps (Argo's {@code garbageCollectMeasurements}). */
  public int retained(String metricName) {
    int limit = 0;
    for (Retention r : measurementRetention) {
      if (rulePattern(r.metricName()).matcher(metricName).find()) {
        limit = r.limit();
      }
    }
    return limit > 0 ? limit : MetricResult.RETAINED;
  }

  /** True when a {@link #dryRun} rule matches {@code metricName}. */
  public boolean isDryRun(String metricName) {
    for (String r : dryRun) {
      if (rulePattern(r).matcher(metricName).find()) {
        return true;
      }
    }
    return false;
  }

  /** Rules compiled once (they were checked when the template was made): the assessor asks at every measurement. */
  private static final java.util.Map<String, com.google.re2j.Pattern> RULES = new java.util.concurrent.ConcurrentHashMap<>();

  private static com.google.re2j.Pattern rulePattern(String rule) {
    com.google.re2j.Pattern p = RULES.get(rule);
    if (p == null) {
      p = com.google.re2j.Pattern.compile(rule);
      if (RULES.size() < 1_000) {
        RULES.put(rule, p);
      }
    }
    return p;
  }

  /** A template without arguments. */
  public static AnalysisTemplate of(String name, Metric... metrics) {
    return new AnalysisTemplate(name, List.of(), List.of(metrics));
  }

  /** Reads the YAML (or JSON) form; a {@link ValidationException} names every problem with its path, line and column. */
  public static AnalysisTemplate fromYaml(String yaml) {
    return TemplateCodec.read(yaml);
  }

  /** Reads the tree {@link #toJson()} wrote. */
  public static AnalysisTemplate fromJson(JsonNode tree) {
    return TemplateCodec.fromTree(tree);
  }

  /** The YAML form. */
  public String toYaml() {
    return TemplateCodec.write(this);
  }

  /** The JSON form (as the YAML one). */
  public JsonNode toJson() {
    return TemplateCodec.toTree(this);
  }

  /** The metric named {@code metric}. */
  public java.util.Optional<Metric> metric(String metric) {
    return metrics.stream().filter(m -> m.name().equals(metric)).findFirst();
  }

  /** The argument names {@code text} refers to as {@code {{args.NAME}}}, in order. */
  public static List<String> references(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** {@code text} with every {@code {{args.NAME}}} replaced by its value in {@code values} (left as is when absent). */
  public static String substitute(String text, java.util.Map<String, String> values) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static List<Problem> problems(String name, List<Argument> args, List<Metric> metrics, List<String> dryRun,
      List<Retention> retention) {
    List<Problem> problems = new ArrayList<>();
    if (!NAME.matcher(name).matches()) {
      problems.add(Problem.at("metadata.name", "'" + name + "' is not a valid name (lowercase letters, digits and '-', at most 63)"));
    }
    Set<String> argNames = new HashSet<>();
    for (int i = 0; i < args.size(); i++) {
      Argument a = args.get(i);
      if (!ARG_NAME.matcher(a.name()).matches()) {
        problems.add(Problem.at("spec.args[" + i + "].name", "'" + a.name() + "' is not an argument name (letters, digits, '_' and '-')"));
      } else if (!argNames.add(a.name())) {
        problems.add(Problem.at("spec.args[" + i + "].name", "argument '" + a.name() + "' is declared twice"));
      }
    }
    if (metrics.isEmpty()) {
      problems.add(Problem.at("spec.metrics", "a template has at least one metric"));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < metrics.size(); i++) {
      Metric m = metrics.get(i);
      String path = "spec.metrics[" + i + "]";
      if (!names.add(m.name())) {
        problems.add(Problem.at(path + ".name", "metric '" + m.name() + "' is declared twice"));
      }
      for (String ref : references(m.query()).stream().distinct().toList()) {
        if (!argNames.contains(ref)) {
          problems.add(Problem.at(path + ".query", "refers to {{args." + ref + "}}, which spec.args does not declare"));
        }
      }
      for (String field : List.of("successCondition", "failureCondition")) {
        String c = field.equals("successCondition") ? m.successCondition() : m.failureCondition();
        if (c != null) {
          references(c).stream().distinct().filter(r -> !argNames.contains(r)).forEach(r -> problems.add(
              Problem.at(path + "." + field, "refers to {{args." + r + "}}, which spec.args does not declare")));
        }
      }
      m.options().forEach((k, v) -> references(v).stream().filter(r -> !argNames.contains(r)).forEach(r -> problems.add(
          Problem.at(path + ".options." + k, "refers to {{args." + r + "}}, which spec.args does not declare"))));
    }
    for (int i = 0; i < dryRun.size(); i++) {
      String path = "spec.dryRun[" + i + "].metricName";
      rule(path, Objects.requireNonNull(dryRun.get(i), path), metrics, problems);
    }
    for (int i = 0; i < retention.size(); i++) {
      String path = "spec.measurementRetention[" + i + "]";
      Retention r = Objects.requireNonNull(retention.get(i), path);
      rule(path + ".metricName", r.metricName(), metrics, problems);
      if (r.limit() < 0 || r.limit() > MAX_RETAINED) {
        problems.add(Problem.at(path + ".limit", "must be from 0 (the default, " + MetricResult.RETAINED + ") to "
            + MAX_RETAINED + ", got " + r.limit()));
      }
    }
    return problems;
  }

  /**
   * A metricName rule: a regular expression found in at least one metric's name. Go's syntax (RE2,
   * as Argo Rollouts compiles it), matched in linear time: no rule can hold a worker by
   * backtracking, and what Go refuses (lookaround, backreferences) is refused here.
   */
  private static void rule(String path, String rule, List<Metric> metrics, List<Problem> problems) {
    com.google.re2j.Pattern p;
    try {
      p = rulePattern(rule);
    } catch (com.google.re2j.PatternSyntaxException e) {
      problems.add(Problem.at(path, "'" + rule + "' is not a regular expression (Go syntax): " + e.getDescription()));
      return;
    }
    if (metrics.stream().noneMatch(m -> p.matcher(m.name()).find())) {
      problems.add(Problem.at(path, "'" + rule + "' matches no metric name"));
    }
  }
}
