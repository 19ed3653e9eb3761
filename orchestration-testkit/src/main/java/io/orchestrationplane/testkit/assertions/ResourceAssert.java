package io.orchestrationplane.testkit.assertions;

import io.orchestrationplane.core.resource.Resource;
import io.orchestrationplane.testkit.assertions.internal.Fields;
import io.orchestrationplane.testkit.golden.Goldens;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Assertions on one object; a failure prints its YAML. Field paths are {@code spec.replicas},
 * {@code spec.template.spec.containers[0].image}, {@code metadata.labels['app']} or JSON
 * pointers; values compare as JSON, numbers numerically.
 */
public final class ResourceAssert extends AbstractAssert<ResourceAssert, Resource> {
  private final String where;

  ResourceAssert(Resource actual, String where) {
    super(actual, ResourceAssert.class);
    this.where = where;
  }

  /** The object carries label {@code key} with {@code value}. */
  public ResourceAssert withLabel(String key, String value) {
    isNotNull();
    String live = actual.label(key);
    if (!value.equals(live)) {
      fail("to have label " + key + "=" + value + ", but " + (live == null ? "it has no such label" : "it is " + live));
    }
    return this;
  }

  /** The object does not carry label {@code key}. */
  public ResourceAssert withoutLabel(String key) {
    isNotNull();
    if (actual.label(key) != null) {
      fail("not to have label " + key + ", but it is " + actual.label(key));
    }
    return this;
  }

  /** The object carries annotation {@code key} with {@code value}. */
  public ResourceAssert withAnnotation(String key, String value) {
    isNotNull();
    String live = actual.annotation(key);
    if (!value.equals(live)) {
      fail("to have annotation " + key + "=" + value + ", but " + (live == null ? "it has no such annotation" : "it is " + live));
    }
    return this;
  }

  /** The field at {@code path} equals {@code value} ({@code null}: the field is absent). */
  public ResourceAssert withField(String path, @Nullable Object value) {
    isNotNull();
    JsonNode live = Fields.at(actual.json(), path);
    if (!Fields.matches(live, value)) {
      fail("to have " + path + " = " + Fields.show(value) + ", but it is " + Fields.show(live));
    }
    return this;
  }

  /** The object has no field at {@code path}. */
  public ResourceAssert withoutField(String path) {
    return withField(path, null);
  }

  /** The object's YAML equals the golden file (see {@link Goldens}). */
  public ResourceAssert matchesGolden(String path) {
    isNotNull();
    Goldens.assertMatches(path, actual.toYaml());
    return this;
  }

  private void fail(String expectation) {
    String name = actual.kind() + " " + (actual.namespace() == null || actual.namespace().isEmpty() ? ""
        : actual.namespace() + "/") + actual.name();
    failWithMessage("%s", "Expected " + name + (where.isEmpty() ? "" : " " + where) + " " + expectation + ":\n"
        + actual.toYaml());
  }
}
