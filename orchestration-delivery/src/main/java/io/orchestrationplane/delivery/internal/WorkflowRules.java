package io.orchestrationplane.delivery.internal;

import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.delivery.ApprovalRule;
import io.orchestrationplane.delivery.Step;
import io.orchestrationplane.delivery.Workflow;
import io.orchestrationplane.policy.CelExpression;
import io.orchestrationplane.policy.PolicyCompileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The rules a workflow obeys, and the typed reading of built-in steps' properties. */
public final class WorkflowRules {
  /** The types the engine runs itself. */
  public static final Set<String> BUILT_IN = Set.of("apply", "wait-healthy", "check", "approval", "window", "notify", "promote");
  /** The variables of a check step's CEL expression. */
  public static final Set<String> CHECK_VARIABLES = Set.of("status", "release", "environment", "clusters");
  /** Default timeout of wait-healthy and promote's health wait. */
  public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMinutes(10);

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Map<String, Set<String>> PROPERTIES = Map.of(
      "apply", Set.of("environment"),
      "wait-healthy", Set.of("environment", "soak"),
      "check", Set.of("environment", "expression"),
      "approval", Set.of("required", "approvers", "groups", "allowAuthor"),
      "window", Set.of("environment"),
      "notify", Set.of("notifier", "message"),
      "promote", Set.of("from", "to", "soak"));
  private static final Map<String, Set<String>> REQUIRED = Map.of(
      "apply", Set.of("environment"),
      "wait-healthy", Set.of("environment"),
      "check", Set.of("expression"),
      "approval", Set.of(),
      "window", Set.of("environment"),
      "notify", Set.of("notifier", "message"),
      "promote", Set.of("from", "to"));

  private static volatile CelExpression.@Nullable Compiler compiler;

  private WorkflowRules() {}

  /** A check expression, compiled once per source text (at most 1,000 kept). */
  public static CelExpression compile(String expression) {
    return compiler().compile(expression);
  }

  /**
   * The compiler of check expressions, made once (building a CEL environment takes milliseconds); it keeps
   * up to 1,000 compiled expressions, since compiling type-checks against the whole Kubernetes CEL environment.
   */
  public static CelExpression.Compiler compiler() {
    CelExpression.Compiler c = compiler;
    if (c == null) {
      c = CelExpression.compiler(CHECK_VARIABLES, 1_000_000L).cached(1000);
      compiler = c;
    }
    return c;
  }

  /** Every problem of a workflow, by field path. */
  public static List<Problem> problems(String name, List<Step> steps) {
    List<Problem> problems = new ArrayList<>();
    if (!NAME.matcher(name).matches()) {
      problems.add(Problem.at("metadata.name", "'" + name + "' is not a valid name (lowercase letters, digits and '-', at most 63)"));
    }
    if (steps.isEmpty()) {
      problems.add(Problem.at("spec.steps", "a workflow has at least one step"));
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      String path = "spec.steps[" + i + "]";
      if (!NAME.matcher(s.name()).matches()) {
        problems.add(Problem.at(path + ".name", "'" + s.name() + "' is not a valid step name (lowercase letters, digits and '-', at most 63)"));
      } else if (index.putIfAbsent(s.name(), i) != null) {
        problems.add(Problem.at(path + ".name", "step '" + s.name() + "' is declared twice (first at spec.steps[" + index.get(s.name()) + "])"));
      }
      if (s.retries() < 0 || s.retries() > 100) {
        problems.add(Problem.at(path + ".retries", "must be 0 to 100, got " + s.retries()));
      }
      if (s.retryDelay().isNegative()) {
        problems.add(Problem.at(path + ".retryDelay", "must not be negative"));
      } else if (s.retryDelay().compareTo(Workflow.MAX_DURATION) > 0) {
        problems.add(Problem.at(path + ".retryDelay", "must be at most 100 years (36500d), got " + s.retryDelay()));
      }
      if (s.timeout() != null && (s.timeout().isZero() || s.timeout().isNegative())) {
        problems.add(Problem.at(path + ".timeout", "must be positive, got " + s.timeout()));
      } else if (s.timeout() != null && s.timeout().compareTo(Workflow.MAX_DURATION) > 0) {
        problems.add(Problem.at(path + ".timeout", "must be at most 100 years (36500d), got " + s.timeout()));
      }
      if (BUILT_IN.contains(s.type())) {
        properties(s, path + ".properties", problems);
      } else if (!NAME.matcher(s.type()).matches()) {
        problems.add(Problem.at(path + ".type", "'" + s.type() + "' is not a step type: use one of " + new java.util.TreeSet<>(BUILT_IN)
            + " or the name of a registered StepType"));
      }
    }
    for (int i = 0; i < steps.size(); i++) {
      List<String> deps = steps.get(i).dependsOn();
      for (int j = 0; deps != null && j < deps.size(); j++) {
        if (!index.containsKey(deps.get(j))) {
          problems.add(Problem.at("spec.steps[" + i + "].dependsOn[" + j + "]", "no step named '" + deps.get(j) + "'"));
        } else if (deps.get(j).equals(steps.get(i).name())) {
          problems.add(Problem.at("spec.steps[" + i + "].dependsOn[" + j + "]", "a step cannot depend on itself"));
        }
      }
    }
    if (problems.isEmpty()) {
      cycle(steps, index).ifPresent(c -> problems.add(Problem.at("spec.steps[" + index.get(c.get(0)) + "].dependsOn",
          "steps depend on each other in a cycle: " + String.join(" -> ", c))));
    }
    return problems;
  }

  private static java.util.Optional<List<String>> cycle(List<Step> steps, Map<String, Integer> index) {
    Map<String, Integer> state = new HashMap<>();
    for (Step s : steps) {
      List<String> path = new ArrayList<>();
      List<String> found = visit(s.name(), steps, index, state, path);
      if (found != null) {
        return java.util.Optional.of(found);
      }
    }
    return java.util.Optional.empty();
  }

  private static @Nullable List<String> visit(String name, List<Step> steps, Map<String, Integer> index,
      Map<String, Integer> state, List<String> path) {
    Integer st = state.get(name);
    if (st != null && st == 2) {
      return null;
    }
    if (st != null && st == 1) {
      List<String> c = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      c.add(name);
      return c;
    }
    state.put(name, 1);
    path.add(name);
    for (String d : steps.get(index.get(name)).dependsOn()) {
      List<String> found = visit(d, steps, index, state, path);
      if (found != null) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    state.put(name, 2);
    return null;
  }

  private static void properties(Step s, String path, List<Problem> problems) {
    Map<String, Object> p = s.properties();
    for (String key : p.keySet()) {
      if (!PROPERTIES.get(s.type()).contains(key)) {
        problems.add(Problem.at(path + "." + key, "unknown property of a " + s.type() + " step; known: "
            + new java.util.TreeSet<>(PROPERTIES.get(s.type()))));
      }
    }
    for (String key : REQUIRED.get(s.type())) {
      if (p.get(key) == null || p.get(key).toString().isBlank()) {
        problems.add(Problem.at(path + "." + key, "required by a " + s.type() + " step"));
      }
    }
    for (String key : List.of("environment", "from", "to")) {
      Object v = p.get(key);
      if (v != null && !(v instanceof String str && NAME.matcher(str).matches())) {
        problems.add(Problem.at(path + "." + key, "must be an environment name, got '" + v + "'"));
      }
    }
    if (s.type().equals("promote") && p.get("from") != null && p.get("from").equals(p.get("to"))) {
      problems.add(Problem.at(path + ".to", "promotes from '" + p.get("from") + "' to itself"));
    }
    if (p.get("soak") != null) {
      try {
        if (Workflow.parseDuration(p.get("soak").toString()).isNegative()) {
          problems.add(Problem.at(path + ".soak", "must not be negative"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(Problem.at(path + ".soak", e.getMessage()));
      }
    }
    if (s.type().equals("check") && p.get("expression") instanceof String expr && !expr.isBlank()) {
      try {
        compile(expr);
      } catch (PolicyCompileException e) {
        e.problems().forEach(cp -> problems.add(Problem.at(path + ".expression",
            "does not compile at line " + cp.line() + ", column " + cp.column() + ": " + cp.message())));
      }
    }
    if (s.type().equals("approval")) {
      try {
        approvalRule(s);
      } catch (IllegalArgumentException e) {
        problems.add(Problem.at(path, e.getMessage()));
      }
    }
  }

  /** The rule of an approval step. */
  public static ApprovalRule approvalRule(Step s) {
    Map<String, Object> p = s.properties();
    Object required = p.getOrDefault("required", 1);
    if (required == null) {
      throw new IllegalArgumentException("required: must be a number, got null");
    }
    int n;
    if (required instanceof Number num) {
      // a whole number an int holds: 1.5 or 10^11 is refused, not truncated to 1 or to some int
      java.math.BigDecimal exact;
      try {
        exact = new java.math.BigDecimal(num.toString());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("required: '" + num + "' is not a whole number", e);
      }
      try {
        n = exact.intValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("required: '" + num + "' is not a whole number of approvals", e);
      }
    } else {
      try {
        n = Integer.parseInt(required.toString());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("required: '" + required + "' is not a number");
      }
    }
    Object allow = p.getOrDefault("allowAuthor", false);
    if (allow == null
        || !(allow instanceof Boolean) && !allow.toString().equals("true") && !allow.toString().equals("false")) {
      throw new IllegalArgumentException("allowAuthor: must be true or false, got '" + allow + "'");
    }
    return new ApprovalRule(n, strings(p.get("approvers"), "approvers"), strings(p.get("groups"), "groups"),
        Boolean.parseBoolean(allow.toString()));
  }

  private static Set<String> strings(@Nullable Object value, String what) {
    if (value == null) {
      return Set.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(what + ": must be a list of names, got '" + value + "'");
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object o : list) {
      if (!(o instanceof String str) || str.isBlank()) {
        throw new IllegalArgumentException(what + ": must be a list of names, got '" + o + "'");
      }
      out.add(str);
    }
    return out;
  }

  /** A duration property, or the default when absent. */
  public static Duration duration(Step s, String property, Duration fallback) {
    Object v = s.properties().get(property);
    if (v == null) {
      return fallback;
    }
    String text = v.toString();
    Duration d = DURATIONS.get(text);
    if (d == null) {
      d = Workflow.parseDuration(text); // throws for a bad one, which is not remembered
      if (DURATIONS.size() >= 1_000) {
        DURATIONS.clear();
      }
      DURATIONS.put(text, d);
    }
    return d;
  }

  /** Parsed step durations by their text (a step's soak is read on every decision about it). */
  private static final Map<String, Duration> DURATIONS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The names of steps, in order, for quick lookup. */
  public static Set<String> names(List<Step> steps) {
    Set<String> out = new HashSet<>();
    steps.forEach(s -> out.add(s.name()));
    return out;
  }
}
