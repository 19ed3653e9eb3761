package io.orchestrationplane.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A resource's tree is its own read-only copy, equal to its source in content and field order, and
 * edits copy again.
 */
class ResourceCopyTest {
  private static final String DEPLOYMENT = """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop",
       "labels":{"z":"1","a":"2","m":"3"},"annotations":{}},
       "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"spec":{"containers":[
        {"name":"web","image":"nginx:1.27","ports":[{"containerPort":80},{"containerPort":443}],
         "args":[],"env":[{"name":"A","value":null},{"name":"B","value":"x"}]}]}},
       "ratio":0.5,"big":12345678901234,"flag":true}}""";

  @Test
  void aResourceHoldsAnEqualCopyInTheSameFieldOrder() {
    JsonNode source = Json.readJson(DEPLOYMENT);

    Resource r = Resource.of(source);

    assertThat(r.json()).isEqualTo(source).isNotSameAs(source);
    assertThat(Json.writeJson(r.json())).isEqualTo(Json.writeJson(source));
    assertThat(r.labels().keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void changingTheSourceAfterwardsChangesNothingInTheResource() {
    ObjectNode source = (ObjectNode) Json.readJson(DEPLOYMENT);
    Resource r = Resource.of(source);
    String before = Json.writeJson(r.json());

    ((ObjectNode) source.get("metadata").get("labels")).put("added", "later");
    ((ArrayNode) source.at("/spec/template/spec/containers/0/ports")).removeAll();
    ((ObjectNode) source.get("spec")).put("replicas", 9);

    assertThat(Json.writeJson(r.json())).isEqualTo(before);
  }

  @Test
  void anEditGrowsItsOwnCopyAndLeavesTheOriginalAlone() {
    Resource r = Resource.of(Json.readJson(DEPLOYMENT));
    String before = Json.writeJson(r.json());

    Resource edited = r.edit(t -> {
      ObjectNode labels = (ObjectNode) t.get("metadata").get("labels");
      for (int i = 0; i < 40; i++) {
        labels.put("k" + i, "v" + i); // far past the copied map's size
      }
      ((ArrayNode) t.at("/spec/template/spec/containers/0/args")).add("--verbose");
    });

    assertThat(Json.writeJson(r.json())).isEqualTo(before);
    assertThat(edited.labels()).hasSize(43).containsEntry("k39", "v39").containsEntry("z", "1");
    assertThat(edited.json().at("/spec/template/spec/containers/0/args/0").asString()).isEqualTo("--verbose");
    assertThat(edited.json().at("/spec/template/spec/containers/0/ports")).isEqualTo(r.json().at(
        "/spec/template/spec/containers/0/ports"));
  }

  @Test
  void theTreeIsReadOnlyAndAnEditOrACopyIsNot() {
    Resource r = Resource.of(Json.readJson(DEPLOYMENT));
    String before = Json.writeJson(r.json());

    assertThatThrownBy(() -> ((ObjectNode) r.json()).put("extra", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((ObjectNode) r.json().get("metadata")).remove("name"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((ObjectNode) r.at("/metadata/labels")).put("z", "changed"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((ArrayNode) r.at("/spec/template/spec/containers/0/ports")).removeAll())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((ArrayNode) r.at("/spec/template/spec/containers")).add(1))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(Json.writeJson(r.json())).isEqualTo(before);
    assertThat(r.labels()).containsEntry("z", "1");

    ObjectNode copy = r.toJson();
    copy.put("extra", 1);
    ((ObjectNode) copy.get("metadata")).remove("name");
    assertThat(Json.writeJson(r.json())).isEqualTo(before);
    Resource minimal = Resource.of("v1", "ConfigMap", "shop", "c");
    assertThatThrownBy(() -> ((ObjectNode) minimal.json().get("metadata")).put("name", "other"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(minimal.withLabel("a", "b").labels()).containsEntry("a", "b");
  }

  @Test
  void equalsAndHashesLikeAResourceOverAnOrdinaryTree() {
    JsonNode source = Json.readJson(DEPLOYMENT);
    Resource r = Resource.of(source);

    assertThat(r.json()).isEqualTo(source).hasSameHashCodeAs(source);
    assertThat(source).isEqualTo(r.json());
    assertThat(r).isEqualTo(Resource.of(Json.readJson(DEPLOYMENT))).hasSameHashCodeAs(Resource.of(source));
    assertThat(r.edit(t -> {})).isEqualTo(r).hasSameHashCodeAs(r);
    assertThat(r.withLabel("z", "2")).isNotEqualTo(r);
    assertThat(r.toYaml()).isEqualTo(Json.writeYaml(source));
  }

  @Test
  void aResourceMadeFromAnotherOnesTreeSharesIt() {
    Resource r = Resource.of(Json.readJson(DEPLOYMENT));

    assertThat(Resource.of(r.json()).json()).isSameAs(r.json());
    Resource edited = r.withLabel("team", "payments");
    // an edit shares what it left unchanged, and only that
    assertThat(edited.json().get("spec")).isSameAs(r.json().get("spec"));
    assertThat(edited.json().get("metadata")).isNotSameAs(r.json().get("metadata"));
    assertThat(edited.json().get("metadata").get("name")).isSameAs(r.json().get("metadata").get("name"));
    assertThat(edited.labels()).containsEntry("team", "payments");
    assertThat(r.labels()).doesNotContainKey("team");
    assertThat(edited.json().toString()).isEqualTo(Resource.of(edited.toJson()).json().toString());
    Resource grafted = r.edit(t -> t.set("spec", edited.json().get("spec")));
    assertThat(grafted.json().get("spec")).isSameAs(edited.json().get("spec"));
  }

  @Test
  void aResourceMadeLikeAnotherSharesTheirEqualPartsAndIsCheckedAsAnyOther() {
    Resource before = Resource.of(Json.readJson(DEPLOYMENT));
    ObjectNode answer = before.toJson();
    ((ObjectNode) answer.get("metadata")).put("resourceVersion", "12");

    Resource after = Resource.of(answer, before);

    assertThat(after.json()).isEqualTo(answer);
    assertThat(after.resourceVersion()).isEqualTo("12");
    assertThat(after.json().get("spec")).isSameAs(before.json().get("spec"));
    assertThat(before.resourceVersion()).isNull();
    assertThat(Resource.of(answer, null).json().get("spec")).isNotSameAs(before.json().get("spec"));
    ObjectNode deep = before.toJson();
    ObjectNode at = deep;
    for (int i = 0; i < Resource.MAX_DEPTH + 5; i++) {
      at = at.putObject("n");
    }
    assertThatThrownBy(() -> Resource.of(deep, before)).isInstanceOf(IllegalArgumentException.class);
  }
}
