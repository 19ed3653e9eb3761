package io.orchestrationplane.policy.internal;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * CEL types of OpenAPI schemas, as Kubernetes derives them ({@code apiserver/pkg/cel/common.SchemaDeclType}):
 * objects with properties are object types whose fields are the (escaped) property names, objects with
 * {@code additionalProperties} are {@code map(string, T)}, arrays are {@code list(T)}; strings with format
 * {@code byte} are bytes, {@code duration} durations, {@code date} and {@code date-time} timestamps;
 * {@code x-kubernetes-int-or-string} is {@code dyn}; a property whose schema has no type is left out. Object types
 * are named after their definition, or their path for inline schemas. Used only to type-check (never to evaluate).
 * Not thread-safe: one per engine build.
 */
final class SchemaTypes implements CelTypeProvider {
  private final JsonNode definitions;
  private final Map<String, StructType> structs = new LinkedHashMap<>();

  SchemaTypes(JsonNode definitions) {
    this.definitions = definitions;
  }

  /** The type of a built-in definition, e.g. {@code V1Pod}. */
  CelType definition(String name) {
    return ref(name);
  }

  private CelType ref(String name) {
    StructType s = structs.get(name);
    if (s != null) {
      return s;
    }
    JsonNode schema = definitions.path(name);
    return struct(name, schema.path("properties"));
  }

  /** The type of {@code schema}, named {@code path} when it is an inline object; null when untyped. */
  @Nullable CelType typeOf(@Nullable JsonNode schema, String path) {
    if (schema.has("$ref")) {
      return ref(schema.path("$ref").asString());
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return SimpleType.DYN;
    }
    switch (schema.path("type").asString("")) {
      case "array": {
        if (!schema.has("items")) {
          return null;
        }
        CelType items = typeOf(schema.path("items"), path + ".@items");
        return items == null ? null : ListType.create(items);
      }
      case "object": {
        JsonNode additional = schema.path("additionalProperties");
        if (additional.isObject()) {
          CelType values = typeOf(additional, path + ".@additionalProperties");
          return values == null ? null : MapType.create(SimpleType.STRING, values);
        }
        return struct(path, schema.path("properties"));
      }
      case "string":
        return switch (schema.path("format").asString("")) {
          case "byte" -> SimpleType.BYTES;
          case "duration" -> SimpleType.DURATION;
          case "date", "date-time" -> SimpleType.TIMESTAMP;
          default -> SimpleType.STRING;
        };
      case "boolean":
        return SimpleType.BOOL;
      case "number":
        return SimpleType.DOUBLE;
      case "integer":
        return SimpleType.INT;
      default:
        return null;
    }
  }

  /** Registers an object type whose fields resolve lazily (definitions may refer to themselves). */
  StructType struct(String name, JsonNode properties) {
    StructType existing = structs.get(name);
    if (existing != null) {
      return existing;
    }
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    if (properties.isObject()) {
      for (Map.Entry<String, JsonNode> p : properties.properties()) {
        String escaped = PropertyNames.escape(p.getKey());
        if (escaped != null) {
          fields.put(escaped, p.getValue());
        }
      }
    }
    Map<String, CelType> resolved = new HashMap<>();
    StructType type = StructType.create(name, ImmutableSet.copyOf(fields.keySet()), field -> {
      if (!fields.containsKey(field)) {
        return Optional.empty();
      }
      return Optional.ofNullable(resolved.computeIfAbsent(field, f -> typeOf(fields.get(f), name + "." + f)));
    });
    structs.put(name, type);
    return type;
  }

  /** An object type with the given fields, e.g. the {@code variables} of one policy. */
  StructType declare(String name, Map<String, CelType> fields) {
    return declare(name, fields.keySet(), fields);
  }

  /**
   * An object type with fields {@code names} typed by {@code types} as it is when read: the {@code variables} of a
   * policy, whose types are known one after the other, so that a variable can only read the ones before it.
   */
  StructType declare(String name, java.util.Collection<String> names, Map<String, CelType> types) {
    StructType type = StructType.create(name, ImmutableSet.copyOf(names), f -> Optional.ofNullable(types.get(f)));
    structs.put(name, type);
    return type;
  }

  @Override public ImmutableCollection<CelType> types() {
    return ImmutableList.copyOf(structs.values());
  }

  @Override public Optional<CelType> findType(String typeName) {
    return Optional.ofNullable(structs.get(typeName));
  }
}
