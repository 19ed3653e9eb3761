package io.orchestrationplane.delivery;

import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.delivery.internal.WorkflowCodec;
import io.orchestrationplane.delivery.internal.WorkflowRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a release of an application is delivered: steps forming a DAG (each waits for its
 * {@code dependsOn}, by default the step before it) and the change windows of its
 * environments. Validated at construction: every problem at once, with field paths
 * ({@code spec.steps[2].properties.environment}) and, from YAML, lines and columns.
 *
 * <pre>{@code
 * Workflow release = Workflow.builder("shop-release")
 *     .step(Step.apply("deploy-dev", "dev"))
 *     .step(Step.promote("to-staging", "dev", "staging", Duration.ofMinutes(10)))
 *     .step(Step.approval("approve-prod", ApprovalRule.of(1, "alice", "bob")).timeout(Duration.ofHours(24)))
 *     .step(Step.promote("to-prod", "staging", "prod", Duration.ofMinutes(30)).onFailure(OnFailure.ROLLBACK))
 *     .window(ChangeWindow.allow("0 9 * * 1-5", Duration.ofHours(7), ZoneId.of("Europe/Berlin"), "prod"))
 *     .build();
 * }</pre>
 *
 * @param name the workflow's name
 * @param steps in declaration order, each with its dependencies resolved
 * @param windows change windows of the environments
 */
public record Workflow(String name, List<Step> steps, List<ChangeWindow> windows) {
  /** {@code apiVersion} of the YAML form. */
  public static final String API_VERSION = "orchestrationplane.io/v1alpha1";
  /** {@code kind} of the YAML form. */
  public static final String KIND = "Workflow";

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  public Workflow {
    Objects.requireNonNull(name, "name");
    windows = List.copyOf(windows);
    List<Step> resolved = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step s = Objects.requireNonNull(steps.get(i), "step");
      if (s.dependsOn() == null) {
        s = new Step(s.name(), s.type(), i == 0 ? List.of() : List.of(steps.get(i - 1).name()), s.timeout(),
            s.retries(), s.retryDelay(), s.onFailure(), s.properties());
      }
      resolved.add(s);
    }
    steps = List.copyOf(resolved);
    List<Problem> problems = WorkflowRules.problems(name, steps);
    if (!problems.isEmpty()) {
      throw new ValidationException("Workflow '" + name + "'", problems);
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Reads the YAML (or JSON) form; throws {@link ValidationException} listing every problem with
   * its field path, line and column.
   */
  public static Workflow fromYaml(String yaml) {
    return WorkflowCodec.read(yaml);
  }

  /** The YAML form, which {@link #fromYaml} reads back to an equal workflow. */
  public String toYaml() {
    return WorkflowCodec.write(this);
  }

  public Optional<Step> step(String stepName) {
    for (Step s : steps) { // a loop, not a stream: the engine asks at every claimed step
      if (s.name().equals(stepName)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The environments the workflow applies to (apply and promote targets), in step order. */
  public List<String> environments() {
    List<String> out = new ArrayList<>();
    for (Step s : steps) {
      String env = s.type().equals("apply") ? s.text("environment") : s.type().equals("promote") ? s.text("to") : null;
      if (env != null && !out.contains(env)) {
        out.add(env);
      }
    }
    return out;
  }

  /**
   * The longest duration a workflow, a window or an analysis takes: 100 years (36500d). Times are
   * computed by adding durations to instants, which a longer one could overflow.
   */
  public static final Duration MAX_DURATION = Duration.ofDays(36_500);

  /**
   * Parses {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 14d}, {@code 250ms} (units ms, s, m, h,
   * d; a day is 24 hours) or an ISO-8601 duration ({@code PT10M}); one longer than {@link
   * #MAX_DURATION} is refused.
   */
  public static Duration parseDuration(String text) {
    Duration d = parseAnyDuration(text);
    if (d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("'" + text + "' is longer than 100 years (36500d)");
    }
    return d;
  }

  private static Duration parseAnyDuration(String text) {
    Objects.requireNonNull(text, "duration");
    String t = text.trim();
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t);
      } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
        throw new IllegalArgumentException("'" + text + "' is not a duration like 90s, 10m, 1h30m, 14d or PT10M");
      }
    }
    Matcher m = DURATION.matcher(t);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < t.length() && m.find(at) && m.start() == at) {
      try {
        long n = Long.parseLong(m.group(1));
        total = total.plus(switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        });
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is longer than a duration can be");
      }
      at = m.end();
    }
    if (t.isEmpty() || at != t.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration like 90s, 10m, 1h30m, 14d or PT10M");
    }
    return total;
  }

  /** {@code 1h30m}, {@code 0s}: the form {@link #parseDuration} reads. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long ms = d.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
    String[] names = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      if (ms >= units[i]) {
        sb.append(ms / units[i]).append(names[i]);
        ms %= units[i];
      }
    }
    return sb.toString();
  }

  /** Collects steps and windows. */
  public static final class Builder {
    private final String name;
    private final List<Step> steps = new ArrayList<>();
    private final List<ChangeWindow> windows = new ArrayList<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder step(Step step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    public Builder window(ChangeWindow window) {
      windows.add(Objects.requireNonNull(window, "window"));
      return this;
    }

    /** Validates; throws {@link ValidationException} with every problem. */
    public Workflow build() {
      return new Workflow(name, steps, windows);
    }
  }
}
