package io.orchestrationplane.core.plan.internal;

import io.orchestrationplane.core.resource.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code metadata.managedFields} of a live object (server-side apply's record of which
 * field manager owns which field, in the {@code FieldsV1} format: {@code f:<field>},
 * {@code k:<key fields as JSON>}, {@code v:<value as JSON>}, {@code i:<index>}, {@code .}) and
 * turns the fields of given managers into concrete paths of that object.
 */
public final class ManagedFields {
  private ManagedFields() {}

  /** The concrete paths (field names and list indexes) of {@code live} owned by any of {@code managers}. */
  public static List<List<Object>> ownedBy(JsonNode live, Collection<String> managers) {
    List<List<Object>> out = new ArrayList<>();
    for (JsonNode entry : live.path("metadata").path("managedFields")) {
      if (!managers.contains(entry.path("manager").asString(""))) {
        continue;
      }
      JsonNode fields = entry.get("fieldsV1");
      if (fields != null && fields.isObject()) {
        walk(fields, live, new ArrayList<>(), out);
      }
    }
    return out;
  }

  private static void walk(JsonNode set, @Nullable JsonNode node, List<Object> path, List<List<Object>> out) {
    for (Map.Entry<String, JsonNode> e : set.properties()) {
      String k = e.getKey();
      JsonNode children = e.getValue();
      if (k.equals(".")) {
        out.add(List.copyOf(path));
        continue;
      }
      if (k.startsWith("f:")) {
        String field = k.substring(2);
        JsonNode value = node == null ? null : node.get(field);
        descend(path, field, value, children, out);
      } else if (k.startsWith("i:") && node != null && node.isArray()) {
        try {
          int i = Integer.parseInt(k.substring(2));
          descend(path, i, node.get(i), children, out);
        } catch (NumberFormatException ignored) {
          // not an index: nothing to match
        }
      } else if ((k.startsWith("k:") || k.startsWith("v:")) && node != null && node.isArray()) {
        JsonNode wanted;
        try {
          wanted = Json.readJson(k.substring(2));
        } catch (IllegalArgumentException e2) {
          continue;
        }
        for (int i = 0; i < node.size(); i++) {
          JsonNode element = node.get(i);
          if (k.startsWith("v:") ? element.equals(wanted) : matchesKeys(element, wanted)) {
            descend(path, i, element, children, out);
          }
        }
      }
    }
  }

  private static void descend(List<Object> path, Object segment, @Nullable JsonNode value, JsonNode children,
      List<List<Object>> out) {
    path.add(segment);
    if (children == null || !children.isObject() || children.isEmpty()) {
      out.add(List.copyOf(path)); // a leaf: the field itself is owned
    } else {
      walk(children, value, path, out);
    }
    path.remove(path.size() - 1);
  }

  private static boolean matchesKeys(JsonNode element, JsonNode keys) {
    if (!element.isObject() || !keys.isObject()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : keys.properties()) {
      JsonNode v = element.get(e.getKey());
      if (v == null) {
        return false;
      }
      boolean same = v.isNumber() && e.getValue().isNumber()
          ? v.decimalValue().compareTo(e.getValue().decimalValue()) == 0 : v.equals(e.getValue());
      if (!same) {
        return false;
      }
    }
    return true;
  }
}
