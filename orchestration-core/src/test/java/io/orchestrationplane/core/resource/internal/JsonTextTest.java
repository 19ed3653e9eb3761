package io.orchestrationplane.core.resource.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.OrchestrationPlane;
import io.orchestrationplane.core.cluster.InMemoryCluster;
import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.Component;
import io.orchestrationplane.core.model.Trait;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The streaming writer writes what Jackson's mappers write, byte for byte, or declines. */
class JsonTextTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static List<JsonNode> scalars() {
    return List.of(F.stringNode(""), F.stringNode("plain"), F.stringNode("quote \" backslash \\ slash /"),
        F.stringNode("controls \n\r\t\b\f \u0000 \u0001 \u001f \u007f"), F.stringNode("unicode é ß 日本 😀 \u2028"),
        F.numberNode(0), F.numberNode(-7), F.numberNode(Integer.MAX_VALUE), F.numberNode(Long.MIN_VALUE),
        F.numberNode((short) 12), F.numberNode(new BigInteger("123456789012345678901234567890")),
        F.numberNode(1.5), F.numberNode(-0.0), F.numberNode(1e300), F.numberNode(1e-7), F.numberNode(Double.NaN),
        F.numberNode(Double.POSITIVE_INFINITY), F.numberNode(0.1f), F.numberNode(Float.NaN),
        F.numberNode(new BigDecimal("1.50")), F.numberNode(new BigDecimal("1E+3")), F.numberNode(new BigDecimal("-0.000001")),
        F.booleanNode(true), F.booleanNode(false), F.nullNode());
  }

  @Test
  void scalarsAsJacksonWritesThem() {
    for (JsonNode n : scalars()) {
      assertThat(JsonText.of(n)).as("%s", n.getNodeType()).isEqualTo(n.toString()).isEqualTo(Json.writeJson(n));
    }
  }

  @Test
  void stringsWithEveryCharacterAsJacksonWritesThem() {
    // the verbatim path (ASCII the generator leaves alone) and the generator's path must agree
    List<Integer> chars = new ArrayList<>();
    for (int c = 0; c < 0x800; c++) {
      chars.add(c);
    }
    chars.addAll(List.of(0x2028, 0x2029, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfeff, 0xfffe, 0xffff));
    for (int c : chars) {
      JsonNode n = F.stringNode("image: acme/api:1 " + (char) c + " <&'>");
      assertThat(JsonText.of(n)).as("character %04x", c).isEqualTo(Json.writeJson(n));
    }
    assertThat(JsonText.of(F.stringNode("apps/v1"))).isEqualTo(Json.writeJson(F.stringNode("apps/v1")));
    assertThat(JsonText.of(F.numberNode(42L))).isEqualTo("42");
  }

  @Test
  void treesInInsertionOrderWithNullsAndEmptyContainers() {
    ObjectNode tree = F.objectNode();
    tree.put("z", 1);
    tree.put("a", "x");
    tree.putNull("n");
    tree.putObject("empty");
    tree.putArray("none");
    tree.putArray("mixed").addAll(scalars()).addObject().put("k", "v");
    tree.putObject("deep").putObject("b").putArray("c").addArray().add(2);
    assertThat(JsonText.of(tree)).isEqualTo(Json.writeJson(tree)).isEqualTo(tree.toString());
    assertThat(JsonText.of(tree)).startsWith("{\"z\":1,\"a\":\"x\",\"n\":null,\"empty\":{},\"none\":[]");
  }

  @Test
  void treesWrittenDirectlyOrByTheGeneratorAsTheMapperWritesThem() {
    // only what the direct writer copies as is: ASCII names and strings, ints, longs, booleans, nulls
    ObjectNode plain = F.objectNode();
    plain.put("apiVersion", "apps/v1");
    plain.put("name=api", 1);
    plain.put("big", Long.MAX_VALUE);
    plain.put("quote", "say \"hi\" \\ there");
    plain.putArray("list").add(true).add(false).addNull().add(-3).addObject().putArray("inner");
    assertThat(JsonText.of(plain)).isEqualTo(Json.writeJson(plain)).isEqualTo(plain.toString());
    // a name, a string or a number the generator writes its own way sends the whole tree to it
    for (int c = 0; c < 0x100; c++) {
      ObjectNode named = F.objectNode();
      named.put("before", 1);
      named.putObject("k" + (char) c).put("v" + (char) c, "s" + (char) c);
      assertThat(JsonText.of(named)).as("character %04x", c).isEqualTo(Json.writeJson(named));
    }
    ObjectNode numbers = F.objectNode();
    numbers.put("int", 1);
    numbers.putArray("others").add(1.5).add(new BigDecimal("1E+3")).add(0.1f).add(new BigInteger("12345678901234567890"));
    assertThat(JsonText.of(numbers)).isEqualTo(Json.writeJson(numbers));
  }

  @Test
  void renderedObjectsAsTheMapperWritesThem() {
    try (OrchestrationPlane plane = OrchestrationPlane.builder().cluster(InMemoryCluster.create("c")).build()) {
      Application app = Application.builder("shop").namespace("shop")
          .component(Component.builder("web", "webservice").property("image", "acme/web:1").property("port", 8080)
              .property("env", Map.of("MODE", "prod", "QUOTE", "say \"hi\"\n"))
              .trait(Trait.of("ingress", Map.of("host", "shop.example.com")))
              .trait(Trait.of("autoscaler", Map.of("min", 2, "max", 10))).build())
          .component(Component.builder("worker", "worker").property("image", "acme/worker:1")
              .trait(Trait.of("storage", Map.of("name", "data", "size", "10Gi", "mountPath", "/data"))).build())
          .build();
      List<Resource> objects = new ArrayList<>();
      plane.render(app).values().forEach(objects::addAll);
      assertThat(objects).hasSizeGreaterThan(4);
      for (Resource r : objects) {
        assertThat(JsonText.of(r.json())).isEqualTo(Json.writeJson(r.json()));
      }
    }
  }

  @Test
  void declinesNodesThatAreNotPlainJson() {
    assertThat(JsonText.of(F.pojoNode(Map.of("a", 1)))).isNull();
    assertThat(JsonText.of(F.binaryNode(new byte[] {1, 2}))).isNull();
    ObjectNode tree = F.objectNode();
    tree.putArray("a").add(F.pojoNode(List.of()));
    assertThat(JsonText.of(tree)).isNull();
    assertThat(JsonText.of(F.missingNode())).isNull();
  }
}
