package io.orchestrationplane.core.resource.internal;

import io.orchestrationplane.core.resource.GroupKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * How Kubernetes merges each list of an object, which decides how two of them compare: lists
 * merged by key ({@code x-kubernetes-list-type: map}, strategic-merge {@code patchMergeKey}:
 * containers by name, container ports by port and protocol, env by name, ...), lists merged as
 * sets (tolerations, finalizers), and atomic lists, replaced whole (args, command, and every list
 * not known otherwise).
 *
 * <p>List paths are written as field names with {@code []} for list elements, from the root:
 * {@code spec.template.spec.containers[].ports}.
 */
public final class ListSemantics {
  /** The merge strategy of one list. */
  public enum Type { MAP, SET, ATOMIC }

  /**
   * One list's strategy; for {@link Type#MAP} the key fields and their defaults (a container
   * port's protocol is {@code TCP} when not given).
   */
  public record Rule(Type type, List<String> keys, Map<String, String> keyDefaults) {
    public Rule {
      Objects.requireNonNull(type, "type");
      keys = List.copyOf(keys);
      keyDefaults = Map.copyOf(keyDefaults);
      if (type == Type.MAP && keys.isEmpty()) {
        throw new IllegalArgumentException("a map list needs at least one key field");
      }
    }

    static Rule map(String... keys) {
      return new Rule(Type.MAP, List.of(keys), Map.of());
    }

    /** A non-string key value's JSON text, as {@code toString()} gives it, without Jackson's shared mapper. */
    private static String jsonText(JsonNode v) {
      if (v.isInt() || v.isLong()) { // a port number: its decimal digits, as the generator writes them
        return Long.toString(v.longValue());
      }
      String text = JsonText.of(v);
      return text != null ? text : v.toString();
    }

    /** No value for key {@code k}: absent, null, or empty where the server fills in a default ({@code protocol: ""}). */
    private boolean unset(@Nullable JsonNode v, String k) {
      return v == null || v.isNull() || (v.isString() && v.stringValue().isEmpty() && keyDefaults.containsKey(k));
    }

    /** The key of one element ({@code name=api}, {@code containerPort=80,protocol=TCP}), or null when it has none. */
    public @Nullable String keyOf(JsonNode element) {
      if (!element.isObject()) {
        return null;
      }
      if (keys.size() == 1) { // the common case (by name): no builder
        String k = keys.get(0);
        JsonNode v = element.get(k);
        String text = unset(v, k) ? keyDefaults.get(k) : v.isString() ? v.stringValue() : jsonText(v);
        return text == null ? null : k.concat("=").concat(text);
      }
      StringBuilder sb = new StringBuilder();
      for (String k : keys) {
        JsonNode v = element.get(k);
        String text = unset(v, k) ? keyDefaults.get(k) : v.isString() ? v.stringValue() : jsonText(v);
        if (text == null) {
          if (k.equals(keys.get(0))) {
            return null;
          }
          continue;
        }
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(k).append('=').append(text);
      }
      return sb.toString();
    }
  }

  /** A registered rule for one list of one kind. */
  public record Registered(GroupKind kind, String path, Rule rule) {}

  private static final Rule BY_NAME = Rule.map("name");
  private static final Rule BY_MOUNT_PATH = Rule.map("mountPath");
  private static final Rule BY_DEVICE_PATH = Rule.map("devicePath");
  private static final Rule BY_IP = Rule.map("ip");
  private static final Rule BY_TOPOLOGY = Rule.map("topologyKey", "whenUnsatisfiable");
  private static final Rule BY_UID = Rule.map("uid");
  private static final Rule ATOMIC = new Rule(Type.ATOMIC, List.of(), Map.of());
  private static final Rule SET = new Rule(Type.SET, List.of(), Map.of());
  private static final Rule CONTAINER_PORTS = new Rule(Type.MAP, List.of("containerPort", "protocol"),
      Map.of("protocol", "TCP"));
  private static final Rule SERVICE_PORTS = new Rule(Type.MAP, List.of("port", "protocol"), Map.of("protocol", "TCP"));

  private static final ListSemantics BUILT_IN = new ListSemantics(List.of());

  private final List<Registered> registered;

  private ListSemantics(List<Registered> registered) {
    this.registered = List.copyOf(registered);
  }

  /** Kubernetes' built-in lists only. */
  public static ListSemantics builtIn() {
    return BUILT_IN;
  }

  /** The built-in lists plus rules for lists of custom kinds (from a CRD's schema, say). */
  public static ListSemantics with(List<Registered> rules) {
    return rules.isEmpty() ? BUILT_IN : new ListSemantics(rules);
  }

  /**
   * The strategy of the list at {@code path} (field names and {@code []}) in an object of
   * {@code kind}; {@code field} is the list's own field name, {@code parentList} the field name of
   * the closest enclosing list ({@code null} at top level).
   */
  public Rule of(GroupKind kind, String path, @Nullable String field, @Nullable String parentList) {
    return of(kind, () -> path, field, parentList);
  }

  /**
   * {@link #of(GroupKind, String, String, String)} with the path built only when the answer
   * depends on it (a registered rule, a Service's ports): a comparison asks for every list it
   * meets.
   */
  public Rule of(GroupKind kind, java.util.function.Supplier<String> pathOf, @Nullable String field,
      @Nullable String parentList) {
    String path = null;
    for (Registered r : registered) {
      if (path == null) {
        path = pathOf.get();
      }
      if (r.kind().equals(kind) && r.path().equals(path)) {
        return r.rule();
      }
    }
    boolean core = kind.group().isEmpty();
    switch (field) {
      case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets",
          "resourceClaims", "schedulingGates" -> {
        return BY_NAME;
      }
      case "volumeMounts" -> {
        return BY_MOUNT_PATH;
      }
      case "volumeDevices" -> {
        return BY_DEVICE_PATH;
      }
      case "hostAliases" -> {
        return BY_IP;
      }
      case "topologySpreadConstraints" -> {
        return BY_TOPOLOGY;
      }
      case "ownerReferences" -> {
        return BY_UID;
      }
      case "tolerations", "finalizers" -> {
        return SET;
      }
      case "ports" -> {
        if ("containers".equals(parentList) || "initContainers".equals(parentList)
            || "ephemeralContainers".equals(parentList)) {
          return CONTAINER_PORTS;
        }
        if (core && kind.kind().equals("Service") && "spec.ports".equals(path != null ? path : pathOf.get())) {
          return SERVICE_PORTS;
        }
        return ATOMIC;
      }
      default -> {
        return ATOMIC;
      }
    }
  }

  /** The rules registered besides the built-ins. */
  public List<Registered> registered() {
    return new ArrayList<>(registered);
  }
}
