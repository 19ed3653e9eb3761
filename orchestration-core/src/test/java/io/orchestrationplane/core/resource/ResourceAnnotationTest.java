package io.orchestrationplane.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A resource keeps its content-hash annotation from when it was made (a plan's digest reads it
 * for every write): what {@link Resource#annotation} answers must stay what the tree holds.
 */
class ResourceAnnotationTest {
  private static final String HASH = Ownership.CONTENT_HASH_ANNOTATION;

  private static Resource configMap(String annotations) {
    return Resource.fromJson("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\""
        + (annotations == null ? "" : ",\"annotations\":" + annotations) + "}}");
  }

  @Test
  void theContentHashAnnotationIsWhatTheTreeHolds() {
    assertThat(configMap(null).annotation(HASH)).isNull();
    assertThat(configMap("{}").annotation(HASH)).isNull();
    assertThat(configMap("{\"" + HASH + "\":\"sha256:aa\",\"other\":\"x\"}").annotation(HASH)).isEqualTo("sha256:aa");
    assertThat(configMap("{\"" + HASH + "\":\"sha256:aa\",\"other\":\"x\"}").annotation("other")).isEqualTo("x");
    assertThat(configMap("{\"" + HASH + "\":null}").annotation(HASH)).isNull();
    assertThat(configMap("{\"" + HASH + "\":7}").annotation(HASH)).isEqualTo("7"); // as any annotation reads
    assertThat(configMap("\"not an object\"").annotation(HASH)).isNull();
  }

  @Test
  void aCopyWithAnotherContentHashAnswersItsOwn() {
    Resource first = configMap("{\"" + HASH + "\":\"sha256:aa\"}");
    Resource second = first.withAnnotation(HASH, "sha256:bb");
    Resource edited = second.edit(t -> ((tools.jackson.databind.node.ObjectNode) t.get("metadata")).remove("annotations"));
    assertThat(first.annotation(HASH)).isEqualTo("sha256:aa");
    assertThat(second.annotation(HASH)).isEqualTo("sha256:bb");
    assertThat(edited.annotation(HASH)).isNull();
    assertThat(configMap(null).withAnnotation(HASH, "sha256:cc").annotation(HASH)).isEqualTo("sha256:cc");
  }
}
