package io.orchestrationplane.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Kubernetes label selector. An empty selector matches everything.
 *
 * @param matchLabels labels that must be present with these values
 * @param matchExpressions In, NotIn, Exists, DoesNotExist requirements
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
  /** Matches every object. */
  public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

  public LabelSelector {
    matchLabels = Map.copyOf(matchLabels == null ? Map.of() : matchLabels);
    matchExpressions = List.copyOf(matchExpressions == null ? List.of() : matchExpressions);
  }

  /** One requirement of {@code matchExpressions}. */
  public record Requirement(String key, String operator, List<String> values) {
    public Requirement {
      Objects.requireNonNull(key, "key");
      values = List.copyOf(values == null ? List.of() : values);
      if (!List.of("In", "NotIn", "Exists", "DoesNotExist").contains(operator)) {
        throw new IllegalArgumentException("unknown label selector operator '" + operator
            + "' for key '" + key + "' (expected In, NotIn, Exists or DoesNotExist)");
      }
    }

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        default -> value == null;
      };
    }
  }

  /** Whether labels satisfy every label and requirement. */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (Requirement r : matchExpressions) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }
}
