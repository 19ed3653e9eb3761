package io.orchestrationplane.policy;

import dev.cel.common.values.NullValue;
import io.orchestrationplane.policy.internal.CelEnv;
import io.orchestrationplane.policy.internal.CelValues;
import io.orchestrationplane.policy.internal.CompiledExpression;
import io.orchestrationplane.policy.internal.CostMeter;
import io.orchestrationplane.policy.internal.KubeCel;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One CEL expression compiled in the same Kubernetes CEL environment as policies (by default that of
 * {@link KubernetesVersion#LATEST}: standard macros, optional syntax, the strings, sets and lists extensions,
 * two-variable comprehensions and the Kubernetes libraries), for uses such as health rules. Immutable and
 * thread-safe; compile once, evaluate many times.
 *
 * <pre>{@code
 * CelExpression ready = CelExpression.compile(
 *     "object.status.readyReplicas >= object.spec.replicas", Set.of("object"));
 * boolean ok = ready.evaluateBoolean(Map.of("object", deploymentJson));
 * }</pre>
 *
 * Variables are typed {@code dyn}; values may be Jackson {@code JsonNode}s or plain Java values (maps, lists,
 * numbers, strings, booleans, null). A declared variable missing from the map is CEL {@code null}.
 */
public final class CelExpression {
  private final String expression;
  private final Set<String> variableNames;
  private final CompiledExpression compiled;
  private final long costBudget;

  private CelExpression(String expression, Set<String> variableNames, CompiledExpression compiled, long costBudget) {
    this.expression = expression;
    this.variableNames = variableNames;
    this.compiled = compiled;
    this.costBudget = costBudget;
  }

  /**
   * Compiles with Kubernetes' default cost budget ({@value PolicyEngine#DEFAULT_COST_BUDGET}).
   *
   * @throws PolicyCompileException listing each problem with its line and column
   */
  public static CelExpression compile(String expression, Set<String> variableNames) {
    return compile(expression, variableNames, PolicyEngine.DEFAULT_COST_BUDGET);
  }

  /** Compiles with a runtime cost budget per evaluation (0 = unlimited). */
  public static CelExpression compile(String expression, Set<String> variableNames, long costBudget) {
    return compiler(variableNames, costBudget).compile(expression);
  }

  /**
   * A reusable compiler for many expressions over the same variables: building the CEL environment takes
   * milliseconds, compiling one expression with it microseconds. Thread-safe.
   */
  public static Compiler compiler(Set<String> variableNames, long costBudget) {
    return new Compiler(variableNames, costBudget, KubernetesVersion.LATEST, Set.of());
  }

  /**
   * A compiler for the CEL environment of one Kubernetes version, optionally with libraries beyond the API
   * server's.
   */
  public static Compiler compiler(Set<String> variableNames, long costBudget, KubernetesVersion version,
      Set<CelExtension> extensions) {
    return new Compiler(variableNames, costBudget, Objects.requireNonNull(version, "version"),
        Objects.requireNonNull(extensions, "extensions"));
  }

  /**
   * Compiles expressions over one set of variables (see {@link #compiler}). {@link #cached} gives one that
   * keeps what it compiled, for callers that meet the same source text again and again.
   */
  public static final class Compiler {
    private final Set<String> names;
    private final long costBudget;
    private final CelEnv cel;
    /** Compiled expressions by source text, or {@code null} when this compiler keeps none. */
    private final @Nullable Map<String, CelExpression> compiled;
    private final int maxCached;

    private Compiler(Set<String> variableNames, long costBudget, KubernetesVersion version,
        Set<CelExtension> extensions) {
      Objects.requireNonNull(variableNames, "variableNames");
      if (costBudget < 0) {
        throw new IllegalArgumentException("costBudget must be >= 0, got " + costBudget);
      }
      this.names = Set.copyOf(new TreeSet<>(variableNames));
      for (String n : names) {
        if (!n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new IllegalArgumentException("variable name '" + n + "' is not a CEL identifier");
        }
      }
      this.costBudget = costBudget;
      this.cel = CelEnv.of(new KubeCel.Environment(version, extensions.isEmpty() ? Set.of()
          : EnumSet.copyOf(extensions)), names, Map.of(), false, KubeCel.DEFAULT_COMPREHENSION_LIMIT);
      this.compiled = null;
      this.maxCached = 0;
    }

    private Compiler(Compiler of, int maxCached) {
      this.names = of.names;
      this.costBudget = of.costBudget;
      this.cel = of.cel;
      this.compiled = new ConcurrentHashMap<>();
      this.maxCached = maxCached;
    }

    /**
     * A compiler over the same environment that keeps up to {@code maxEntries} compiled expressions by
     * source text and returns the kept one for a text it has compiled before (when full, it forgets them
     * all and starts again). Expressions that do not compile are not kept: they throw every time.
     */
    public Compiler cached(int maxEntries) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be >= 1, got " + maxEntries);
      }
      return new Compiler(this, maxEntries);
    }

    /** Compiles one expression; throws {@link PolicyCompileException} listing each problem with line and column. */
    public CelExpression compile(String expression) {
      Objects.requireNonNull(expression, "expression");
      Map<String, CelExpression> kept = compiled;
      if (kept == null) {
        return compileNow(expression);
      }
      CelExpression c = kept.get(expression);
      if (c == null) {
        c = compileNow(expression);
        if (kept.size() >= maxCached) {
          kept.clear();
        }
        kept.put(expression, c);
      }
      return c;
    }

    private CelExpression compileNow(String expression) {
      return new CelExpression(expression, names, CompiledExpression.compileOrThrow(cel, expression, "", ""),
          costBudget);
    }
  }

  public String expression() {
    return expression;
  }

  public Set<String> variableNames() {
    return variableNames;
  }

  /**
   * Evaluates and returns the result as a plain Java value or a public type of this package: {@code Long},
   * {@code Double}, {@code String}, {@code Boolean}, {@code List}, {@code Map}, {@code null}; optionals as
   * {@link Optional} ({@code optional.none()} is {@code Optional.empty()}, never {@code null}); timestamps as
   * {@link java.time.Instant}, durations as {@link java.time.Duration}, bytes as {@code byte[]}, uints as
   * {@link java.math.BigInteger}, types as their name; {@link Quantity}, {@link IpAddress}, {@link Cidr},
   * {@link Semver}; URLs and named formats as their text.
   *
   * @throws PolicyEvaluationException with the API server's message and the position of the failing
   *     sub-expression
   * @throws IllegalArgumentException when {@code variables} names an undeclared variable, or a value is nested
   *     too deeply
   */
  public @Nullable Object evaluate(Map<String, ?> variables) {
    Map<String, Object> values = new HashMap<>();
    for (Map.Entry<String, ?> e : variables.entrySet()) {
      if (!variableNames.contains(e.getKey())) {
        throw new IllegalArgumentException("variable '" + e.getKey() + "' is not declared (declared: "
            + variableNames + ")");
      }
      values.put(e.getKey(), CelValues.fromJava(e.getValue()));
    }
    Object result = compiled.evaluate(name -> {
      Object v = values.get(name);
      if (v == null) {
        v = variableNames.contains(name) ? NullValue.NULL_VALUE : KubeCel.typeIdentifier(name);
      }
      return Optional.ofNullable(v);
    }, costBudget > 0 ? new CostMeter(0, costBudget) : null);
    return CelValues.toJava(result);
  }

  /**
   * Evaluates an expression that must yield a bool.
   *
   * @throws PolicyEvaluationException on runtime errors or when the result is not a bool
   */
  public boolean evaluateBoolean(Map<String, ?> variables) {
    Object r = evaluate(variables);
    if (r instanceof Boolean b) {
      return b;
    }
    throw new PolicyEvaluationException("expected a bool result, got " + (r == null ? "null"
        : r instanceof List<?> ? "list" : r instanceof Map<?, ?> ? "map" : r.getClass().getSimpleName()),
        expression, 0, 0, null);
  }

  @Override public String toString() {
    return "CelExpression[" + expression + "]";
  }
}
