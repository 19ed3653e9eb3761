package io.orchestrationplane.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.resource.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a model keeps of the property values it was given: a copy that users' later changes do
 * not reach, that refuses changes, keeps the given order, and equals and hashes as the same
 * values in ordinary maps and lists do.
 */
class PropertyValuesTest {

  @Test
  void propertiesChangedAfterBuildDoNotChangeTheModel() {
    List<Object> ports = new ArrayList<>(List.of(80, 443));
    Map<String, Object> data = new LinkedHashMap<>(Map.of("mode", "fast"));
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("image", "acme/api:1");
    props.put("ports", ports);
    props.put("data", data);
    Component api = Component.builder("api", "webservice").properties(props).build();
    Trait trait = Trait.of("env", props);
    Environment env = Environment.builder("prod").override("api", props).build();

    props.put("image", "acme/api:2");
    props.put("more", "x");
    ports.add(8080);
    data.put("mode", "slow");

    for (Map<String, Object> kept : List.of(api.properties(), trait.properties(), env.overridesFor("api"))) {
      assertThat(kept).containsOnlyKeys("image", "ports", "data");
      assertThat(kept.get("image")).isEqualTo("acme/api:1");
      assertThat(kept.get("ports")).isEqualTo(List.of(80L, 443L));
      assertThat(kept.get("data")).isEqualTo(Map.of("mode", "fast"));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void propertiesAtEveryDepthRefuseChanges() {
    Component api = Component.builder("api", "webservice")
        .property("env", Map.of("MODE", "fast"))
        .property("args", List.of("--serve", Map.of("k", "v")))
        .build();
    Environment env = Environment.builder("prod").override("api", Map.of("replicas", 3)).build();
    Map<String, Object> nested = (Map<String, Object>) api.property("env");
    List<Object> args = (List<Object>) api.property("args");
    Map<String, Object> inList = (Map<String, Object>) args.get(1);

    assertThatThrownBy(() -> api.properties().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> api.properties().entrySet().iterator().next().setValue("y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> nested.put("MODE", "slow")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> nested.keySet().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> args.add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> args.set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> inList.remove("k")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> env.overrides().put("worker", Map.of())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> env.overridesFor("api").clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void keepsTheGivenOrderAndEqualsAndHashesAsOrdinaryCollectionsDo() {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("ZETA", "z");
    env.put("ALPHA", null); // null values pass through, as before
    env.put("MID", Arrays.asList(1, null, "x"));
    Component api = Component.builder("api", "webservice").property("env", env).property("port", 8080).build();

    Map<String, Object> expected = new LinkedHashMap<>();
    Map<String, Object> expectedEnv = new LinkedHashMap<>();
    expectedEnv.put("ZETA", "z");
    expectedEnv.put("ALPHA", null);
    expectedEnv.put("MID", Arrays.asList(1L, null, "x"));
    expected.put("env", expectedEnv);
    expected.put("port", 8080L);
    assertThat(api.properties()).isEqualTo(expected);
    assertThat(expected).isEqualTo(api.properties());
    assertThat(api.properties().hashCode()).isEqualTo(expected.hashCode());
    assertThat(api.properties()).hasToString(expected.toString());
    assertThat(new ArrayList<Object>(((Map<?, ?>) api.property("env")).keySet())).containsExactly("ZETA", "ALPHA", "MID");
    assertThat(((Map<?, ?>) api.property("env")).containsKey("ALPHA")).isTrue();

    // the same values given as unordered maps: an equal component, with the same hash
    Component fromMapOf = new Component("api", "webservice",
        Map.of("port", 8080L, "env", new java.util.HashMap<>(expectedEnv)), List.of(), List.of());
    assertThat(fromMapOf).isEqualTo(api);
    assertThat(fromMapOf.hashCode()).isEqualTo(api.hashCode());
    // Jackson writes them as it writes the ordinary ones: in the given order, or sorted where asked
    assertThat(Json.YAML.writeValueAsString(api.properties())).isEqualTo(Json.YAML.writeValueAsString(expected))
        .contains("  ZETA: z\n  ALPHA: null\n");
    assertThat(Json.JSON.writeValueAsString(api.properties())).isEqualTo(Json.JSON.writeValueAsString(expected))
        .isEqualTo("{\"env\":{\"ALPHA\":null,\"MID\":[1,null,\"x\"],\"ZETA\":\"z\"},\"port\":8080}");
    assertThat(Json.JSON.<tools.jackson.databind.JsonNode>valueToTree(api.properties()))
        .isEqualTo(Json.JSON.<tools.jackson.databind.JsonNode>valueToTree(expected));
  }

  @Test
  void largeMapsKeepEveryEntryInOrder() {
    Map<String, Object> data = new LinkedHashMap<>();
    for (int i = 999; i >= 0; i--) {
      data.put("key-" + i, "value-" + i);
    }
    Component settings = Component.builder("settings", "k8s-objects").property("data", data).build();

    @SuppressWarnings("unchecked")
    Map<String, Object> kept = (Map<String, Object>) settings.property("data");
    assertThat(kept).isEqualTo(data).hasSize(1000);
    assertThat(new ArrayList<>(kept.keySet())).containsExactlyElementsOf(data.keySet());
    for (int i = 0; i < 1000; i++) {
      assertThat(kept.get("key-" + i)).isEqualTo("value-" + i);
    }
    assertThat(kept.get("key-1000")).isNull();
  }

  @Test
  void anApplicationRoundTripsThroughYamlAndJson() {
    Application app = ApplicationCodecTest.shop();

    Application fromYaml = ApplicationCodec.decodeYaml(ApplicationCodec.encodeYaml(app));
    Application fromJson = ApplicationCodec.decodeJson(ApplicationCodec.encodeJson(app));

    assertThat(fromYaml).isEqualTo(app);
    assertThat(fromJson).isEqualTo(app);
    assertThat(fromYaml.hashCode()).isEqualTo(app.hashCode());
    assertThat(ApplicationCodec.encodeYaml(fromYaml)).isEqualTo(ApplicationCodec.encodeYaml(app));
    // decoded twice, the same text gives applications whose maps list their entries alike
    assertThat(ApplicationCodec.decodeYaml(ApplicationCodec.encodeYaml(app)).sameAs(fromYaml)).isTrue();
  }
}
