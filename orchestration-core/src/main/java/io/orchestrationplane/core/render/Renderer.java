package io.orchestrationplane.core.render;

import io.orchestrationplane.core.kind.KindCatalog;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Environment;
import io.orchestrationplane.core.model.Names;
import io.orchestrationplane.core.model.Problem;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.model.ValidationException;
import io.orchestrationplane.core.model.internal.ValueLeaves;
import io.orchestrationplane.core.resource.ContentHash;
import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Inventory;
import io.orchestrationplane.core.resource.Ownership;
import io.orchestrationplane.core.resource.Redactor;
import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.core.resource.internal.Skeleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a validated application into the resources of one environment: the environment's
 * overrides are merged over each component's properties (an overridden property replaces the
 * component's value whole), defaults are filled in, the component type renders, then each trait
 * in order. Every resource gets the environment's namespace (unless cluster-scoped or set), the
 * ownership labels and the content-hash annotation.
 */
public final class Renderer {
  private final TypeRegistry types;
  private final KindCatalog kinds;

  /** A renderer with the built-in kind catalogue. */
  public Renderer(TypeRegistry types) {
    this(types, KindCatalog.defaults());
  }

  /** A renderer that takes each kind's scope from {@code kinds}. */
  public Renderer(TypeRegistry types, KindCatalog kinds) {
    this.types = Objects.requireNonNull(types, "types");
    this.kinds = Objects.requireNonNull(kinds, "kinds");
  }

  /** A component as an environment sees it: its properties with the environment's overrides merged. */
  public static Component effective(Component component, Environment environment) {
    Map<String, Object> overrides = environment.overridesFor(component.name());
    if (overrides.isEmpty()) {
      return component;
    }
    Map<String, Object> merged = new LinkedHashMap<>(component.properties());
    merged.putAll(overrides);
    return new Component(component.name(), component.type(), merged, component.traits(), component.dependsOn());
  }

  /** The namespace an environment's resources go to. */
  public static String namespaceOf(Application app, Environment environment) {
    return environment.namespace() == null ? app.namespace() : environment.namespace();
  }

  /**
   * The resources of one environment, in component order. Throws {@link ValidationException}
   * when a type cannot render (a trait that needs a Service on a component without one, say) or
   * two components render the same object.
   */
  public List<Resource> render(Application app, Environment environment) {
    return renderAll(app, environment).resources();
  }

  /**
   * What an environment renders to, with the values of its sensitive properties.
   *
   * @param resources the resources, in component order
   * @param sensitiveValues the values (as text) of every property a type marks sensitive; the
   *     plane keeps them out of plans, status, events and messages like Secret data
   */
  public record Output(List<Resource> resources, java.util.Set<String> sensitiveValues) {
    public Output {
      resources = List.copyOf(resources);
      sensitiveValues = java.util.Set.copyOf(sensitiveValues);
    }

    @Override
    public String toString() {
      return "Output[" + resources.size() + " resources, " + sensitiveValues.size() + " sensitive values hidden]";
    }
  }

  /** Like {@link #render}, with the values of sensitive properties. */
  public Output renderAll(Application app, Environment environment) {
    String namespace = namespaceOf(app, environment);
    List<Resource> out = new ArrayList<>();
    java.util.Set<String> sensitive = new java.util.LinkedHashSet<>();
    List<Problem> problems = new ArrayList<>();
    Map<String, String> renderedBy = new LinkedHashMap<>();
    String applySet = io.orchestrationplane.core.resource.Inventory.applySetId(app.id()); // a digest: once, not per object
    for (int i = 0; i < app.components().size(); i++) {
      Component c = effective(app.components().get(i), environment);
      String path = "spec.components[" + i + "]";
      ComponentType type = types.component(c.type()).orElseThrow(() ->
          new ValidationException("Application '" + app.id() + "'",
              List.of(Problem.at(path + ".type", "unknown component type '" + c.type() + "'"))));
      RenderContext ctx = new RenderContext(app, environment, c, namespace);
      List<Resource> resources;
      try {
        Properties resolved = type.schema().resolve(c.properties());
        sensitiveValues(type.schema(), resolved, sensitive);
        resources = type.render(ctx, resolved);
      } catch (IllegalArgumentException e) {
        problems.add(Problem.at(path + ".properties", c.type() + " cannot render: " + safe(e.getMessage(), sensitive)));
        continue;
      } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError | OutOfMemoryError e) {
        // a bug in the type (a failed assertion or a class missing at run time included): a problem, its message kept clean
        problems.add(Problem.at(path + ".type", c.type() + " failed to render: " + e.getClass().getSimpleName()
            + ": " + safe(e.getMessage(), sensitive)));
        continue;
      }
      String broken = nullsIn(resources);
      if (broken != null) {
        problems.add(Problem.at(path + ".type", c.type() + " failed to render: " + broken));
        continue;
      }
      for (int j = 0; j < c.traits().size(); j++) {
        Trait t = c.traits().get(j);
        String tp = path + ".traits[" + j + "]";
        TraitType trait = types.trait(t.type()).orElse(null);
        if (trait == null) {
          problems.add(Problem.at(tp + ".type", "unknown trait type '" + t.type() + "'"));
          continue;
        }
        try {
          Properties resolved = trait.schema().resolve(t.properties());
          sensitiveValues(trait.schema(), resolved, sensitive);
          List<Resource> after = trait.apply(ctx, resolved, resources);
          String wrong = nullsIn(after);
          if (wrong != null) {
            problems.add(Problem.at(tp + ".type", t.type() + " failed to apply: " + wrong));
          } else {
            resources = List.copyOf(after);
          }
        } catch (IllegalArgumentException e) {
          problems.add(Problem.at(tp, safe(e.getMessage(), sensitive)));
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError | OutOfMemoryError e) {
          problems.add(Problem.at(tp + ".type", t.type() + " failed to apply: " + e.getClass().getSimpleName() + ": "
              + safe(e.getMessage(), sensitive)));
        }
      }
      for (Resource r : resources) {
        Resource done = finish(r, app, environment, c, namespace, sensitive, applySet);
        String reserved = reserved(done);
        if (reserved == null) {
          reserved = metadataProblem(done, true);
        }
        if (reserved == null) {
          reserved = dataProblem(done);
        }
        if (reserved != null) {
          problems.add(Problem.at(path, done + ": " + reserved));
          continue;
        }
        String key = done.key("").toString();
        String previous = renderedBy.putIfAbsent(key, c.name());
        if (previous != null) {
          problems.add(Problem.at(path, done + " is rendered by both component '" + previous
              + "' and component '" + c.name() + "'"));
          continue;
        }
        out.add(done);
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException("Application '" + app.id() + "' (environment " + environment.name() + ")", problems);
    }
    return new Output(out, sensitive);
  }

  /**
   * Why a rendered object would pass for the plane's own bookkeeping, or null: an application that
   * rendered its inventory's name would overwrite the record of what it owns, one that rendered
   * another's would block that application's writes, and an object labelled as an inventory would
   * be read as one and never pruned.
   */
  private static @Nullable String reserved(Resource r) {
    if (r.groupKind().equals(Inventory.PARENT_KIND) && r.name().startsWith(Inventory.PARENT_NAME_PREFIX)) {
      return "ConfigMap names starting with '" + Inventory.PARENT_NAME_PREFIX + "' are reserved for the plane's"
          + " inventory of each application; rename it";
    }
    if (r.label(Inventory.INVENTORY_LABEL) != null) {
      return "the label " + Inventory.INVENTORY_LABEL + " marks the plane's inventory of an application; remove it";
    }
    return null;
  }

  /**
   * What rendering refuses in {@code object} as it stands, before the plane places it, or null:
   * a name or label reserved for the plane's inventory, a name the Kubernetes API server refuses
   * for the kind, a namespace that is not an RFC 1123 label (unless {@code kinds} says the kind is
   * cluster-scoped: placing drops its namespace), a label Kubernetes refuses, or a Secret's or
   * ConfigMap's data the API server refuses (named by key, never quoted). The same message
   * a render of it gives, for a reader that knows where the object came from (a file and line) to
   * report there; a render still checks the placed object.
   */
  public static @Nullable String objectProblem(Resource object, KindCatalog kinds) {
    String problem = reserved(object);
    if (problem == null) {
      problem = metadataProblem(object, !kinds.isClusterScoped(object.groupKind()));
    }
    return problem != null ? problem : dataProblem(object);
  }

  /**
   * What the Kubernetes API server would refuse in a rendered object's name, namespace (when
   * {@code namespaced}) or labels, or null: found here, it is a problem before anything is written,
   * not a write that fails after the objects before it in the plan were applied. Names follow the
   * API server's rule for the kind: path segments for RBAC, RFC 1123 labels for Services and
   * Namespaces, RFC 1123 subdomains for every other kind.
   */
  private static @Nullable String metadataProblem(Resource r, boolean namespaced) {
    GroupKind kind = r.groupKind();
    String name = r.name();
    String problem;
    if (kind.group().equals("rbac.authorization.k8s.io")) {
      problem = name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")
          ? "'" + name + "' is not a valid name: it may not be empty, '.' or '..', or contain '/' or '%'" : null;
    } else if (kind.group().isEmpty() && (kind.kind().equals("Service") || kind.kind().equals("Namespace"))) {
      problem = Names.dnsLabelProblem(name);
    } else {
      problem = Names.dnsSubdomainProblem(name);
    }
    if (problem != null) {
      return "metadata.name " + problem;
    }
    if (namespaced && !r.namespace().isEmpty()) {
      problem = Names.dnsLabelProblem(r.namespace());
      if (problem != null) {
        return "metadata.namespace " + problem;
      }
    }
    for (Map.Entry<String, String> label : r.labels().entrySet()) {
      problem = Names.labelProblem(label.getKey(), label.getValue());
      if (problem != null) {
        return "metadata.labels: " + problem;
      }
    }
    return null;
  }

  /**
   * What the API server would refuse in a core Secret's or ConfigMap's {@code data},
   * {@code stringData} or {@code binaryData}, or null: keys as {@code IsConfigMapKey} takes them,
   * values that are strings, base64 (standard, padded) where the API takes bytes. Found here, it
   * is a problem before anything is written, and a value that is not text is never stored as
   * something else (the in-memory cluster would read it as empty) or shown through the
   * applied-fields record of its structure. The message names the key, never the value.
   */
  private static @Nullable String dataProblem(Resource r) {
    if (!r.group().isEmpty() || !(r.kind().equals("Secret") || r.kind().equals("ConfigMap"))) {
      return null;
    }
    boolean secret = r.kind().equals("Secret");
    for (String field : secret ? List.of("data", "stringData") : List.of("data", "binaryData")) {
      JsonNode map = r.json().get(field);
      if (map == null || map.isNull()) {
        continue;
      }
      if (!map.isObject()) {
        return field + " must be a map of keys to " + (bytes(secret, field) ? "base64 text" : "text")
            + ", got " + (map.isArray() ? "a list" : "a " + map.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
      }
      for (Map.Entry<String, JsonNode> e : map.properties()) {
        String key = e.getKey();
        String keyProblem = configMapKeyProblem(key);
        if (keyProblem != null) {
          return field + ": key '" + (key.length() > 80 ? key.substring(0, 77) + "..." : key) + "' " + keyProblem;
        }
        JsonNode value = e.getValue();
        if (value.isNull()) {
          continue;
        }
        String path = field + "." + key;
        if (!value.isString()) {
          return path + " must be " + (bytes(secret, field) ? "base64 text" : "text") + ", got "
              + (value.isArray() ? "a list" : value.isObject() ? "an object" : "a "
              + value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)) + " (value not shown)";
        }
        if (bytes(secret, field) && !isBase64(value.stringValue())) {
          return path + " is not base64 (value not shown): encode it, or give it as text in "
              + (secret ? "stringData" : "data");
        }
      }
    }
    return null;
  }

  private static boolean bytes(boolean secret, String field) {
    return secret ? field.equals("data") : field.equals("binaryData");
  }

  /** Kubernetes' {@code IsConfigMapKey}: why {@code key} cannot name a data entry, or null. */
  private static @Nullable String configMapKeyProblem(String key) {
    if (key.isEmpty() || key.length() > 253) {
      return "must be 1 to 253 characters long";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c == '-' || c == '.' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return "may hold only letters, digits, '-', '_' and '.'";
      }
    }
    if (key.equals(".") || key.startsWith("..")) {
      return "must not be '.' or start with '..'";
    }
    return null;
  }

  /** Base64 as Go decodes {@code []byte} from JSON: the standard alphabet, padded; line breaks ignored. */
  private static boolean isBase64(String text) {
    String s = text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text : text.replace("\n", "").replace("\r", "");
    if (s.length() % 4 != 0) {
      return false;
    }
    try {
      java.util.Base64.getDecoder().decode(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** What is wrong with a list a type returned, or null when it is a list of resources. */
  private static @Nullable String nullsIn(@Nullable List<Resource> resources) {
    if (resources == null) {
      return "it returned null instead of a list of resources";
    }
    for (int i = 0; i < resources.size(); i++) {
      if (resources.get(i) == null) {
        return "it returned null as resource " + i + " of " + resources.size();
      }
    }
    return null;
  }

  /** A type's message, or a note that it was withheld when it quotes a sensitive property's value. */
  private static String safe(@Nullable String message, java.util.Set<String> sensitive) {
    if (message == null) {
      return "(no message)";
    }
    for (String value : sensitive) {
      if (!value.isEmpty() && message.contains(value)) {
        return "(message withheld: it quotes the value of a sensitive property)";
      }
    }
    return message;
  }

  /** The text of every leaf of every sensitive property's value. */
  private static void sensitiveValues(PropertySchema schema, Properties values, java.util.Set<String> out) {
    for (PropertySpec spec : schema.properties()) {
      if (spec.sensitive()) {
        ValueLeaves.collect(values.get(spec.name()), out);
      }
    }
  }


  /**
   * Places one rendered object and stamps it, in one copy of its tree: the content hash and the
   * applied-fields skeleton are computed from the placed tree before their annotations are set
   * (so neither covers itself), exactly as if the placed object were built first.
   */
  private Resource finish(Resource r, Application app, Environment env, Component c, String namespace,
      java.util.Set<String> sensitive, String applySet) {
    boolean clusterScoped = kinds.isClusterScoped(r.groupKind());
    boolean secret = Redactor.isSecret(r);
    GroupKind kind = r.groupKind();
    return r.edit(tree -> {
      ObjectNode metadata = (ObjectNode) tree.get("metadata");
      if (clusterScoped) {
        metadata.remove("namespace");
      } else if (!metadata.hasNonNull("namespace")) {
        metadata.put("namespace", namespace);
      }
      ObjectNode labels = Resource.metadataObject(tree, "labels");
      app.labels().forEach((k, v) -> {
        if (!labels.has(k)) {
          labels.put(k, v);
        }
      });
      labels.put(Ownership.MANAGED_BY_LABEL, Ownership.MANAGER);
      labels.put(Ownership.APPLICATION_LABEL, app.id());
      labels.put(Ownership.COMPONENT_LABEL, c.name());
      labels.put(Ownership.ENVIRONMENT_LABEL, env.name());
      labels.put(io.orchestrationplane.core.resource.Inventory.PART_OF_LABEL, applySet);
      ObjectNode annotations = Resource.metadataObject(tree, "annotations");
      annotations.remove(Ownership.CONTENT_HASH_ANNOTATION);
      annotations.remove(Ownership.APPLIED_FIELDS_ANNOTATION);
      String hash = ContentHash.ofWithoutSecrets(tree, secret, sensitive);
      String fields = Skeleton.appliedFields(tree, kind);
      annotations.put(Ownership.CONTENT_HASH_ANNOTATION, hash);
      annotations.put(Ownership.APPLIED_FIELDS_ANNOTATION, fields);
    });
  }
}
