package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Shared building blocks of the built-in component types and traits. */
final class Workloads {
  private Workloads() {}

  static final String IMAGE = "image";
  static final String CMD = "cmd";
  static final String ARGS = "args";
  static final String ENV = "env";
  static final String REPLICAS = "replicas";
  static final String PULL_POLICY = "imagePullPolicy";
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");

  static io.orchestrationplane.core.render.PropertySchema.Builder containerSchema() {
    return io.orchestrationplane.core.render.PropertySchema.builder()
        .required(IMAGE, PropertyType.STRING, "Container image, e.g. ghcr.io/acme/api:1.4.2")
        .optional(CMD, PropertyType.STRING_LIST, "Container command (overrides the image's entrypoint)")
        .optional(ARGS, PropertyType.STRING_LIST, "Container arguments")
        .optional(ENV, PropertyType.STRING_MAP, "Environment variables, name to value")
        .optional(EnvReferences.VALUE_FROM, PropertyType.OBJECT,
            "Environment variables from Secret and ConfigMap keys: name to {secretKeyRef: {name, key}} or {configMapKeyRef: {name, key}}")
        .optional(EnvReferences.ENV_FROM, PropertyType.LIST,
            "Every key of Secrets and ConfigMaps as variables: a list of {secretRef: {name}} or {configMapRef: {name}}, each with an optional prefix")
        .optional(PULL_POLICY, PropertyType.STRING, "Always, IfNotPresent or Never");
  }

  /** Checks of the container properties beyond their types, as {@code [property, message]} pairs. */
  static List<String[]> containerProblems(Properties p) {
    List<String[]> problems = new ArrayList<>();
    if (p.has(IMAGE) && p.string(IMAGE).isBlank()) {
      problems.add(new String[] {IMAGE, "must not be blank"});
    }
    if (p.has(PULL_POLICY) && !PULL_POLICIES.contains(p.string(PULL_POLICY))) {
      problems.add(new String[] {PULL_POLICY, "must be Always, IfNotPresent or Never, got \"" + p.string(PULL_POLICY) + "\""});
    }
    problems.addAll(EnvReferences.problems(p));
    return problems;
  }

  /**
   * Adds a problem when an integer property exceeds {@code max}. The schema checks only lower
   * bounds; without this, values beyond int32 would silently wrap when rendered into
   * Kubernetes' int32 fields.
   */
  static void atMost(List<String[]> problems, Properties p, String name, long max) {
    if (p.has(name) && p.integer(name, 0) > max) {
      problems.add(new String[] {name, "must be at most " + max + ", got " + p.integer(name, 0)});
    }
  }

  static ObjectNode object(String apiVersion, String kind, String name) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    o.putObject("metadata").put("name", name);
    return o;
  }

  /**
   * The object at {@code parent.field}, created when absent or not an object: raw manifests may
   * leave out or null the fields the traits edit.
   */
  static ObjectNode child(ObjectNode parent, String field) {
    return parent.get(field) instanceof ObjectNode o ? o : parent.putObject(field);
  }

  static ObjectNode labels(Map<String, String> labels) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    labels.forEach(o::put);
    return o;
  }

  /** A pod template whose single container is named after the component. */
  static ObjectNode podTemplate(RenderContext ctx, Properties p, @Nullable Integer port, @Nullable String restartPolicy) {
    ObjectNode template = JsonNodeFactory.instance.objectNode();
    template.putObject("metadata").set("labels", labels(ctx.selectorLabels()));
    ObjectNode spec = template.putObject("spec");
    ObjectNode container = spec.putArray("containers").addObject();
    container.put("name", ctx.component().name());
    container.put("image", p.string(IMAGE));
    if (p.has(PULL_POLICY)) {
      container.put(PULL_POLICY, p.string(PULL_POLICY));
    }
    if (!p.strings(CMD).isEmpty()) {
      ArrayNode cmd = container.putArray("command");
      p.strings(CMD).forEach(cmd::add);
    }
    if (!p.strings(ARGS).isEmpty()) {
      ArrayNode args = container.putArray("args");
      p.strings(ARGS).forEach(args::add);
    }
    if (port != null) {
      ObjectNode ports = container.putArray("ports").addObject();
      ports.put("name", "http");
      ports.put("containerPort", port.intValue());
    }
    if (!p.stringMap(ENV).isEmpty()) {
      setEnv(container, p.stringMap(ENV));
    }
    EnvReferences.render(container, p);
    if (restartPolicy != null) {
      spec.put("restartPolicy", restartPolicy);
    }
    return template;
  }

  static Resource deployment(RenderContext ctx, Properties p, @Nullable Integer port) {
    ObjectNode d = object("apps/v1", "Deployment", ctx.component().name());
    ObjectNode spec = d.putObject("spec");
    spec.put("replicas", (int) p.integer(REPLICAS, 1));
    spec.putObject("selector").set("matchLabels", labels(ctx.selectorLabels()));
    spec.set("template", podTemplate(ctx, p, port, null));
    return Resource.of(d);
  }

  /** Sets (or replaces) variables in a container's env list, keeping the others in order. */
  static void setEnv(ObjectNode container, Map<String, String> vars) {
    JsonNode existing = container.get("env");
    ArrayNode env = existing instanceof ArrayNode a ? a : container.putArray("env");
    vars.forEach((name, value) -> {
      for (JsonNode e : env) {
        if (name.equals(e.path("name").asString())) {
          // A variable has either a value or a valueFrom; the API server refuses both.
          ((ObjectNode) e).remove("valueFrom");
          ((ObjectNode) e).put("value", value);
          return;
        }
      }
      ObjectNode v = env.addObject();
      v.put("name", name);
      v.put("value", value);
    });
  }

  /** The pod spec inside a workload object, or {@code null} for kinds without one. */
  static @Nullable ObjectNode podSpec(ObjectNode resource) {
    String kind = resource.path("kind").asString();
    JsonNode spec = switch (kind) {
      case "Pod" -> resource.get("spec");
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> resource.path("spec").path("template").get("spec");
      case "CronJob" -> resource.path("spec").path("jobTemplate").path("spec").path("template").get("spec");
      default -> null;
    };
    return spec instanceof ObjectNode o ? o : null;
  }

  /** The pod template metadata inside a workload object, or {@code null}. */
  static @Nullable ObjectNode podMetadata(ObjectNode resource) {
    String kind = resource.path("kind").asString();
    JsonNode meta = switch (kind) {
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> resource.path("spec").path("template").get("metadata");
      case "CronJob" -> resource.path("spec").path("jobTemplate").path("spec").path("template").get("metadata");
      default -> null;
    };
    return meta instanceof ObjectNode o ? o : null;
  }

  /** Runs {@code change} on every container of every workload; true when there was one. */
  static boolean forEachContainer(ObjectNode resource, Consumer<ObjectNode> change) {
    ObjectNode podSpec = podSpec(resource);
    if (podSpec == null || !(podSpec.get("containers") instanceof ArrayNode containers)) {
      return false;
    }
    for (JsonNode c : containers) {
      change.accept((ObjectNode) c);
    }
    return !containers.isEmpty();
  }

  static boolean isWorkload(Resource r) {
    return switch (r.kind()) {
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod" -> true;
      default -> false;
    };
  }
}
