package io.orchestrationplane.core.model;

import io.orchestrationplane.core.model.internal.LocatedReader;
import io.orchestrationplane.core.resource.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes applications as YAML or JSON in a CRD-like envelope. {@code decode(encode(app))}
 * equals {@code app}. Structural errors are reported together, each with its field path and line
 * and column.
 *
 * <pre>{@code
 * apiVersion: orchestrationplane.io/v1alpha1
 * kind: Application
 * metadata: {name: shop, namespace: shop}
 * spec:
 *   components:
 *     - name: api
 *       type: webservice
 *       properties: {image: "acme/api:1.4", port: 8080}
 *       traits:
 *         - type: scaler
 *           properties: {replicas: 2}
 *       dependsOn: [db]
 *   environments:
 *     - name: prod
 *       namespace: shop-prod
 *       placement: {clusters: [prod]}
 *       overrides: {api: {replicas: 3}}
 * }</pre>
 */
public final class ApplicationCodec {
  private static final Set<String> ENVELOPE = Set.of("apiVersion", "kind", "metadata", "spec", "status");
  private static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations");
  private static final Set<String> SPEC = Set.of("components", "environments", "ignoreDifferences");
  private static final Set<String> IGNORE = Set.of("group", "kind", "name", "namespace", "jsonPointers",
      "jqPathExpressions", "managedFieldsManagers");
  private static final Set<String> COMPONENT = Set.of("name", "type", "properties", "traits", "dependsOn");
  private static final Set<String> TRAIT = Set.of("type", "properties");
  private static final Set<String> ENVIRONMENT = Set.of("name", "namespace", "placement", "overrides");
  private static final Set<String> PLACEMENT = Set.of("clusters", "clusterSelector");

  /** An application with the source positions of its fields. */
  public record Decoded(Application application, SourceMap source) {}

  private ApplicationCodec() {}

  /** Decodes YAML; throws {@link ValidationException} with every structural problem. */
  public static Application decodeYaml(String yaml) {
    return read(Json.YAML, yaml).application();
  }

  /** Decodes JSON; throws {@link ValidationException} with every structural problem. */
  public static Application decodeJson(String json) {
    return read(Json.JSON, json).application();
  }

  /** Decodes YAML (JSON is valid YAML too) keeping field positions, for validation messages. */
  public static Decoded readYaml(String yaml) {
    return read(Json.YAML, yaml);
  }

  /** Decodes an envelope already parsed into a tree (no positions). */
  public static Application fromTree(JsonNode tree) {
    return decode(tree, SourceMap.EMPTY).application();
  }

  public static String encodeYaml(Application app) {
    return Json.writeYaml(toTree(app));
  }

  public static String encodeJson(Application app) {
    return Json.writePrettyJson(toTree(app));
  }

  /** The envelope as a JSON tree. */
  public static ObjectNode toTree(Application app) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", Application.API_VERSION);
    root.put("kind", Application.KIND);
    ObjectNode metadata = root.putObject("metadata");
    metadata.put("name", app.name());
    metadata.put("namespace", app.namespace());
    if (!app.labels().isEmpty()) {
      metadata.set("labels", Json.JSON.valueToTree(new java.util.TreeMap<>(app.labels())));
    }
    ObjectNode spec = root.putObject("spec");
    ArrayNode components = spec.putArray("components");
    for (Component c : app.components()) {
      ObjectNode node = components.addObject();
      node.put("name", c.name());
      node.put("type", c.type());
      if (!c.properties().isEmpty()) {
        node.set("properties", Json.JSON.valueToTree(c.properties()));
      }
      if (!c.traits().isEmpty()) {
        ArrayNode traits = node.putArray("traits");
        for (Trait t : c.traits()) {
          ObjectNode tn = traits.addObject();
          tn.put("type", t.type());
          if (!t.properties().isEmpty()) {
            tn.set("properties", Json.JSON.valueToTree(t.properties()));
          }
        }
      }
      if (!c.dependsOn().isEmpty()) {
        ArrayNode deps = node.putArray("dependsOn");
        c.dependsOn().forEach(deps::add);
      }
    }
    if (!app.environments().isEmpty()) {
      ArrayNode envs = spec.putArray("environments");
      for (Environment e : app.environments()) {
        ObjectNode node = envs.addObject();
        node.put("name", e.name());
        if (e.namespace() != null) {
          node.put("namespace", e.namespace());
        }
        if (!e.placement().isEverywhere()) {
          ObjectNode placement = node.putObject("placement");
          if (!e.placement().clusters().isEmpty()) {
            ArrayNode names = placement.putArray("clusters");
            e.placement().clusters().forEach(names::add);
          }
          if (!e.placement().clusterSelector().isEmpty()) {
            placement.set("clusterSelector",
                Json.JSON.valueToTree(new java.util.TreeMap<>(e.placement().clusterSelector())));
          }
        }
        if (!e.overrides().isEmpty()) {
          node.set("overrides", Json.JSON.valueToTree(e.overrides()));
        }
      }
    }
    if (!app.ignoreDifferences().isEmpty()) {
      ArrayNode rules = spec.putArray("ignoreDifferences");
      for (IgnoreDifferences r : app.ignoreDifferences()) {
        ObjectNode node = rules.addObject();
        node.put("group", r.group());
        node.put("kind", r.kind());
        if (r.namespace() != null) {
          node.put("namespace", r.namespace());
        }
        if (r.name() != null) {
          node.put("name", r.name());
        }
        if (!r.jsonPointers().isEmpty()) {
          ArrayNode a = node.putArray("jsonPointers");
          r.jsonPointers().forEach(a::add);
        }
        if (!r.jqPathExpressions().isEmpty()) {
          ArrayNode a = node.putArray("jqPathExpressions");
          r.jqPathExpressions().forEach(a::add);
        }
        if (!r.managedFieldsManagers().isEmpty()) {
          ArrayNode a = node.putArray("managedFieldsManagers");
          r.managedFieldsManagers().forEach(a::add);
        }
      }
    }
    return root;
  }

  private static Decoded read(ObjectMapper mapper, String text) {
    LocatedReader.Located located;
    try {
      located = LocatedReader.read(mapper, text);
    } catch (io.orchestrationplane.core.resource.internal.StrictReader.ReadException e) {
      throw new ValidationException("Application document",
          List.of(new Problem("", e.getMessage(), e.line(), e.column())));
    }
    return decode(located.tree(), located.source());
  }

  private static Decoded decode(JsonNode root, SourceMap src) {
    List<Problem> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new ValidationException("Application document",
          List.of(src.problem("", "expected an object with apiVersion, kind, metadata and spec")));
    }
    unknownFields(root, "", ENVELOPE, src, problems);
    String apiVersion = text(root, "apiVersion", "apiVersion", true, src, problems);
    if (apiVersion != null && !apiVersion.equals(Application.API_VERSION)) {
      problems.add(src.problem("apiVersion", "must be " + Application.API_VERSION + ", got '" + apiVersion + "'"));
    }
    String kind = text(root, "kind", "kind", true, src, problems);
    if (kind != null && !kind.equals(Application.KIND)) {
      problems.add(src.problem("kind", "must be " + Application.KIND + ", got '" + kind + "'"));
    }
    JsonNode metadata = object(root, "metadata", "metadata", true, src, problems);
    String name = null;
    String namespace = "default";
    Map<String, String> labels = Map.of();
    if (metadata != null) {
      unknownFields(metadata, "metadata", METADATA, src, problems);
      name = text(metadata, "name", "metadata.name", true, src, problems);
      String ns = text(metadata, "namespace", "metadata.namespace", false, src, problems);
      if (ns != null && ns.isBlank()) {
        problems.add(src.problem("metadata.namespace", "must not be empty (leave it out for 'default')"));
      } else if (ns != null) {
        namespace = ns;
      }
      labels = stringMap(metadata, "labels", "metadata.labels", src, problems);
    }
    JsonNode spec = object(root, "spec", "spec", true, src, problems);
    List<Component> components = new ArrayList<>();
    List<Environment> environments = new ArrayList<>();
    List<IgnoreDifferences> ignore = new ArrayList<>();
    if (spec != null) {
      unknownFields(spec, "spec", SPEC, src, problems);
      JsonNode list = array(spec, "components", "spec.components", src, problems);
      for (int i = 0; list != null && i < list.size(); i++) {
        Component c = component(list.get(i), "spec.components[" + i + "]", src, problems);
        if (c != null) {
          components.add(c);
        }
      }
      JsonNode envs = array(spec, "environments", "spec.environments", src, problems);
      for (int i = 0; envs != null && i < envs.size(); i++) {
        Environment e = environment(envs.get(i), "spec.environments[" + i + "]", src, problems);
        if (e != null) {
          environments.add(e);
        }
      }
      JsonNode rules = array(spec, "ignoreDifferences", "spec.ignoreDifferences", src, problems);
      for (int i = 0; rules != null && i < rules.size(); i++) {
        IgnoreDifferences r = ignoreRule(rules.get(i), "spec.ignoreDifferences[" + i + "]", src, problems);
        if (r != null) {
          ignore.add(r);
        }
      }
    }
    if (!problems.isEmpty() || name == null) {
      throw new ValidationException("Application " + (name == null ? "document" : "'" + name + "'"), problems);
    }
    String appName = name;
    String appNamespace = namespace;
    Map<String, String> appLabels = labels;
    Application app = built("metadata", src, problems,
        () -> new Application(appName, appNamespace, appLabels, components, environments, ignore));
    if (app == null) {
      throw new ValidationException("Application '" + name + "'", problems);
    }
    return new Decoded(app, src);
  }

  private static @Nullable IgnoreDifferences ignoreRule(JsonNode node, String path, SourceMap src, List<Problem> problems) {
    if (!node.isObject()) {
      problems.add(src.problem(path, "expected an object with kind and jsonPointers, jqPathExpressions or "
          + "managedFieldsManagers"));
      return null;
    }
    unknownFields(node, path, IGNORE, src, problems);
    String group = text(node, "group", path + ".group", false, src, problems);
    String kind = text(node, "kind", path + ".kind", true, src, problems);
    String ns = text(node, "namespace", path + ".namespace", false, src, problems);
    String objectName = text(node, "name", path + ".name", false, src, problems);
    List<String> pointers = stringList(node, "jsonPointers", path + ".jsonPointers", src, problems);
    List<String> jq = stringList(node, "jqPathExpressions", path + ".jqPathExpressions", src, problems);
    List<String> managers = stringList(node, "managedFieldsManagers", path + ".managedFieldsManagers", src, problems);
    if (kind == null) {
      return null;
    }
    try {
      return new IgnoreDifferences(group == null ? "" : group, kind, ns, objectName, pointers, jq, managers);
    } catch (IllegalArgumentException e) {
      // the message names the list and the index ("ignoreDifferences.jsonPointers[0]: ...")
      String m = e.getMessage();
      String field = m.startsWith("ignoreDifferences.") && m.indexOf(':') > 0
          ? path + m.substring("ignoreDifferences".length(), m.indexOf(':')) : path;
      problems.add(src.problem(field, m.indexOf(':') > 0 && m.startsWith("ignoreDifferences.")
          ? m.substring(m.indexOf(':') + 2) : m));
      return null;
    }
  }

  private static @Nullable Component component(JsonNode node, String path, SourceMap src, List<Problem> problems) {
    if (!node.isObject()) {
      problems.add(src.problem(path, "expected an object with name, type and properties"));
      return null;
    }
    unknownFields(node, path, COMPONENT, src, problems);
    String name = text(node, "name", path + ".name", true, src, problems);
    String type = text(node, "type", path + ".type", true, src, problems);
    Map<String, Object> properties = properties(node, "properties", path + ".properties", src, problems);
    List<Trait> traits = new ArrayList<>();
    JsonNode list = array(node, "traits", path + ".traits", src, problems);
    for (int i = 0; list != null && i < list.size(); i++) {
      String tp = path + ".traits[" + i + "]";
      JsonNode t = list.get(i);
      if (!t.isObject()) {
        problems.add(src.problem(tp, "expected an object with type and properties"));
        continue;
      }
      unknownFields(t, tp, TRAIT, src, problems);
      String traitType = text(t, "type", tp + ".type", true, src, problems);
      Map<String, Object> traitProps = properties(t, "properties", tp + ".properties", src, problems);
      Trait trait = traitType == null ? null : built(tp, src, problems, () -> Trait.of(traitType, traitProps));
      if (trait != null) {
        traits.add(trait);
      }
    }
    List<String> dependsOn = stringList(node, "dependsOn", path + ".dependsOn", src, problems);
    if (name == null || type == null) {
      return null;
    }
    return built(path, src, problems, () -> new Component(name, type, properties, traits, dependsOn));
  }

  /**
   * What {@code make} builds, or null with a problem at {@code path} when the model refuses a
   * value the envelope's checks let through (binary data, values nested too deep), so that such
   * input is a located problem like any other, not a bare exception.
   */
  private static <T> @Nullable T built(String path, SourceMap src, List<Problem> problems,
      java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      problems.add(src.problem(path, e.getMessage() == null ? e.toString() : e.getMessage()));
      return null;
    }
  }

  private static @Nullable Environment environment(JsonNode node, String path, SourceMap src, List<Problem> problems) {
    if (!node.isObject()) {
      problems.add(src.problem(path, "expected an object with name, namespace and placement"));
      return null;
    }
    unknownFields(node, path, ENVIRONMENT, src, problems);
    String name = text(node, "name", path + ".name", true, src, problems);
    String namespace = text(node, "namespace", path + ".namespace", false, src, problems);
    Placement placement = Placement.everywhere();
    JsonNode p = object(node, "placement", path + ".placement", false, src, problems);
    if (p != null) {
      unknownFields(p, path + ".placement", PLACEMENT, src, problems);
      List<String> names = stringList(p, "clusters", path + ".placement.clusters", src, problems);
      Map<String, String> selector = stringMap(p, "clusterSelector", path + ".placement.clusterSelector", src, problems);
      Placement given = built(path + ".placement", src, problems, () -> new Placement(names, selector));
      placement = given == null ? placement : given;
    }
    Map<String, Map<String, Object>> overrides = new LinkedHashMap<>();
    JsonNode o = object(node, "overrides", path + ".overrides", false, src, problems);
    if (o != null) {
      for (String component : o.propertyNames()) {
        overrides.put(component, properties(o, component, path + ".overrides." + component, src, problems));
      }
    }
    Placement where = placement;
    return name == null ? null : built(path, src, problems, () -> new Environment(name, namespace, where, overrides));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(JsonNode parent, String field, String path, SourceMap src,
      List<Problem> problems) {
    JsonNode node = object(parent, field, path, false, src, problems);
    return node == null ? Map.of() : Json.JSON.treeToValue(node, LinkedHashMap.class);
  }

  private static void unknownFields(JsonNode node, String path, Set<String> known, SourceMap src,
      List<Problem> problems) {
    for (String field : node.propertyNames()) {
      if (!known.contains(field)) {
        problems.add(src.problem(path.isEmpty() ? field : path + "." + field,
            "unknown field '" + field + "' (expected one of " + new java.util.TreeSet<>(known) + ")"));
      }
    }
  }

  private static @Nullable String text(JsonNode parent, String field, String path, boolean required, SourceMap src,
      List<Problem> problems) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(src.problem(path, "is required"));
      }
      return null;
    }
    if (!v.isString()) {
      problems.add(src.problem(path, "must be a string, got " + describe(v)));
      return null;
    }
    if (required && v.stringValue().isBlank()) {
      problems.add(src.problem(path, "must not be empty"));
      return null;
    }
    return v.stringValue();
  }

  private static @Nullable JsonNode object(JsonNode parent, String field, String path, boolean required, SourceMap src,
      List<Problem> problems) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(src.problem(path, "is required"));
      }
      return null;
    }
    if (!v.isObject()) {
      problems.add(src.problem(path, "must be an object, got " + describe(v)));
      return null;
    }
    return v;
  }

  private static @Nullable JsonNode array(JsonNode parent, String field, String path, SourceMap src, List<Problem> problems) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      problems.add(src.problem(path, "must be a list, got " + describe(v)));
      return null;
    }
    return v;
  }

  private static List<String> stringList(JsonNode parent, String field, String path, SourceMap src,
      List<Problem> problems) {
    JsonNode v = array(parent, field, path, src, problems);
    List<String> out = new ArrayList<>();
    for (int i = 0; v != null && i < v.size(); i++) {
      if (v.get(i).isString()) {
        out.add(v.get(i).stringValue());
      } else {
        problems.add(src.problem(path + "[" + i + "]", "must be a string, got " + describe(v.get(i))));
      }
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode parent, String field, String path, SourceMap src,
      List<Problem> problems) {
    JsonNode v = object(parent, field, path, false, src, problems);
    Map<String, String> out = new LinkedHashMap<>();
    if (v != null) {
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        if (e.getValue().isString()) {
          out.put(e.getKey(), e.getValue().stringValue());
        } else {
          problems.add(src.problem(path + "." + e.getKey(), "must be a string, got " + describe(e.getValue())));
        }
      }
    }
    return out;
  }

  static String describe(JsonNode v) {
    return switch (v.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number (" + v + ")";
      case BOOLEAN -> "a boolean (" + v + ")";
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case NULL -> "null";
      default -> v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
