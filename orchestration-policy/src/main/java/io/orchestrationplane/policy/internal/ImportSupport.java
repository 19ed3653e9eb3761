package io.orchestrationplane.policy.internal;

import io.orchestrationplane.policy.FailurePolicy;
import io.orchestrationplane.policy.LabelSelector;
import io.orchestrationplane.policy.MatchResources;
import io.orchestrationplane.policy.NamedExpression;
import io.orchestrationplane.policy.Operation;
import io.orchestrationplane.policy.ParamKind;
import io.orchestrationplane.policy.ParamRef;
import io.orchestrationplane.policy.ResourceRule;
import io.orchestrationplane.policy.Validation;
import io.orchestrationplane.policy.ValidationAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Field readers shared by the VAP, Kyverno and Gatekeeper importers. Stateless. */
final class ImportSupport {
  private ImportSupport() {}

  static String name(JsonNode d) {
    String n = d.path("metadata").path("name").asString("");
    if (n.isEmpty()) {
      throw new IllegalArgumentException("metadata.name is required");
    }
    return n;
  }

  static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : scalar(v, field);
  }

  /** {@code n} as text; a list or an object is an {@link IllegalArgumentException} naming {@code field}. */
  static String scalar(JsonNode n, String field) {
    if (n.isContainer()) {
      throw new IllegalArgumentException(field + " must be a string, got " + (n.isArray() ? "a list" : "an object"));
    }
    return n.asString();
  }

  /**
   * {@code n} when it is a list or absent (or null: no entries); anything else is an
   * {@link IllegalArgumentException} naming {@code field}, not a list read by index as an object.
   */
  static JsonNode list(JsonNode n, String field) {
    if (n.isArray() || n.isMissingNode() || n.isNull()) {
      return n;
    }
    throw new IllegalArgumentException(field + " must be a list");
  }

  static Validation validation(JsonNode v) {
    return new Validation(v.path("expression").asString(""), text(v, "message"), text(v, "messageExpression"),
        text(v, "reason"));
  }

  static List<Validation> validations(JsonNode list) {
    List<Validation> vs = new ArrayList<>();
    for (JsonNode v : list) {
      vs.add(validation(v));
    }
    return vs;
  }

  static List<NamedExpression> named(JsonNode list, String exprField) {
    List<NamedExpression> out = new ArrayList<>();
    for (JsonNode n : list) {
      out.add(new NamedExpression(n.path("name").asString(""), n.path(exprField).asString("")));
    }
    return out;
  }

  static List<NamedExpression> namedKey(JsonNode list) {
    List<NamedExpression> out = new ArrayList<>();
    for (JsonNode n : list) {
      out.add(new NamedExpression(n.path("key").asString(""), n.path("valueExpression").asString("")));
    }
    return out;
  }

  static @Nullable ParamKind paramKind(JsonNode spec) {
    return spec.has("paramKind") ? new ParamKind(spec.path("paramKind").path("apiVersion").asString(""),
        spec.path("paramKind").path("kind").asString("")) : null;
  }

  static ParamRef paramRef(JsonNode r) {
    return new ParamRef(text(r, "name"), text(r, "namespace"),
        r.has("selector") ? selector(r.path("selector"), "paramRef.selector") : null,
        !"Allow".equals(r.path("parameterNotFoundAction").asString("Deny")));
  }

  static @Nullable FailurePolicy failurePolicy(JsonNode spec) {
    return spec.has("failurePolicy") ? FailurePolicy.parse(scalar(spec.path("failurePolicy"), "spec.failurePolicy")) : null;
  }

  static Set<ValidationAction> actions(JsonNode list, String field, @Nullable String fallback) {
    Set<ValidationAction> out = new LinkedHashSet<>();
    for (int i = 0; i < list(list, field).size(); i++) {
      String at = field + "[" + i + "]";
      // as the API server's validation, a repeated action is refused, not merged
      if (!out.add(ValidationAction.parse(scalar(list.get(i), at)))) {
        throw new IllegalArgumentException(at + ": Duplicate value: \"" + list.get(i).asString() + "\"");
      }
    }
    if (out.isEmpty() && fallback != null) {
      out.add(ValidationAction.parse(fallback));
    }
    return out;
  }

  static MatchResources matchResources(JsonNode m, String field) {
    return new MatchResources(
        m.has("namespaceSelector") ? selector(m.path("namespaceSelector"), field + ".namespaceSelector") : null,
        m.has("objectSelector") ? selector(m.path("objectSelector"), field + ".objectSelector") : null,
        rules(m.path("resourceRules"), field + ".resourceRules"),
        rules(m.path("excludeResourceRules"), field + ".excludeResourceRules"),
        text(m, "matchPolicy"));
  }

  static List<ResourceRule> rules(JsonNode list, String field) {
    List<ResourceRule> out = new ArrayList<>();
    for (int i = 0; i < list(list, field).size(); i++) {
      JsonNode r = list.get(i);
      String at = field + "[" + i + "]";
      Set<Operation> ops = new LinkedHashSet<>();
      boolean any = false;
      for (String o : strings(r.path("operations"), at + ".operations", List.of())) {
        if (o.equals("*")) {
          any = true;
        } else {
          ops.add(Operation.parse(o));
        }
      }
      out.add(new ResourceRule(strings(r.path("apiGroups"), at + ".apiGroups", List.of("*")),
          strings(r.path("apiVersions"), at + ".apiVersions", List.of("*")),
          strings(r.path("resources"), at + ".resources", List.of()), ops, any,
          strings(r.path("resourceNames"), at + ".resourceNames", List.of()), text(r, "scope")));
    }
    return out;
  }

  static List<String> strings(JsonNode list, String field, List<String> whenAbsent) {
    if (!list.isArray()) {
      return whenAbsent;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(scalar(list.get(i), field + "[" + i + "]"));
    }
    return out;
  }

  static LabelSelector selector(JsonNode s, String field) {
    Map<String, String> labels = new LinkedHashMap<>();
    s.path("matchLabels").properties().forEach(
        e -> labels.put(e.getKey(), scalar(e.getValue(), field + ".matchLabels." + e.getKey())));
    List<LabelSelector.Requirement> reqs = new ArrayList<>();
    JsonNode expressions = list(s.path("matchExpressions"), field + ".matchExpressions");
    for (int i = 0; i < expressions.size(); i++) {
      JsonNode e = expressions.get(i);
      String at = field + ".matchExpressions[" + i + "]";
      reqs.add(new LabelSelector.Requirement(scalar(e.path("key"), at + ".key"), scalar(e.path("operator"), at + ".operator"),
          strings(e.path("values"), at + ".values", List.of())));
    }
    return new LabelSelector(labels, reqs);
  }

  /** A CEL string literal. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
