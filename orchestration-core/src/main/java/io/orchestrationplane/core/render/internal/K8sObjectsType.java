package io.orchestrationplane.core.render.internal;

import io.orchestrationplane.core.render.ComponentType;
import io.orchestrationplane.core.render.Properties;
import io.orchestrationplane.core.render.PropertySchema;
import io.orchestrationplane.core.render.PropertyType;
import io.orchestrationplane.core.render.RenderContext;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;

/**
 * {@code k8s-objects}: raw manifests of any kind, given as a list of objects or as (multi-document)
 * YAML text. Objects without a namespace get the environment's, unless their kind is cluster-scoped.
 */
public final class K8sObjectsType implements ComponentType {
  private static final PropertySchema SCHEMA = PropertySchema.builder()
      .optional("objects", PropertyType.LIST, "Manifests as a list of objects")
      .optional("manifests", PropertyType.STRING, "Manifests as YAML text; documents separated by ---")
      .build();

  @Override
  public String name() {
    return "k8s-objects";
  }

  @Override
  public PropertySchema schema() {
    return SCHEMA;
  }

  @Override
  public List<String[]> check(Properties p) {
    List<String[]> problems = new ArrayList<>();
    if (!p.has("objects") && !p.has("manifests")) {
      problems.add(new String[] {"objects", "give 'objects' or 'manifests' (at least one manifest)"});
      return problems;
    }
    List<Object> objects = p.list("objects");
    for (int i = 0; i < objects.size(); i++) {
      String problem = manifestProblem(Json.JSON.valueToTree(objects.get(i)));
      if (problem != null) {
        problems.add(new String[] {"objects[" + i + "]", problem});
      }
    }
    if (p.has("manifests")) {
      try {
        List<JsonNode> docs = parse(p.string("manifests"));
        for (int i = 0; i < docs.size(); i++) {
          String problem = manifestProblem(docs.get(i));
          if (problem != null) {
            problems.add(new String[] {"manifests", "document " + (i + 1) + ": " + problem});
          }
        }
      } catch (IllegalArgumentException e) {
        problems.add(new String[] {"manifests", e.getMessage()});
      }
    }
    return problems;
  }

  @Override
  public List<Resource> render(RenderContext ctx, Properties p) {
    List<Resource> out = new ArrayList<>();
    for (Object o : p.list("objects")) {
      out.add(Resource.of(Json.JSON.valueToTree(o)));
    }
    if (p.has("manifests")) {
      for (JsonNode doc : parse(p.string("manifests"))) {
        out.add(Resource.of(doc));
      }
    }
    return out;
  }

  /** The non-empty documents of a multi-document YAML text. */
  static List<JsonNode> parse(String yaml) {
    try {
      return Json.readYamlDocuments(yaml);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("manifests: " + e.getMessage(), e);
    }
  }

  private static @Nullable String manifestProblem(JsonNode doc) {
    if (!doc.isObject()) {
      return "must be an object";
    }
    for (String field : List.of("apiVersion", "kind")) {
      if (!doc.path(field).isString() || doc.path(field).asString().isEmpty()) {
        return field + " is required";
      }
    }
    if (!doc.path("metadata").path("name").isString() || doc.path("metadata").path("name").asString().isEmpty()) {
      return doc.path("kind").asString() + ": metadata.name is required";
    }
    return null;
  }
}
