package io.orchestrationplane.core.resource;

import io.orchestrationplane.core.resource.internal.FrozenJson;
import io.orchestrationplane.core.resource.internal.StringDedup;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An immutable Kubernetes-style object: apiVersion, kind, metadata and a body held as a JSON
 * tree. It is core's one generic object type; drivers, the planner, policies and health
 * assessors all read it.
 *
 * <p>The tree is copied when the resource is made, into a read-only form (objects hold their
 * fields in one array instead of a {@code LinkedHashMap}, about a third of the memory), and
 * changes go through {@link #edit}, which copies again: a {@code Resource} never changes after
 * construction. The tree's nodes throw {@link UnsupportedOperationException} on any mutating
 * method; read-only subtrees (another resource's, say) are shared instead of copied. The tree
 * equals, hashes and serialises like an ordinary Jackson tree with the same fields in the same
 * order.
 *
 * <pre>{@code
 * Resource cm = Resource.fromYaml("""
 *     apiVersion: v1
 *     kind: ConfigMap
 *     metadata: {name: settings, namespace: shop}
 *     data: {mode: fast}
 *     """);
 * Resource labelled = cm.withLabel("team", "payments");
 * }</pre>
 */
public final class Resource {
  /**
   * How deep an object's JSON may nest. Real Kubernetes objects stay far below it (a CRD's schema
   * is among the deepest); deeper input is refused at once, so no reader of a resource can be
   * made to recurse without bound.
   */
  public static final int MAX_DEPTH = 200;

  private final ObjectNode tree;
  private final String apiVersion;
  private final String group;
  private final String kind;
  private final String name;
  private final String namespace;
  // Read on every plan of every object: kept here so that a resync touches the tree no more.
  private final @Nullable String resourceVersion;
  private final boolean controlled;
  /**
   * The content-hash annotation when it is a string, read while the tree is fresh: a plan's digest
   * reads it for every write, often long after the tree was made (the audit log's writer).
   */
  private final @Nullable String contentHash;
  private int hash;
  /**
   * The key last asked for ({@link #key(String)}), so that the maps keyed by an object (the
   * plane's claims, write results, plans and statuses) hold one key per object, not one per map.
   * Racy by design: a key is immutable, and a lost update only makes another equal key.
   */
  private @Nullable ResourceKey key;

  private Resource(ObjectNode tree) {
    this.tree = tree;
    this.apiVersion = requiredText(tree, "apiVersion");
    this.group = groupOf(apiVersion);
    this.kind = requiredText(tree, "kind");
    JsonNode metadata = tree.get("metadata");
    if (metadata == null || !metadata.isObject()) {
      throw new IllegalArgumentException(kind + ": metadata must be an object");
    }
    this.name = requiredText(metadata, "name", "metadata.name", kind);
    String ns = optionalText(metadata, "namespace", kind, name);
    this.namespace = ns == null ? "" : ns;
    this.resourceVersion = optionalText(metadata, "resourceVersion", kind, name);
    optionalText(metadata, "uid", kind, name);
    checkStringMap(metadata, "labels", kind, name);
    checkStringMap(metadata, "annotations", kind, name);
    boolean hasController = false;
    for (JsonNode ref : metadata.path("ownerReferences")) {
      hasController |= ref.path("controller").asBoolean(false);
    }
    this.controlled = hasController;
    JsonNode annotations = metadata.get("annotations");
    JsonNode contentHashValue = annotations == null ? null : annotations.get(Ownership.CONTENT_HASH_ANNOTATION);
    this.contentHash = contentHashValue != null && contentHashValue.isString() ? contentHashValue.stringValue() : null;
  }

  /**
   * A resource from a JSON tree, which is copied. Throws {@link IllegalArgumentException} naming
   * the field when apiVersion, kind or metadata.name is missing, or when metadata's namespace,
   * resourceVersion or uid, or a label or annotation value, is an object or a list.
   */
  public static Resource of(JsonNode object) {
    Objects.requireNonNull(object, "object");
    if (!object.isObject()) {
      throw new IllegalArgumentException("a resource must be a JSON object, got " + object.getNodeType());
    }
    checkDepth(object);
    return new Resource((ObjectNode) FrozenJson.copyOf(object));
  }

  /**
   * A resource from a JSON tree, as {@link #of(JsonNode)}, that shares every part equal to the
   * part of {@code like} at the same path instead of copying it (objects are equal with the same
   * fields in any order; a shared object keeps {@code like}'s order, which JSON gives no
   * meaning): another version of the same object (the object as a server answered a write of
   * {@code like}, a newer version of it) then costs only its differences. {@code like} is only
   * read; a {@code null} {@code like} shares nothing.
   */
  public static Resource of(JsonNode object, @Nullable Resource like) {
    Objects.requireNonNull(object, "object");
    if (!object.isObject()) {
      throw new IllegalArgumentException("a resource must be a JSON object, got " + object.getNodeType());
    }
    checkDepth(object);
    return new Resource((ObjectNode) FrozenJson.copyOf(object, like == null ? null : like.tree));
  }

  /** Throws {@link IllegalArgumentException} naming the path where {@code node} nests deeper than {@link #MAX_DEPTH}. */
  static void checkDepth(JsonNode node) {
    java.util.ArrayDeque<JsonNode> nodes = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
    nodes.push(node);
    depths.push(1);
    while (!nodes.isEmpty()) {
      JsonNode n = nodes.pop();
      int d = depths.pop();
      if (d > MAX_DEPTH) {
        throw new IllegalArgumentException("the object nests more than " + MAX_DEPTH + " levels deep");
      }
      if (n.isContainer()) {
        for (JsonNode child : n) {
          if (child.isContainer()) {
            nodes.push(child);
            depths.push(d + 1);
          }
        }
      }
    }
  }

  /** A resource from one YAML document. */
  public static Resource fromYaml(String yaml) {
    return of(Json.readYaml(yaml));
  }

  /** A resource from JSON text. */
  public static Resource fromJson(String json) {
    return of(Json.readJson(json));
  }

  /** A minimal resource with the given identity and an empty body. */
  public static Resource of(String apiVersion, String kind, @Nullable String namespace, String name) {
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    tree.put("apiVersion", apiVersion);
    tree.put("kind", kind);
    ObjectNode metadata = tree.putObject("metadata");
    metadata.put("name", name);
    if (namespace != null && !namespace.isEmpty()) {
      metadata.put("namespace", namespace);
    }
    return new Resource((ObjectNode) FrozenJson.copyOf(tree));
  }

  public String apiVersion() {
    return apiVersion;
  }

  /** The API group: {@code apps} for {@code apps/v1}, empty for {@code v1}. */
  public String group() {
    return group;
  }

  public String kind() {
    return kind;
  }

  public GroupKind groupKind() {
    return new GroupKind(group, kind);
  }

  public String name() {
    return name;
  }

  /** The namespace, or the empty string for a cluster-scoped object. */
  public String namespace() {
    return namespace;
  }

  /** This object's key in the named cluster. */
  public ResourceKey key(String cluster) {
    ResourceKey k = key;
    if (k != null && k.cluster().equals(cluster)) {
      return k;
    }
    k = new ResourceKey(cluster, group, kind, namespace, name);
    key = k;
    return k;
  }

  /** {@code metadata.labels}, read-only and never null: a view of the tree, which copies nothing. */
  public Map<String, String> labels() {
    return stringMap(tree.path("metadata").path("labels"));
  }

  /** {@code metadata.annotations}, read-only and never null. */
  public Map<String, String> annotations() {
    return stringMap(tree.path("metadata").path("annotations"));
  }

  /** A label value, or {@code null}. */
  public @Nullable String label(String key) {
    JsonNode value = tree.path("metadata").path("labels").get(key);
    return value == null || value.isNull() ? null : value.asString();
  }

  /** An annotation value, or {@code null}. */
  public @Nullable String annotation(String key) {
    if (contentHash != null && key.equals(Ownership.CONTENT_HASH_ANNOTATION)) {
      return contentHash;
    }
    JsonNode v = tree.path("metadata").path("annotations").get(key);
    return v == null || v.isNull() ? null : v.asString();
  }

  /** {@code metadata.resourceVersion}, or {@code null} when not set. */
  public @Nullable String resourceVersion() {
    return resourceVersion;
  }

  /**
   * True when an entry of {@code metadata.ownerReferences} has {@code controller: true}: another
   * object (a ReplicaSet for its Pods, say) manages this one and deletes it.
   */
  public boolean hasController() {
    return controlled;
  }

  /** {@code metadata.generation}, or 0 when not set. */
  public long generation() {
    return tree.path("metadata").path("generation").asLong(0);
  }

  /** {@code metadata.uid}, or {@code null}. */
  public @Nullable String uid() {
    JsonNode v = tree.path("metadata").get("uid");
    return v == null || v.isNull() ? null : v.asString();
  }

  /** True when {@code metadata.deletionTimestamp} is set. */
  public boolean isBeingDeleted() {
    JsonNode v = tree.path("metadata").get("deletionTimestamp");
    return v != null && !v.isNull();
  }

  /**
   * The node at a JSON pointer such as {@code /spec/replicas}, or a missing node. The returned
   * node is read-only: its mutating methods throw {@link UnsupportedOperationException}.
   */
  public JsonNode at(String jsonPointer) {
    return tree.at(JsonPointer.compile(jsonPointer));
  }

  /**
   * The whole object, read-only, for readers on hot paths (planner, policies, health): its
   * mutating methods throw {@link UnsupportedOperationException}; use {@link #edit} or {@link
   * #toJson()} to change a copy.
   */
  public JsonNode json() {
    return tree;
  }

  /** A mutable deep copy of the whole object. */
  public ObjectNode toJson() {
    return tree.deepCopy();
  }

  /**
   * A new resource made by editing a copy of this one. The new resource shares the parts the
   * edit left unchanged with this one (both are read-only), so an edit costs what it changed.
   */
  public Resource edit(Consumer<ObjectNode> change) {
    ObjectNode copy = tree.deepCopy(); // an ordinary mutable tree
    change.accept(copy);
    checkDepth(copy);
    return new Resource((ObjectNode) FrozenJson.copyOf(copy, tree));
  }

  /** A copy with one label set. */
  public Resource withLabel(String key, String value) {
    return edit(t -> metadataObject(t, "labels").put(key, value));
  }

  /** A copy with one annotation set. */
  public Resource withAnnotation(String key, String value) {
    return edit(t -> metadataObject(t, "annotations").put(key, value));
  }

  /** A copy in the given namespace. */
  public Resource withNamespace(String ns) {
    return edit(t -> {
      ObjectNode m = (ObjectNode) t.get("metadata");
      if (ns == null || ns.isEmpty()) {
        m.remove("namespace");
      } else {
        m.put("namespace", ns);
      }
    });
  }

  /** The object as YAML. */
  public String toYaml() {
    return Json.writeYaml(tree);
  }

  /** The API group named by an apiVersion: {@code apps} for {@code apps/v1}, empty for {@code v1}. */
  public static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    // every Resource and key keeps its group: one string per group, not one per object
    return slash < 0 ? "" : GROUPS.dedup(apiVersion.substring(0, slash));
  }

  private static final StringDedup GROUPS = new StringDedup(64);

  /** The {@code metadata.<field>} object of a mutable tree, created when absent. */
  public static ObjectNode metadataObject(ObjectNode tree, String field) {
    ObjectNode metadata = tree.has("metadata") ? (ObjectNode) tree.get("metadata") : tree.putObject("metadata");
    JsonNode existing = metadata.get(field);
    return existing != null && existing.isObject() ? (ObjectNode) existing : metadata.putObject(field);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resource other && tree.equals(other.tree);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = tree.hashCode();
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }

  /**
   * {@code node}'s fields as strings ({@code null} for a JSON null, {@link JsonNode#asString()}
   * for anything else): a read-only view of the resource's read-only tree, so it copies nothing.
   */
  private static Map<String, String> stringMap(JsonNode node) {
    if (node == null || !node.isObject() || node.isEmpty()) {
      return Map.of();
    }
    return new StringFields(node);
  }

  /** A read-only {@code Map} view of a read-only object node's fields as strings. */
  private static final class StringFields extends AbstractMap<String, String> {
    private final JsonNode object;

    StringFields(JsonNode object) {
      this.object = object;
    }

    private static @Nullable String text(JsonNode value) {
      return value.isNull() ? null : value.asString();
    }

    @Override
    public int size() {
      return object.size();
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      return key instanceof String k && object.get(k) != null;
    }

    @Override
    public @Nullable String get(@Nullable Object key) {
      JsonNode value = key instanceof String k ? object.get(k) : null;
      return value == null ? null : text(value);
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        action.accept(e.getKey(), text(e.getValue()));
      }
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public int size() {
          return object.size();
        }

        /** By lookup, as a map's entry set does (a label selector's {@code containsAll}), not by a scan. */
        @Override
        public boolean contains(@Nullable Object o) {
          if (!(o instanceof Map.Entry<?, ?> e) || !(e.getKey() instanceof String key)) {
            return false;
          }
          JsonNode value = object.get(key);
          return value != null && Objects.equals(text(value), e.getValue());
        }

        @Override
        public Iterator<Entry<String, String>> iterator() {
          Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return fields.hasNext();
            }

            @Override
            public Entry<String, String> next() {
              Map.Entry<String, JsonNode> e = fields.next();
              return new SimpleImmutableEntry<>(e.getKey(), text(e.getValue()));
            }
          };
        }
      };
    }
  }

  /**
   * {@code metadata.<field>} as text, {@code null} when absent or null; an object or a list there
   * is an {@link IllegalArgumentException} naming the field, not a failure of a later read.
   */
  private static @Nullable String optionalText(JsonNode metadata, String field, String kind, String name) {
    JsonNode v = metadata.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isContainer()) {
      throw new IllegalArgumentException(kind + " " + name + ": metadata." + field + " must be a string, got "
          + (v.isArray() ? "a list" : "an object"));
    }
    return v.asString();
  }

  /**
   * Checks that {@code metadata.<field>} (labels, annotations), when it is an object, holds no object or
   * list as a value, so that {@link #labels()} and {@link #annotations()} can read every value as text.
   */
  private static void checkStringMap(JsonNode metadata, String field, String kind, String name) {
    JsonNode map = metadata.get(field);
    if (map == null || !map.isObject()) {
      return; // read as no labels (annotations), as the views answer
    }
    for (JsonNode value : map.values()) { // the values alone: no entry made per field of every object
      if (value.isContainer()) {
        for (Map.Entry<String, JsonNode> e : map.properties()) {
          if (e.getValue().isContainer()) {
            throw new IllegalArgumentException(kind + " " + name + ": metadata." + field + "." + e.getKey()
                + " must be a string, got " + (e.getValue().isArray() ? "a list" : "an object"));
          }
        }
      }
    }
  }

  private static String requiredText(JsonNode node, String field) {
    return requiredText(node, field, field, "resource");
  }

  private static String requiredText(JsonNode node, String field, String path, String what) {
    JsonNode v = node.get(field);
    if (v == null || !v.isString() || v.stringValue().isEmpty()) {
      throw new IllegalArgumentException(what + ": " + path + " is required and must be a non-empty string");
    }
    return v.stringValue();
  }
}
