package io.orchestrationplane.policy;

import io.orchestrationplane.policy.internal.BuiltInSchemas;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * OpenAPI schemas of kinds, which policies' expressions are type-checked against ({@link PolicyEngine#typeChecking}):
 * the built-in kinds of Kubernetes 1.35 (shipped with this module, generated from the Kubernetes project's
 * published API definitions, see docs/policy.md) and custom resources from their CustomResourceDefinitions.
 * Immutable.
 *
 * <pre>{@code
 * PolicyEngine.builder().schemas(KindSchemas.builtIn().withCustomResourceDefinition(widgetCrd))
 * }</pre>
 */
public final class KindSchemas {
  private static final KindSchemas NONE = new KindSchemas(false, Map.of());

  private final boolean builtIn;
  /** {@code group/version/Kind} → plural and {@code openAPIV3Schema}. */
  private final Map<String, Custom> custom;

  /** A custom kind's schema and resource name. */
  private record Custom(String plural, JsonNode schema) {}

  private KindSchemas(boolean builtIn, Map<String, Custom> custom) {
    this.builtIn = builtIn;
    this.custom = Map.copyOf(custom);
  }

  /** The built-in kinds' schemas; the engine's default. */
  public static KindSchemas builtIn() {
    return new KindSchemas(true, Map.of());
  }

  /** No schema: nothing is type-checked. */
  public static KindSchemas none() {
    return NONE;
  }

  /**
   * Adds every served version of a CustomResourceDefinition ({@code apiextensions.k8s.io/v1}) with its
   * {@code schema.openAPIV3Schema}.
   *
   * @throws IllegalArgumentException naming the missing field
   */
  public KindSchemas withCustomResourceDefinition(JsonNode crd) {
    Objects.requireNonNull(crd, "crd");
    JsonNode spec = crd.path("spec");
    String group = text(spec, "group", "spec.group");
    String kind = text(spec.path("names"), "kind", "spec.names.kind");
    String plural = text(spec.path("names"), "plural", "spec.names.plural");
    Map<String, Custom> all = new LinkedHashMap<>(custom);
    JsonNode versions = spec.path("versions");
    for (int i = 0; i < versions.size(); i++) {
      JsonNode v = versions.get(i);
      String name = text(v, "name", "spec.versions[" + i + "].name");
      JsonNode schema = v.path("schema").path("openAPIV3Schema");
      if (schema.isObject()) {
        all.put(group + "/" + name + "/" + kind, new Custom(plural, schema));
      }
    }
    return new KindSchemas(builtIn, all);
  }

  /** Adds one kind with its OpenAPI v3 schema (the root object, as a CRD version's {@code openAPIV3Schema}). */
  public KindSchemas with(String group, String version, String kind, String plural, JsonNode openApiV3Schema) {
    Map<String, Custom> all = new LinkedHashMap<>(custom);
    all.put(Objects.requireNonNull(group, "group") + "/" + Objects.requireNonNull(version, "version") + "/"
        + Objects.requireNonNull(kind, "kind"), new Custom(Objects.requireNonNull(plural, "plural"),
        Objects.requireNonNull(openApiV3Schema, "openApiV3Schema")));
    return new KindSchemas(builtIn, all);
  }

  private static String text(JsonNode n, String field, String path) {
    String v = n.path(field).asString("");
    if (v.isEmpty()) {
      throw new IllegalArgumentException("CustomResourceDefinition needs " + path);
    }
    return v;
  }

  /** Whether any schema is known. */
  public boolean isEmpty() {
    return !builtIn && custom.isEmpty();
  }

  boolean includesBuiltIn() {
    return builtIn;
  }

  /** The custom kinds' schemas by {@code group/version/Kind}, for the type checker. */
  Map<String, JsonNode> customSchemas() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    custom.forEach((k, c) -> out.put(k, c.schema()));
    return out;
  }

  /** The custom kinds' plural resource names by {@code group/version/Kind}. */
  Map<String, String> customPlurals() {
    Map<String, String> out = new LinkedHashMap<>();
    custom.forEach((k, c) -> out.put(k, c.plural()));
    return out;
  }

  /** For the type checker: the schema sources. */
  BuiltInSchemas.Sources sources() {
    return new BuiltInSchemas.Sources(builtIn, customSchemas(), customPlurals());
  }
}
