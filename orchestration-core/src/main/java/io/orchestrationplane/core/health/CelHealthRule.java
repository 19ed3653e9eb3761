package io.orchestrationplane.core.health;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.policy.CelExpression;
import io.orchestrationplane.policy.PolicyCompileException;
import io.orchestrationplane.policy.PolicyEvaluationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Health of any kind (custom resources above all) from CEL expressions over {@code object}, in
 * the same Kubernetes CEL environment as admission policies. Rules are tried in the order
 * degraded, suspended, progressing, healthy; the first that yields {@code true} decides, with
 * its message (a CEL string expression, or a default naming the rule). When none matches, the
 * object is PROGRESSING if healthy rules exist ("not yet ...") and HEALTHY otherwise.
 *
 * <p>A rule that does not compile is rejected by {@link Builder#build()} naming the rule and the
 * column. A rule that fails at evaluation (a missing field, say) makes the result UNKNOWN with
 * the error, never a silent HEALTHY: guard optional fields with {@code has()}, level by level
 * ({@code has(object.status) && has(object.status.conditions)}: {@code has()} on a field whose
 * parent is missing is itself an error).
 *
 * <pre>{@code
 * HealthAssessor certificates = CelHealthRule.builder(new GroupKind("cert-manager.io", "Certificate"))
 *     .degraded("has(object.status) && has(object.status.conditions) && object.status.conditions.exists(c, c.type == 'Ready' && c.status == 'False')",
 *         "object.status.conditions.filter(c, c.type == 'Ready')[0].message")
 *     .healthy("has(object.status) && has(object.status.conditions) && object.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')")
 *     .build();
 * HealthAssessors health = HealthAssessors.builder().register(certificates).build();
 * }</pre>
 */
public final class CelHealthRule implements HealthAssessor {
  private static final List<Health> ORDER = List.of(Health.DEGRADED, Health.SUSPENDED, Health.PROGRESSING, Health.HEALTHY);

  /** One compiled rule. */
  private record Rule(Health health, String name, @Nullable CelExpression condition, @Nullable CelExpression message) {}

  private final Set<GroupKind> kinds;
  private final List<Rule> rules;

  private CelHealthRule(Set<GroupKind> kinds, List<Rule> rules) {
    this.kinds = kinds;
    this.rules = rules;
  }

  /** Rules for one group and kind. */
  public static Builder builder(GroupKind kind) {
    return new Builder(kind);
  }

  @Override
  public Set<GroupKind> kinds() {
    return kinds;
  }

  @Override
  public HealthStatus assess(Resource live) {
    Map<String, Object> vars = Map.of("object", live.json());
    String who = live.kind() + " " + (live.namespace().isEmpty() ? live.name() : live.namespace() + "/" + live.name());
    boolean anyHealthyRule = false;
    for (Rule rule : rules) {
      anyHealthyRule |= rule.health() == Health.HEALTHY;
      boolean matched;
      try {
        matched = rule.condition().evaluateBoolean(vars);
      } catch (PolicyEvaluationException e) {
        return HealthStatus.unknown(who + ": health rule " + rule.name() + " failed at line " + e.line()
            + ", column " + e.column() + ": " + e.getMessage());
      }
      if (matched) {
        return new HealthStatus(rule.health(), message(rule, vars, who));
      }
    }
    return anyHealthyRule
        ? HealthStatus.progressing(who + " is not healthy yet (no health rule matched)")
        : HealthStatus.healthy(who + " exists and matches no unhealthy rule");
  }

  private static String message(Rule rule, Map<String, Object> vars, String who) {
    String fallback = who + " matches health rule " + rule.name();
    if (rule.message() == null) {
      return fallback;
    }
    try {
      Object text = rule.message().evaluate(vars);
      return text == null ? fallback : who + ": " + text;
    } catch (PolicyEvaluationException e) {
      return fallback + " (its message failed: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return "CelHealthRule" + kinds;
  }

  /** Collects rules; {@link #build()} compiles them all and reports every compile error. */
  public static final class Builder {
    private final GroupKind kind;
    private final List<String[]> sources = new ArrayList<>();

    private Builder(GroupKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** When {@code condition} holds the object is DEGRADED; {@code message} is a CEL string expression or null. */
    public Builder degraded(String condition, @Nullable String message) {
      return rule(Health.DEGRADED, condition, message);
    }

    public Builder degraded(String condition) {
      return degraded(condition, null);
    }

    public Builder suspended(String condition, @Nullable String message) {
      return rule(Health.SUSPENDED, condition, message);
    }

    public Builder suspended(String condition) {
      return suspended(condition, null);
    }

    public Builder progressing(String condition, @Nullable String message) {
      return rule(Health.PROGRESSING, condition, message);
    }

    public Builder progressing(String condition) {
      return progressing(condition, null);
    }

    public Builder healthy(String condition, @Nullable String message) {
      return rule(Health.HEALTHY, condition, message);
    }

    public Builder healthy(String condition) {
      return healthy(condition, null);
    }

    private Builder rule(Health health, String condition, @Nullable String message) {
      Objects.requireNonNull(condition, "condition");
      sources.add(new String[] {health.name(), condition, message});
      return this;
    }

    /**
     * Compiles every rule; throws {@link IllegalArgumentException} listing each one that does not
     * compile, named like {@code degraded[0]} with line and column.
     */
    public CelHealthRule build() {
      if (sources.isEmpty()) {
        throw new IllegalArgumentException("health rules for " + kind + " need at least one rule");
      }
      CelExpression.Compiler compiler = CelExpression.compiler(Set.of("object"), 1_000_000L);
      List<Rule> rules = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      Map<Health, Integer> counts = new java.util.EnumMap<>(Health.class);
      for (Health health : ORDER) {
        for (String[] src : sources) {
          if (!src[0].equals(health.name())) {
            continue;
          }
          int index = counts.merge(health, 1, Integer::sum) - 1;
          String name = health.name().toLowerCase(java.util.Locale.ROOT) + "[" + index + "]";
          CelExpression condition = compile(compiler, name, src[1], problems);
          CelExpression message = src[2] == null ? null : compile(compiler, name + ".message", src[2], problems);
          rules.add(new Rule(health, name, condition, message));
        }
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("health rules for " + kind + " do not compile:\n  " + String.join("\n  ", problems));
      }
      return new CelHealthRule(Set.of(kind), List.copyOf(rules));
    }

    private static @Nullable CelExpression compile(CelExpression.Compiler compiler, String name, String source, List<String> problems) {
      try {
        return compiler.compile(source);
      } catch (PolicyCompileException e) {
        e.problems().forEach(p -> problems.add(name + ": line " + p.line() + ", column " + p.column() + ": " + p.message()));
        return null;
      }
    }
  }
}
