package io.orchestrationplane.delivery.analysis;

import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.delivery.StepContext;
import io.orchestrationplane.delivery.StepResult;
import io.orchestrationplane.delivery.StepType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code analysis} workflow step: gates a delivery workflow on an {@link AnalysisRun} of a
 * registered {@link AnalysisTemplate}. Register it with the delivery, then use it in workflows:
 *
 * <pre>{@code
 * Delivery delivery = Delivery.builder().plane(plane).store(store)
 *     .stepType(AnalysisStep.builder(analysis, store).template(successRate).build())
 *     .build();
 * // in a workflow:  - {name: analyse-prod, type: analysis, properties: {template: success-rate, args: {service: shop}}}
 * Step.of("analyse-prod", "analysis", Map.of("template", "success-rate", "args", Map.of("service", "shop")));
 * }</pre>
 *
 * Properties: {@code template} (required: a registered template's name) and {@code args} (a map
 * of the template's arguments). The first attempt starts the run at the delivery's now; each
 * attempt evaluates it ({@link Analysis#evaluate}) and stores it in the state store at {@code
 * analysis-runs/<application>.<run>.<step>.<attempt>} (compare-and-set), so a restarted delivery
 * resumes it with its measurements; while it runs the step waits until its next measurement is
 * due. SUCCESSFUL succeeds the step; FAILED, ERROR and INCONCLUSIVE fail the attempt (a workflow
 * has no manual judgement of an inconclusive run yet; the step's retries start a new run), with
 * the deciding measurement, its value and its condition in the step's message, so the
 * workflow's failure handler runs. Documents of runs ten or more workflow runs old are deleted
 * when a new one starts. Thread-safe.
 */
public final class AnalysisStep implements StepType {
  /** The step type's name. */
  public static final String TYPE = "analysis";
  /** The state store namespace of analysis runs of workflow steps. */
  public static final String NAMESPACE = "analysis-runs";
  /** How many workflow runs' analysis documents are kept per application. */
  public static final int KEEP_RUNS = 10;

  private final Analysis analysis;
  private final StateStore store;
  private final Map<String, AnalysisTemplate> templates;

  private AnalysisStep(Builder b) {
    this.analysis = b.analysis;
    this.store = b.store;
    this.templates = Map.copyOf(b.templates);
  }

  /** A step type running analyses with {@code analysis}, keeping their state in {@code store} (the delivery's). */
  public static Builder builder(Analysis analysis, StateStore store) {
    return new Builder(analysis, store);
  }

  @Override public String name() {
    return TYPE;
  }

  /** The registered templates, by name. */
  public Map<String, AnalysisTemplate> templates() {
    return templates;
  }

  @Override public List<String> validate(Map<String, Object> properties) {
    List<String> problems = new ArrayList<>();
    for (String k : properties.keySet()) {
      if (!k.equals("template") && !k.equals("args")) {
        problems.add(k + ": unknown property of an analysis step; known: [args, template]");
      }
    }
    Object t = properties.get("template");
    if (!(t instanceof String name) || name.isBlank()) {
      problems.add("template: required: the name of a registered analysis template");
      return problems;
    }
    AnalysisTemplate template = templates.get(name);
    if (template == null) {
      problems.add("template: no analysis template named '" + name + "' is registered (registered: "
          + new java.util.TreeSet<>(templates.keySet()) + ")");
      return problems;
    }
    Map<String, String> args;
    try {
      args = args(properties.get("args"));
    } catch (IllegalArgumentException e) {
      problems.add("args: " + e.getMessage());
      return problems;
    }
    try {
      analysis.start(template, args, java.time.Instant.EPOCH);
    } catch (ValidationException e) {
      for (Problem p : e.problems()) {
        problems.add(p.path() + ": " + p.message());
      }
    }
    return problems;
  }

  @Override public StepResult run(StepContext context) {
    AnalysisTemplate template = templates.get(Objects.toString(context.step().properties().get("template"), ""));
    if (template == null) {
      return StepResult.failed("no analysis template named '" + context.step().properties().get("template") + "' is registered");
    }
    Map<String, String> args = args(context.step().properties().get("args"));
    String app = context.release().application();
    StateKey key = key(app, context.run(), context.step().name(), context.attempt());
    Optional<StateEntry> entry = store.get(key);
    AnalysisRun run;
    if (entry.isEmpty()) {
      run = analysis.evaluate(analysis.start(template, args, context.now()), context.now());
      if (!(store.create(key, run.toJson()) instanceof StateWriteResult.Written)) {
        return StepResult.waiting("analysis " + template.name() + " was started by another engine", context.now());
      }
      prune(app, context.run());
    } else {
      AnalysisRun stored = AnalysisRun.fromJson(entry.get().value());
      run = analysis.evaluate(stored, context.now());
      if (!run.equals(stored)
          && !(store.compareAndSet(key, entry.get().version(), run.toJson()) instanceof StateWriteResult.Written)) {
        return StepResult.waiting("analysis " + template.name() + " was advanced by another engine", context.now());
      }
    }
    return outcome(run);
  }

  /** The step result a run comes to. */
  static StepResult outcome(AnalysisRun run) {
    AnalysisResult r = run.result();
    String name = "analysis " + run.template().name();
    if (r instanceof AnalysisResult.Running running) {
      StringBuilder sb = new StringBuilder(name + " running:");
      for (MetricResult m : r.metrics()) {
        Integer count = run.template().metric(m.name()).map(Metric::effectiveCount).orElse(null);
        sb.append(' ').append(m.name()).append(' ').append(m.count()).append(count == null ? "" : "/" + count)
            .append(" measured").append(m.failed() > 0 ? ", " + m.failed() + " failed" : "")
            .append(m.inconclusive() > 0 ? ", " + m.inconclusive() + " inconclusive" : "")
            .append(m.consecutiveError() > 0 ? ", " + m.consecutiveError() + " consecutive errors" : "").append(';');
      }
      sb.setLength(sb.length() - 1);
      return StepResult.waiting(sb.toString(), running.nextDue().orElse(null));
    }
    if (r instanceof AnalysisResult.Successful s) {
      return StepResult.succeeded(name + " successful: " + s.message());
    }
    Measurement m;
    if (r instanceof AnalysisResult.Failed f) {
      m = f.measurement();
    } else if (r instanceof AnalysisResult.Inconclusive i) {
      m = i.measurement();
    } else {
      m = ((AnalysisResult.Errored) r).measurement();
    }
    return StepResult.failed(name + " " + r.phase() + ": " + r.message() + "; deciding measurement of " + m.metric()
        + " at " + m.finishedAt() + ": " + m.phase() + (m.value() == null ? "" : ", value " + m.value().toText())
        + (m.expression() == null ? "" : ", expression " + m.expression()) + " (" + m.message() + ")");
  }

  /** The key of a step attempt's run: {@code analysis-runs/<app>.<run, 10 digits>.<step>.<attempt>}. */
  public static StateKey key(String application, long run, String step, int attempt) {
    String name = appPart(application) + "." + String.format("%010d", run) + "." + step + "." + attempt;
    return StateKey.of(NAMESPACE, name);
  }

  private static String appPart(String application) {
    String candidate = application;
    if (candidate.length() + 1 + 10 + 1 + 63 + 1 + 3 <= 189) {
      return candidate;
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(application.getBytes(StandardCharsets.UTF_8));
      return "app-" + HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void prune(String application, long currentRun) {
    String prefix = appPart(application) + ".";
    for (StateEntry e : store.list(NAMESPACE, prefix)) {
      String rest = e.key().name().substring(prefix.length());
      int dot = rest.indexOf('.');
      if (dot == 10 && rest.substring(0, 10).chars().allMatch(Character::isDigit)
          && Long.parseLong(rest.substring(0, 10)) <= currentRun - KEEP_RUNS) {
        store.delete(e.key(), e.version()); // a conflict leaves it for the next run to delete
      }
    }
  }

  private static Map<String, String> args(@Nullable Object value) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("must be a map of argument names to values, got '" + value + "'");
    }
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (v == null || v instanceof Map || v instanceof List) {
        throw new IllegalArgumentException(k + ": must be a string, number or boolean");
      }
      out.put(String.valueOf(k), String.valueOf(v));
    });
    return out;
  }

  /** Settings of an {@link AnalysisStep}. */
  public static final class Builder {
    private final Analysis analysis;
    private final StateStore store;
    private final Map<String, AnalysisTemplate> templates = new LinkedHashMap<>();

    private Builder(Analysis analysis, StateStore store) {
      this.analysis = Objects.requireNonNull(analysis, "analysis");
      this.store = Objects.requireNonNull(store, "store");
    }

    /** A template steps may name (a second with the same name replaces the first). */
    public Builder template(AnalysisTemplate template) {
      templates.put(template.name(), template);
      return this;
    }

    public AnalysisStep build() {
      return new AnalysisStep(this);
    }
  }
}
