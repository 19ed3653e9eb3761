package io.orchestrationplane.policy.internal;

import io.orchestrationplane.policy.PolicyEvaluationException;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code variables} map of one evaluation: each variable is evaluated on first read, once, in the
 * evaluation's context (so variables may read earlier variables), as Kubernetes does. A variable that fails is
 * reported in the API server's words ({@code composited variable "x" fails to evaluate: <error>}), nested when a
 * variable fails because one it reads failed.
 */
final class LazyVariables extends AbstractMap<String, Object> {
  private static final Object UNSET = new Object();
  private static final Object IN_PROGRESS = new Object();

  private final CompiledPolicy policy;
  private final Activation activation;
  private final @Nullable CostMeter meter;
  private final Object[] values;
  private final PolicyEvaluationException[] errors;

  LazyVariables(CompiledPolicy policy, Activation activation, @Nullable CostMeter meter) {
    this.policy = policy;
    this.activation = activation;
    this.meter = meter;
    this.values = new Object[policy.variables.size()];
    this.errors = new PolicyEvaluationException[values.length];
    java.util.Arrays.fill(values, UNSET);
  }

  @Override public @Nullable Object get(Object key) {
    Integer i = policy.variableIndex.get(key);
    if (i == null) {
      return null;
    }
    if (errors[i] != null) {
      throw errors[i];
    }
    if (values[i] == IN_PROGRESS) {
      errors[i] = new PolicyEvaluationException("variables." + key + " refers to itself", "variables." + key, 0, 0,
          null);
      throw errors[i];
    }
    if (values[i] == UNSET) {
      values[i] = IN_PROGRESS;
      try {
        values[i] = policy.variables.get(i).evaluate(activation, meter);
      } catch (PolicyEvaluationException e) {
        values[i] = UNSET;
        errors[i] = e.getCause() instanceof CostMeter.Exceeded ? e : new PolicyEvaluationException(
            "composited variable \"" + key + "\" fails to evaluate: " + e.getMessage(), e.expression(), e.line(),
            e.column(), e);
        throw errors[i];
      }
    }
    return values[i];
  }

  @Override public boolean containsKey(Object key) {
    return policy.variableIndex.containsKey(key);
  }

  @Override public Set<Entry<String, Object>> entrySet() {
    Map<String, Object> all = new LinkedHashMap<>();
    for (String name : policy.variableNames) {
      all.put(name, get(name));
    }
    return all.entrySet();
  }
}
