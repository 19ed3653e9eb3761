package io.orchestrationplane.core.resource.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link FrozenJson#copyOf(JsonNode, JsonNode)}: the copy always equals the node copied, and it
 * holds the other tree's nodes exactly where they are equal at the same path.
 */
class FrozenJsonSharingTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static final String DEPLOYMENT = """
      {"apiVersion":"apps/v1","kind":"Deployment",
       "metadata":{"name":"web","namespace":"shop","labels":{"app":"web","tier":"front"}},
       "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
         "template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}}}
      """;

  @Test
  void anEqualTreeIsTheOtherTreeItself() {
    JsonNode like = FrozenJson.copyOf(Json.readJson(DEPLOYMENT));

    assertThat(FrozenJson.copyOf(Json.readJson(DEPLOYMENT), like)).isSameAs(like);
  }

  @Test
  void sharesTheUnchangedSubtreesAndValuesAndNothingElse() {
    JsonNode like = FrozenJson.copyOf(Json.readJson(DEPLOYMENT));
    ObjectNode changed = (ObjectNode) Json.readJson(DEPLOYMENT);
    ((ObjectNode) changed.get("metadata")).put("resourceVersion", "7");
    ((ObjectNode) changed.at("/spec/template/spec/containers/0")).put("image", "nginx:1.28");

    JsonNode copy = FrozenJson.copyOf(changed, like);

    assertThat(copy).isEqualTo(changed);
    assertThat(copy.toString()).isEqualTo(changed.toString());
    assertThat(FrozenJson.isFrozen(copy)).isTrue();
    assertThat(copy.get("metadata").get("labels")).isSameAs(like.get("metadata").get("labels"));
    assertThat(copy.get("metadata").get("name")).isSameAs(like.get("metadata").get("name"));
    assertThat(copy.get("metadata")).isNotSameAs(like.get("metadata"));
    assertThat(copy.at("/spec/selector")).isSameAs(like.at("/spec/selector"));
    assertThat(copy.at("/spec/template/spec/containers/0/ports")).isSameAs(like.at("/spec/template/spec/containers/0/ports"));
    assertThat(copy.at("/spec/template/spec/containers/0/name")).isSameAs(like.at("/spec/template/spec/containers/0/name"));
    assertThat(copy.at("/spec/template")).isNotSameAs(like.at("/spec/template"));
    assertThat(like.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("nginx:1.27");
  }

  @Test
  void shortStringsAreOneNodeAcrossUnrelatedTreesAndLongOnesAreLeftAsTheyAre() {
    String longValue = "x".repeat(FrozenJson.SHARED_STRING_LENGTH + 1);
    JsonNode a = FrozenJson.copyOf(Json.readJson(DEPLOYMENT));
    ObjectNode other = (ObjectNode) Json.readJson(DEPLOYMENT.replace("\"web\"", "\"api\""));
    ((ObjectNode) other.get("metadata")).put("note", longValue);
    ((ObjectNode) a.deepCopy().get("metadata")).put("note", longValue); // another node of the same long text
    JsonNode b = FrozenJson.copyOf(other);

    assertThat(b).isEqualTo(other);
    assertThat(b.get("kind")).isSameAs(a.get("kind")); // parsed apart, shared
    assertThat(b.get("apiVersion")).isSameAs(a.get("apiVersion"));
    assertThat(b.at("/spec/template/spec/containers/0/image")).isSameAs(a.at("/spec/template/spec/containers/0/image"));
    assertThat(b.at("/metadata/name").asString()).isEqualTo("api");
    assertThat(a.at("/metadata/name").asString()).isEqualTo("web");
    assertThat(b.at("/metadata/note")).isSameAs(other.at("/metadata/note")); // too long to be looked up
    // numbers and booleans are what they were
    assertThat(b.at("/spec/replicas").intValue()).isEqualTo(3);
  }

  @Test
  void aSharedStringIsNotKeptOnceNoTreeHoldsIt() {
    // any value may be a secret: the set of recent strings must not outlive the trees holding one
    String secret = "not-kept-beyond-its-tree-7f3a9c";
    JsonNode tree = FrozenJson.copyOf(Json.readJson("{\"data\":{\"password\":\"" + secret + "\"}}"));
    assertThat(FrozenJson.holdsShared(secret)).isTrue();
    java.lang.ref.WeakReference<JsonNode> value = new java.lang.ref.WeakReference<>(tree.at("/data/password"));

    tree = null;
    for (int i = 0; i < 20 && value.get() != null; i++) {
      System.gc(); // a full collection clears what only weak references reach
    }

    assertThat(value.get()).isNull();
    assertThat(FrozenJson.holdsShared(secret)).isFalse();
  }

  @Test
  void theSameFieldsInAnotherOrderAreSharedInTheOtherTreesOrder() {
    // a server answers with its own order of fields: equal objects are shared all the same
    JsonNode like = FrozenJson.copyOf(Json.readJson("{\"a\":{\"x\":1,\"y\":2},\"b\":[1,2],\"c\":{\"p\":1}}"));
    JsonNode node = Json.readJson("{\"a\":{\"y\":2,\"x\":1},\"b\":[1,2],\"c\":{\"q\":1}}");

    JsonNode copy = FrozenJson.copyOf(node, like);

    assertThat(copy).isEqualTo(node);
    assertThat(copy.get("a")).isSameAs(like.get("a"));
    assertThat(copy.toString()).isEqualTo("{\"a\":{\"x\":1,\"y\":2},\"b\":[1,2],\"c\":{\"q\":1}}");
    assertThat(copy.get("b")).isSameAs(like.get("b"));
    assertThat(copy.get("c")).isNotSameAs(like.get("c"));
    assertThat(FrozenJson.copyOf(Json.readJson("{\"c\":{\"p\":1},\"b\":[1,2],\"a\":{\"y\":2,\"x\":1}}"), like))
        .as("the whole tree, reordered").isSameAs(like);
    assertThat(FrozenJson.copyOf(Json.readJson("{\"b\":[2,1]}"), Json.readJson("{\"b\":[1,2]}")).get("b"))
        .as("arrays keep their order").isEqualTo(Json.readJson("[2,1]"));
  }

  /** For every form of an object's fields: an equal object in another order is the other; a changed one shares the rest. */
  @Test
  void objectsOfEverySizeAreSharedWhereEqual() {
    for (int size = 0; size <= FrozenFields.SCAN_LIMIT + 2; size++) {
      ObjectNode source = F.objectNode();
      ObjectNode reversed = F.objectNode();
      for (int i = 0; i < size; i++) {
        source.set("f" + i, F.objectNode().put("v", i));
        reversed.set("f" + (size - 1 - i), F.objectNode().put("v", size - 1 - i));
      }
      JsonNode like = FrozenJson.copyOf(source);

      assertThat(FrozenJson.copyOf(reversed, like)).as("%d fields", size).isSameAs(like);
      if (size > 0) {
        ((ObjectNode) reversed.get("f0")).put("v", -1);
        JsonNode copy = FrozenJson.copyOf(reversed, like);
        assertThat(copy).isEqualTo(reversed).isNotEqualTo(like);
        assertThat(copy.toString()).isEqualTo(reversed.toString());
        for (int i = 1; i < size; i++) {
          assertThat(copy.get("f" + i)).isSameAs(like.get("f" + i));
        }
        assertThat(copy.get("f0")).isNotSameAs(like.get("f0"));
      }
    }
  }

  @Test
  void valuesOfAnotherTypeOrAMutableTreeAreNotShared() {
    ObjectNode node = F.objectNode().put("n", 1).put("s", "1");
    node.set("o", F.objectNode().put("k", "v"));
    ObjectNode mutableLike = node.deepCopy();
    JsonNode like = FrozenJson.copyOf(F.objectNode().put("n", 1L).put("s", 1).set("o", F.objectNode().put("k", "v")));

    JsonNode copy = FrozenJson.copyOf(node, like);
    assertThat(copy).isEqualTo(node);
    assertThat(copy.get("n")).isNotSameAs(like.get("n"));
    assertThat(copy.get("n").isInt()).isTrue();
    assertThat(copy.get("s").isString()).isTrue();
    assertThat(copy.get("o")).isSameAs(like.get("o"));

    JsonNode fromMutable = FrozenJson.copyOf(node, mutableLike);
    assertThat(fromMutable).isEqualTo(node);
    assertThat(FrozenJson.isFrozen(fromMutable.get("o"))).isTrue();
    assertThat(fromMutable.get("o")).isNotSameAs(mutableLike.get("o"));
  }

  @Test
  void randomEditsOfRandomTrees() {
    Random random = new Random(20261204);
    for (int round = 0; round < 2_000; round++) {
      JsonNode original = tree(random, 0);
      JsonNode like = FrozenJson.copyOf(original);
      JsonNode edited = original.deepCopy();
      for (int e = random.nextInt(4); e > 0; e--) {
        edit(edited, random);
      }

      JsonNode copy = FrozenJson.copyOf(edited, like);

      assertThat(copy).isEqualTo(edited);
      assertThat(Json.readJson(copy.toString())).isEqualTo(Json.readJson(edited.toString()));
      assertThat(like).isEqualTo(original); // the other tree is never changed
      assertSharedExactlyWhereEqual(copy, like);
    }
  }

  /** Every container of {@code copy} is {@code like}'s node at the same path iff the two are equal there. */
  private static void assertSharedExactlyWhereEqual(JsonNode copy, JsonNode like) {
    if (like == null || copy.isValueNode()) {
      return;
    }
    assertThat(copy == like).as("shared iff equal: %s vs %s", copy, like).isEqualTo(copy.equals(like));
    if (copy == like) {
      return;
    }
    if (copy.isObject()) {
      for (var e : copy.properties()) {
        assertSharedExactlyWhereEqual(e.getValue(), like.isObject() ? like.get(e.getKey()) : null);
      }
    } else {
      for (int i = 0; i < copy.size(); i++) {
        assertSharedExactlyWhereEqual(copy.get(i), like.isArray() && i < like.size() ? like.get(i) : null);
      }
    }
  }

  private static JsonNode tree(Random random, int depth) {
    int kind = depth >= 4 ? 2 + random.nextInt(3) : random.nextInt(5);
    switch (kind) {
      case 0 -> {
        ObjectNode o = F.objectNode();
        for (int i = random.nextInt(5); i > 0; i--) {
          o.set("k" + random.nextInt(6), tree(random, depth + 1));
        }
        return o;
      }
      case 1 -> {
        ArrayNode a = F.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          a.add(tree(random, depth + 1));
        }
        return a;
      }
      case 2 -> {
        return F.stringNode("s" + random.nextInt(3));
      }
      case 3 -> {
        return random.nextBoolean() ? F.numberNode(random.nextInt(3)) : F.numberNode((long) random.nextInt(3));
      }
      default -> {
        return random.nextBoolean() ? F.booleanNode(random.nextBoolean()) : F.nullNode();
      }
    }
  }

  /** One random change somewhere in {@code root}, if it holds a container. */
  private static void edit(JsonNode root, Random random) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    if (containers.isEmpty()) {
      return;
    }
    JsonNode target = containers.get(random.nextInt(containers.size()));
    if (target instanceof ObjectNode o) {
      switch (random.nextInt(3)) {
        case 0 -> o.set("k" + random.nextInt(6), tree(random, 3));
        case 1 -> o.remove("k" + random.nextInt(6));
        default -> {
          // the same fields in another order
          List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(o.properties());
          o.removeAll();
          for (int i = fields.size() - 1; i >= 0; i--) {
            o.set(fields.get(i).getKey(), fields.get(i).getValue());
          }
        }
      }
    } else if (target instanceof ArrayNode a) {
      if (a.isEmpty() || random.nextBoolean()) {
        a.add(tree(random, 3));
      } else {
        a.remove(random.nextInt(a.size()));
      }
    }
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainer()) {
      out.add(node);
      node.forEach(child -> collect(child, out));
    }
  }
}
