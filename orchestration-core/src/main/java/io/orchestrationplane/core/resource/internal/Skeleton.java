package io.orchestrationplane.core.resource.internal;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Ownership;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shape of an object without its values: which fields (and which elements of lists merged by
 * key) it sets. The plane records the skeleton of what it applied in an annotation, so that a
 * field it stops setting can be named as removed, and client-side apply knows which live fields
 * it may drop. Values never enter a skeleton, so Secret data cannot leak through it.
 *
 * <p>Objects map to objects of their fields' skeletons; an element of a list merged by key maps
 * under its key ({@code "name=api"}); every other value (scalars, atomic lists, sets) is {@code 1}.
 */
public final class Skeleton {
  private static final Set<String> SERVER_METADATA = Set.of("uid", "resourceVersion", "generation",
      "creationTimestamp", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink");

  private Skeleton() {}

  /** The plane's own derived annotations, which an applied-fields skeleton leaves out. */
  private static final Set<String> DERIVED_ANNOTATIONS =
      Set.of(Ownership.CONTENT_HASH_ANNOTATION, Ownership.APPLIED_FIELDS_ANNOTATION);

  /**
   * The text of {@link Ownership#APPLIED_FIELDS_ANNOTATION} for an object's tree (see {@link
   * Ownership#appliedFields}): its skeleton without the plane's derived annotations, as compact JSON.
   */
  public static String appliedFields(JsonNode object, GroupKind kind) {
    ObjectNode skeleton = of(object, kind, DERIVED_ANNOTATIONS);
    String text = JsonText.of(skeleton);
    return RECENT.dedup(text != null ? text : Json.writeJson(skeleton));
  }

  /**
   * The skeletons made last: objects of one shape (every application's Service, say) have the
   * same skeleton, and each rendered object keeps its text for as long as it lives (in the
   * planner's last plan, in a driver's cache, in the cluster), hundreds of bytes each.
   */
  private static final StringDedup RECENT = new StringDedup(256);

  /** The skeleton of a whole object: status, server-set metadata and {@code skip} annotations left out. */
  public static ObjectNode of(JsonNode object, GroupKind kind, Set<String> skipAnnotations) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      String field = e.getKey();
      if (field.equals("status")) {
        continue;
      }
      if (field.equals("metadata") && e.getValue().isObject()) {
        ObjectNode m = out.putObject("metadata");
        for (Map.Entry<String, JsonNode> me : e.getValue().properties()) {
          if (SERVER_METADATA.contains(me.getKey())) {
            continue;
          }
          if (me.getKey().equals("annotations") && me.getValue().isObject()) {
            ObjectNode a = JsonNodeFactory.instance.objectNode();
            for (String k : me.getValue().propertyNames()) {
              if (!skipAnnotations.contains(k)) {
                a.set(k, IntNode.valueOf(1));
              }
            }
            if (!a.isEmpty()) {
              m.set("annotations", a);
            }
          } else {
            m.set(me.getKey(), of(me.getValue(), kind, new StringBuilder("metadata.").append(me.getKey()), me.getKey(),
                null));
          }
        }
        continue;
      }
      out.set(field, of(e.getValue(), kind, new StringBuilder(field), field, null));
    }
    return out;
  }

  /** {@code path}: the field names and {@code []} from the root, grown and restored in place; text only when a list asks. */
  private static JsonNode of(JsonNode node, GroupKind kind, StringBuilder path, @Nullable String field,
      @Nullable String parentList) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      int length = path.length();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        path.append('.').append(e.getKey());
        out.set(e.getKey(), of(e.getValue(), kind, path, e.getKey(), parentList));
        path.setLength(length);
      }
      return out;
    }
    if (node.isArray()) {
      ListSemantics.Rule rule = ListSemantics.builtIn().of(kind, path::toString, field, parentList);
      if (rule.type() != ListSemantics.Type.MAP) {
        return IntNode.valueOf(1);
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (JsonNode element : node) {
        String key = rule.keyOf(element);
        if (key == null) {
          return IntNode.valueOf(1); // an element without its key: the list cannot be tracked by key
        }
        int length = path.length();
        path.append("[]");
        out.set(key, of(element, kind, path, null, field));
        path.setLength(length);
      }
      return out;
    }
    return IntNode.valueOf(1);
  }
}
