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
    return v == null || v.isNull() ? null : v.asString();
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
    return new ParamRef(text(r, "name"), text(r, "namespace"), r.has("selector") ? selector(r.path("selector")) : null,
        !"Allow".equals(r.path("parameterNotFoundAction").asString("Deny")));
  }

  static @Nullable FailurePolicy failurePolicy(JsonNode spec) {
    return spec.has("failurePolicy") ? FailurePolicy.parse(spec.path("failurePolicy").asString()) : null;
  }

  static Set<ValidationAction> actions(JsonNode list, @Nullable String fallback) {
    Set<ValidationAction> out = new LinkedHashSet<>();
    for (JsonNode a : list) {
      out.add(ValidationAction.parse(a.asString()));
    }
    if (out.isEmpty() && fallback != null) {
      out.add(ValidationAction.parse(fallback));
    }
    return out;
  }

  static MatchResources matchResources(JsonNode m) {
    return new MatchResources(
        m.has("namespaceSelector") ? selector(m.path("namespaceSelector")) : null,
        m.has("objectSelector") ? selector(m.path("objectSelector")) : null,
        rules(m.path("resourceRules")), rules(m.path("excludeResourceRules")),
        text(m, "matchPolicy"));
  }

  static List<ResourceRule> rules(JsonNode list) {
    List<ResourceRule> out = new ArrayList<>();
    for (JsonNode r : list) {
      Set<Operation> ops = new LinkedHashSet<>();
      boolean any = false;
      for (JsonNode o : r.path("operations")) {
        if (o.asString().equals("*")) {
          any = true;
        } else {
          ops.add(Operation.parse(o.asString()));
        }
      }
      out.add(new ResourceRule(strings(r.path("apiGroups"), List.of("*")), strings(r.path("apiVersions"), List.of("*")),
          strings(r.path("resources"), List.of()), ops, any, strings(r.path("resourceNames"), List.of()),
          text(r, "scope")));
    }
    return out;
  }

  static List<String> strings(JsonNode list, List<String> whenAbsent) {
    if (!list.isArray()) {
      return whenAbsent;
    }
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asString()));
    return out;
  }

  static LabelSelector selector(JsonNode s) {
    Map<String, String> labels = new LinkedHashMap<>();
    s.path("matchLabels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
    List<LabelSelector.Requirement> reqs = new ArrayList<>();
    for (JsonNode e : s.path("matchExpressions")) {
      reqs.add(new LabelSelector.Requirement(e.path("key").asString(), e.path("operator").asString(),
          strings(e.path("values"), List.of())));
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
