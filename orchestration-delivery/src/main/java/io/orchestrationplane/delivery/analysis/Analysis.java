package io.orchestrationplane.delivery.analysis;

import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.delivery.analysis.internal.Assessor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs analyses on registered {@link MetricProvider}s, by Argo Rollouts' rules, on the caller's
 * clock: nothing runs on a thread of its own and nothing sleeps. {@link #start} makes a run;
 * {@link #evaluate} takes every measurement due at {@code now} (calling providers synchronously)
 * and assesses the metrics and the run; {@link AnalysisRun#nextDue()} says when to call again.
 *
 * <pre>{@code
 * Analysis analysis = Analysis.builder()
 *     .provider(PrometheusProvider.builder(URI.create("http://prometheus:9090")).build())
 *     .build();
 * AnalysisRun run = analysis.start(template, Map.of("service", "shop-canary"), clock.instant());
 * while (!run.completed()) {
 *   // store run.toJson(); wait until run.nextDue() on your scheduler
 *   run = analysis.evaluate(run, clock.instant());
 * }
 * if (run.result() instanceof AnalysisResult.Failed f) {
 *   log(f.metric() + " failed: " + f.measurement().expression() + " with " + f.measurement().value().toText());
 * }
 * }</pre>
 *
 * Thread-safe (runs are immutable values; two callers evaluating the same stored run must
 * serialise through their store, e.g. with compare-and-set).
 */
public final class Analysis {
  private final Map<String, MetricProvider> providers;

  private Analysis(Map<String, MetricProvider> providers) {
    this.providers = Map.copyOf(providers);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The providers, by name. */
  public Map<String, MetricProvider> providers() {
    return providers;
  }

  /**
   * Problems of running {@code template} here, by field path: a metric whose provider is not
   * registered, options a provider refuses. (The template itself was checked when it was made.)
   */
  public List<Problem> problems(AnalysisTemplate template) {
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < template.metrics().size(); i++) {
      Metric m = template.metrics().get(i);
      String path = "spec.metrics[" + i + "].provider";
      MetricProvider p = providers.get(m.provider());
      if (p == null) {
        problems.add(Problem.at(path, "no metric provider named '" + m.provider() + "' is registered (registered: "
            + new java.util.TreeSet<>(providers.keySet()) + ")"));
        continue;
      }
      String base = path + "." + m.provider();
      for (String s : p.validate(m.options())) {
        int colon = s.indexOf(':');
        if (s.startsWith("options.") && colon > 0) {
          problems.add(Problem.at(base + "." + s.substring("options.".length(), colon), s.substring(colon + 1).trim()));
        } else {
          problems.add(Problem.at(base, s));
        }
      }
    }
    return problems;
  }

  /**
   * Starts a run of {@code template} at {@code now}: no measurement is taken yet (the first is
   * due at {@code now + initialDelay}). {@code args} gives the template's arguments (those with a
   * default may be left out). A {@link ValidationException} names every problem: a missing or
   * unknown argument, an unregistered provider, refused options.
   */
  public AnalysisRun start(AnalysisTemplate template, Map<String, String> args, Instant now) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(now, "now");
    List<Problem> problems = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (AnalysisTemplate.Argument a : template.args()) {
      String v = args.containsKey(a.name()) ? args.get(a.name()) : a.value();
      if (v == null) {
        problems.add(Problem.at("args." + a.name(), "required by template " + template.name() + " (it has no default)"));
      } else {
        values.put(a.name(), v);
      }
    }
    for (String k : args.keySet()) {
      if (template.args().stream().noneMatch(a -> a.name().equals(k))) {
        problems.add(Problem.at("args." + k, "template " + template.name() + " declares no argument '" + k + "'"));
      }
    }
    AnalysisTemplate resolved = template;
    if (problems.isEmpty()) {
      try {
        resolved = Assessor.substitute(template, values);
      } catch (ValidationException e) {
        problems.addAll(e.problems());
      }
    }
    problems.addAll(problems(resolved));
    if (!problems.isEmpty()) {
      throw new ValidationException("Analysis of template " + template.name(), problems);
    }
    return Assessor.start(resolved, values, now);
  }

  /** {@link #start(AnalysisTemplate, Map, Instant)} without arguments. */
  public AnalysisRun start(AnalysisTemplate template, Instant now) {
    return start(template, Map.of(), now);
  }

  /**
   * The run after taking, at {@code now}, one measurement of each metric that is due (a metric
   * overdue by several intervals is measured once, and next an interval later: nothing is
   * back-filled) and assessing the metrics and the run. A completed run is returned as it is.
   * A provider's exception is an ERROR measurement; nothing a provider does makes this throw,
   * except a provider missing from this {@code Analysis} ({@link IllegalStateException}: a run
   * resumed on a plane configured without it).
   */
  public AnalysisRun evaluate(AnalysisRun run, Instant now) {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(now, "now");
    return Assessor.evaluate(run, now, name -> {
      MetricProvider p = providers.get(name);
      if (p == null) {
        throw new IllegalStateException("no metric provider named '" + name + "' is registered (registered: "
            + new java.util.TreeSet<>(providers.keySet()) + ")");
      }
      return p;
    });
  }

  /**
   * Stops the run, as Argo's {@code terminate}: no more measurements; metrics still
   * running are SUCCESSFUL unless their limits were already exceeded, and the run takes the worst
   * metric phase (SUCCESSFUL when nothing was measured). A completed run is returned as it is.
   */
  public AnalysisRun terminate(AnalysisRun run) {
    Objects.requireNonNull(run, "run");
    return Assessor.terminate(run);
  }

  /** Settings of an {@link Analysis}. */
  public static final class Builder {
    private final Map<String, MetricProvider> providers = new LinkedHashMap<>();

    private Builder() {}

    /** A provider, under its {@link MetricProvider#name()} (a second with the same name replaces the first). */
    public Builder provider(MetricProvider provider) {
      Objects.requireNonNull(provider, "provider");
      String name = Objects.requireNonNull(provider.name(), "provider.name()");
      if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new IllegalArgumentException("'" + name + "' is not a provider name (lowercase letters, digits and '-')");
      }
      providers.put(name, provider);
      return this;
    }

    public Analysis build() {
      return new Analysis(providers);
    }
  }
}
