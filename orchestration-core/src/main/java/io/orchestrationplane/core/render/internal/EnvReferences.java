package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.model.Names;
import io.orchestrationplane.core.render.Properties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code envValueFrom} and {@code envFrom} properties of the built-in workload types:
 * variables from Secret and ConfigMap keys ({@code EnvVarSource}) and whole Secrets and ConfigMaps
 * ({@code EnvFromSource}), checked with field paths and rendered into the container. They name a
 * Secret and a key, never a value.
 */
final class EnvReferences {
  private EnvReferences() {}

  static final String VALUE_FROM = "envValueFrom";
  static final String ENV_FROM = "envFrom";
  private static final List<String> KEY_REFS = List.of("secretKeyRef", "configMapKeyRef");
  private static final List<String> REFS = List.of("configMapRef", "secretRef");
  /** A Secret or ConfigMap key: {@code IsConfigMapKey} in Kubernetes' validation. */
  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  /** Problems as {@code [path under the properties, message]}. */
  static List<String[]> problems(Properties p) {
    List<String[]> problems = new ArrayList<>();
    if (p.get(VALUE_FROM) instanceof Map<?, ?> vars) {
      Set<String> plain = p.stringMap(Workloads.ENV).keySet();
      vars.forEach((var, source) -> {
        String path = VALUE_FROM + "." + var;
        String nameProblem = variableNameProblem((String) var);
        if (nameProblem != null) {
          problems.add(new String[] {path, nameProblem});
        }
        if (plain.contains(var)) {
          problems.add(new String[] {path, "variable '" + var + "' is also set in env: a variable has a value or a "
              + "reference, not both"});
        }
        if (!(source instanceof Map<?, ?> m)) {
          problems.add(new String[] {path, "must be an object with secretKeyRef or configMapKeyRef"});
          return;
        }
        oneOf(problems, path, m, KEY_REFS, Set.of());
        for (String kind : KEY_REFS) {
          if (m.containsKey(kind)) {
            reference(problems, path + "." + kind, m.get(kind), true);
          }
        }
      });
    }
    if (p.get(ENV_FROM) instanceof List<?> sources) {
      for (int i = 0; i < sources.size(); i++) {
        String path = ENV_FROM + "[" + i + "]";
        if (!(sources.get(i) instanceof Map<?, ?> m)) {
          problems.add(new String[] {path, "must be an object with secretRef or configMapRef"});
          continue;
        }
        oneOf(problems, path, m, REFS, Set.of("prefix"));
        if (m.containsKey("prefix")) {
          if (!(m.get("prefix") instanceof String prefix)) {
            problems.add(new String[] {path + ".prefix", "must be a string"});
          } else if (prefix.contains("=")) {
            problems.add(new String[] {path + ".prefix", "must not contain '=', got \"" + prefix + "\""});
          }
        }
        for (String kind : REFS) {
          if (m.containsKey(kind)) {
            reference(problems, path + "." + kind, m.get(kind), false);
          }
        }
      }
    }
    return problems;
  }

  /** Exactly one of {@code kinds}, nothing else but {@code others}. */
  private static void oneOf(List<String[]> problems, String path, Map<?, ?> source, List<String> kinds,
      Set<String> others) {
    long present = kinds.stream().filter(source::containsKey).count();
    if (present != 1) {
      problems.add(new String[] {path, "must have exactly one of " + String.join(", ", kinds)
          + (present == 0 ? "" : ", has " + present)});
    }
    for (Object field : source.keySet()) {
      if (!kinds.contains(field) && !others.contains(field)) {
        String hint = "value".equals(field)
            ? ": plain values belong in env; a secret value belongs in a Secret, referenced here by name and key" : "";
        problems.add(new String[] {path + "." + field, "unknown field '" + field + "' (known: "
            + String.join(", ", kinds) + (others.isEmpty() ? "" : ", " + String.join(", ", others)) + ")" + hint});
      }
    }
  }

  /** {@code {name, key, optional}} (with a key) or {@code {name, optional}}. */
  private static void reference(List<String[]> problems, String path, Object ref, boolean withKey) {
    if (!(ref instanceof Map<?, ?> m)) {
      problems.add(new String[] {path, "must be an object with name" + (withKey ? " and key" : "")});
      return;
    }
    Set<String> known = withKey ? Set.of("name", "key", "optional") : Set.of("name", "optional");
    for (Object field : m.keySet()) {
      if (!known.contains(field)) {
        problems.add(new String[] {path + "." + field, "unknown field '" + field + "' (known: name"
            + (withKey ? ", key" : "") + ", optional)"});
      }
    }
    if (!(m.get("name") instanceof String name)) {
      problems.add(new String[] {path + ".name", m.containsKey("name") ? "must be a string" : "is required"});
    } else {
      String problem = Names.dnsSubdomainProblem(name);
      if (problem != null) {
        problems.add(new String[] {path + ".name", problem});
      }
    }
    if (withKey) {
      if (!(m.get("key") instanceof String key)) {
        problems.add(new String[] {path + ".key", m.containsKey("key") ? "must be a string" : "is required"});
      } else if (key.length() > 253 || !KEY.matcher(key).matches()) {
        problems.add(new String[] {path + ".key", "'" + key + "' is not a valid key: use letters, digits, '-', '_' "
            + "and '.', at most 253"});
      }
    }
    if (m.containsKey("optional") && !(m.get("optional") instanceof Boolean)) {
      problems.add(new String[] {path + ".optional", "must be a boolean"});
    }
  }

  /** Kubernetes' relaxed rule: printable ASCII but '=', not empty. */
  private static String variableNameProblem(String name) {
    if (name.isEmpty()) {
      return "a variable name must not be empty";
    }
    for (char c : name.toCharArray()) {
      if (c < 32 || c > 126 || c == '=') {
        return "'" + name + "' is not a valid variable name: use printable ASCII characters other than '='";
      }
    }
    return null;
  }

  /** Appends the references to the container's {@code env} and sets its {@code envFrom}. */
  static void render(ObjectNode container, Properties p) {
    if (p.get(VALUE_FROM) instanceof Map<?, ?> vars && !vars.isEmpty()) {
      JsonNode existing = container.get("env");
      ArrayNode env = existing instanceof ArrayNode a ? a : container.putArray("env");
      vars.forEach((var, source) -> {
        ObjectNode v = env.addObject();
        v.put("name", (String) var);
        ObjectNode valueFrom = v.putObject("valueFrom");
        Map<?, ?> s = (Map<?, ?>) source;
        for (String kind : KEY_REFS) {
          if (s.get(kind) instanceof Map<?, ?> ref) {
            copyRef(valueFrom.putObject(kind), ref, true);
          }
        }
      });
    }
    if (p.get(ENV_FROM) instanceof List<?> sources && !sources.isEmpty()) {
      ArrayNode envFrom = container.putArray("envFrom");
      for (Object source : sources) {
        Map<?, ?> s = (Map<?, ?>) source;
        ObjectNode item = envFrom.addObject();
        if (s.get("prefix") instanceof String prefix) {
          item.put("prefix", prefix);
        }
        for (String kind : REFS) {
          if (s.get(kind) instanceof Map<?, ?> ref) {
            copyRef(item.putObject(kind), ref, false);
          }
        }
      }
    }
  }

  private static void copyRef(ObjectNode target, Map<?, ?> ref, boolean withKey) {
    target.put("name", (String) ref.get("name"));
    if (withKey) {
      target.put("key", (String) ref.get("key"));
    }
    if (ref.get("optional") instanceof Boolean optional) {
      target.put("optional", optional);
    }
  }
}
