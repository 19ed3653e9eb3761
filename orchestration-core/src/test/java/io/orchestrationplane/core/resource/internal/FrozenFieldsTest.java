package io.orchestrationplane.core.resource.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.resource.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The read-only field map behaves as a {@code LinkedHashMap} with the same fields would, for
 * reading (order, lookups, equality, hashing, JSON output), and refuses every change.
 */
class FrozenFieldsTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** {@code size} fields named in an order no hash table keeps (z9, a8, m7, ...), each with a distinct value. */
  private static LinkedHashMap<String, JsonNode> fields(int size) {
    LinkedHashMap<String, JsonNode> out = new LinkedHashMap<>();
    String[] prefixes = {"z", "a", "m", "b", "y"};
    for (int i = 0; i < size; i++) {
      out.put(prefixes[i % prefixes.length] + (size - i), i % 2 == 0 ? F.stringNode("v" + i) : F.numberNode(i));
    }
    return out;
  }

  private static FrozenFields frozen(Map<String, JsonNode> fields) {
    List<Object> namesAndValues = new ArrayList<>();
    fields.forEach((k, v) -> {
      namesAndValues.add(k);
      namesAndValues.add(v);
    });
    return FrozenFields.of(namesAndValues.toArray());
  }

  // sizes at and around the bounds of each form (fields of its own up to 2 and up to 4, an array
  // above, an index above the scan limit: of bytes below 255 fields, of ints from 255 on)
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, FrozenFields.SCAN_LIMIT, FrozenFields.SCAN_LIMIT + 1, 40, 254, 255, 256, 300})
  void readsLikeTheLinkedHashMapItWasMadeFrom(int size) {
    LinkedHashMap<String, JsonNode> source = fields(size);

    FrozenFields map = frozen(source);

    assertThat(map.size()).isEqualTo(size);
    assertThat(map.isEmpty()).isEqualTo(size == 0);
    assertThat(new ArrayList<>(map.keySet())).containsExactlyElementsOf(source.keySet());
    assertThat(new ArrayList<>(map.values())).containsExactlyElementsOf(source.values());
    assertThat(new ArrayList<>(map.entrySet())).containsExactlyElementsOf(source.entrySet());
    List<String> visited = new ArrayList<>();
    map.forEach((k, v) -> visited.add(k));
    assertThat(visited).containsExactlyElementsOf(source.keySet());
    for (Map.Entry<String, JsonNode> e : source.entrySet()) {
      assertThat(map.get(e.getKey())).isSameAs(e.getValue());
      assertThat(map.get(new String(e.getKey().toCharArray()))).isSameAs(e.getValue()); // by equality, not identity
      assertThat(map.containsKey(e.getKey())).isTrue();
      assertThat(map.containsValue(e.getValue())).isTrue();
      assertThat(map.entrySet()).contains(e);
    }
    assertThat(map.get("absent")).isNull();
    assertThat(map.get(42)).isNull();
    assertThat(map.containsKey("absent")).isFalse();
    assertThat(map.containsValue(F.stringNode("absent"))).isFalse();
    assertThat(map).isEqualTo(source).hasSameHashCodeAs(source).hasToString(source.toString());
    assertThat(source).isEqualTo(map);
    assertThat(map.keySet()).isEqualTo(source.keySet()).hasSameHashCodeAs(source.keySet()).doesNotContain("absent");
    assertThat(map.entrySet()).isEqualTo(source.entrySet()).doesNotContain(Map.entry("absent", F.nullNode()));
    if (size > 0) {
      String last = new ArrayList<>(source.keySet()).get(size - 1);
      assertThat(map.entrySet()).doesNotContain(Map.entry(last, F.stringNode("other")));
    }
    for (Iterator<?> it : List.of(map.keySet().iterator(), map.values().iterator(), map.entrySet().iterator())) {
      for (int i = 0; i < size; i++) {
        assertThat(it.hasNext()).isTrue();
        it.next();
      }
      assertThat(it.hasNext()).isFalse();
      assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }
  }

  /** The form that holds the fields follows from their number alone. */
  @Test
  void eachNumberOfFieldsHasItsForm() {
    for (int size = 0; size <= 300; size++) {
      String expected = size == 0 ? "Many" : size == 1 ? "One" : size == 2 ? "Two" : size == 3 ? "Three"
          : size == 4 ? "Four" : size <= FrozenFields.SCAN_LIMIT ? "Many" : "Indexed";
      assertThat(frozen(fields(size)).getClass().getSimpleName()).as("%d fields", size).isEqualTo(expected);
    }
  }

  /**
   * Every pair of maps of 0 to 10 fields that are equal, or differ in one name or one value, in
   * the same order or with the fields from some position on in another: equal, and hashing, as
   * the LinkedHashMaps they were made from (the same-order comparison stops at each position).
   */
  @Test
  void equalityAcrossSizesAndOrdersIsTheLinkedHashMapsEquality() {
    List<LinkedHashMap<String, JsonNode>> maps = new ArrayList<>();
    for (int size = 0; size <= 10; size++) {
      LinkedHashMap<String, JsonNode> source = fields(size);
      maps.add(source);
      List<String> names = new ArrayList<>(source.keySet());
      for (int from = 0; from < size; from++) {
        // the first `from` fields in order, the rest reversed
        List<String> order = new ArrayList<>(names.subList(0, from));
        List<String> rest = new ArrayList<>(names.subList(from, size));
        java.util.Collections.reverse(rest);
        order.addAll(rest);
        LinkedHashMap<String, JsonNode> reordered = new LinkedHashMap<>();
        order.forEach(n -> reordered.put(n, source.get(n)));
        maps.add(reordered);
        LinkedHashMap<String, JsonNode> otherValue = new LinkedHashMap<>(source);
        otherValue.put(names.get(from), F.stringNode("other"));
        maps.add(otherValue);
        LinkedHashMap<String, JsonNode> otherValueReordered = new LinkedHashMap<>(reordered);
        otherValueReordered.put(names.get(from), F.booleanNode(true));
        maps.add(otherValueReordered);
        LinkedHashMap<String, JsonNode> otherName = new LinkedHashMap<>();
        String renamed = names.get(from);
        source.forEach((n, v) -> otherName.put(n.equals(renamed) ? n + "x" : n, v));
        maps.add(otherName);
      }
    }
    List<FrozenFields> frozen = maps.stream().map(FrozenFieldsTest::frozen).toList();
    for (int i = 0; i < maps.size(); i++) {
      assertThat(frozen.get(i)).isEqualTo(maps.get(i)).hasSameHashCodeAs(maps.get(i));
      for (int j = 0; j < maps.size(); j++) {
        boolean equal = maps.get(i).equals(maps.get(j));
        assertThat(frozen.get(i).equals(frozen.get(j))).as("%s vs %s", maps.get(i), maps.get(j)).isEqualTo(equal);
        assertThat(frozen.get(i).equals(maps.get(j))).as("%s vs %s", maps.get(i), maps.get(j)).isEqualTo(equal);
        assertThat(maps.get(j).equals(frozen.get(i))).as("%s vs %s", maps.get(j), maps.get(i)).isEqualTo(equal);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 20})
  void equalityIgnoresOrderAndHashingFollowsMapsContract(int size) {
    LinkedHashMap<String, JsonNode> source = fields(size);
    List<String> names = new ArrayList<>(source.keySet());
    java.util.Collections.reverse(names);
    LinkedHashMap<String, JsonNode> reversed = new LinkedHashMap<>();
    names.forEach(n -> reversed.put(n, source.get(n)));
    LinkedHashMap<String, JsonNode> changed = new LinkedHashMap<>(source);
    changed.put(names.get(0), F.stringNode("other")); // the last field of source

    assertThat(frozen(source)).isEqualTo(frozen(reversed)).isEqualTo(reversed).hasSameHashCodeAs(reversed);
    assertThat(frozen(reversed)).isEqualTo(frozen(source));
    assertThat(frozen(source)).isNotEqualTo(frozen(changed)).isNotEqualTo(changed);
    assertThat(changed).isNotEqualTo(frozen(source));
    FrozenFields a = frozen(source);
    FrozenFields b = frozen(changed);
    assertThat(a.hashCode()).isNotEqualTo(b.hashCode());
    assertThat(a).isNotEqualTo(b);
    LinkedHashMap<String, JsonNode> fewer = new LinkedHashMap<>(source);
    fewer.remove(names.get(0));
    assertThat(frozen(source)).isNotEqualTo(fewer).isNotEqualTo(frozen(fewer));
    java.util.TreeMap<Integer, JsonNode> otherKeys = new java.util.TreeMap<>();
    for (int i = 0; i < size; i++) {
      otherKeys.put(i, F.nullNode());
    }
    assertThat(frozen(source).equals(otherKeys)).isFalse(); // the lookup's ClassCastException is "not equal"
  }

  @Test
  void anObjectNodeOverItEqualsHashesAndWritesLikeOneOverALinkedHashMap() {
    ObjectNode source = (ObjectNode) Json.readJson("""
        {"z":1,"a":{"y":[1,"two",{"k":null}],"b":true},"m":"text","d":1.5,"e":[]}""");

    JsonNode copy = FrozenJson.copyOf(source);

    assertThat(copy).isEqualTo(source).hasSameHashCodeAs(source).isNotSameAs(source);
    assertThat(source).isEqualTo(copy);
    assertThat(Json.writeJson(copy)).isEqualTo(Json.writeJson(source));
    assertThat(copy.toString()).isEqualTo(source.toString());
    assertThat(Json.writeYaml(copy)).isEqualTo(Json.writeYaml(source));
    assertThat(FrozenJson.isFrozen(copy)).isTrue();
    assertThat(FrozenJson.isFrozen(copy.get("a").get("y"))).isTrue();
    assertThat(FrozenJson.isFrozen(source)).isFalse();
    ObjectNode changed = source.deepCopy();
    ((ObjectNode) changed.get("a").get("y").get(2)).put("k", 0);
    assertThat(copy).isNotEqualTo(changed);
    assertThat(changed).isNotEqualTo(copy);
    // the read-only node keeps its hash: two whose hashes are known and differ are unequal at once
    JsonNode other = FrozenJson.copyOf(changed);
    assertThat(copy.hashCode()).isNotEqualTo(other.hashCode()).isEqualTo(source.hashCode());
    assertThat(copy).isNotEqualTo(other);
    assertThat(other).isNotEqualTo(copy);
    JsonNode again = FrozenJson.copyOf(source.deepCopy());
    assertThat(again.hashCode()).isEqualTo(copy.hashCode());
    assertThat(again).isEqualTo(copy).isNotSameAs(copy);
  }

  @Test
  void aReadOnlyTreeIsSharedNotCopiedAndItsDeepCopyIsMutable() {
    JsonNode frozen = FrozenJson.copyOf(Json.readJson("{\"a\":{\"b\":[1]}}"));

    assertThat(FrozenJson.copyOf(frozen)).isSameAs(frozen);
    ObjectNode mixed = Json.object();
    mixed.set("shared", frozen.get("a"));
    assertThat(FrozenJson.copyOf(mixed).get("shared")).isSameAs(frozen.get("a"));

    ObjectNode thawed = (ObjectNode) frozen.deepCopy();
    thawed.put("c", 2);
    ((ObjectNode) thawed.get("a")).put("d", 3);
    assertThat(thawed.toString()).isEqualTo("{\"a\":{\"b\":[1],\"d\":3},\"c\":2}");
    assertThat(frozen.toString()).isEqualTo("{\"a\":{\"b\":[1]}}");
  }

  @Test
  void javaSerialisationWritesAnEqualTree() throws Exception {
    JsonNode frozen = FrozenJson.copyOf(Json.readJson("{\"a\":{\"b\":[1,\"x\"]},\"c\":null}"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(frozen);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(frozen);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, FrozenFields.SCAN_LIMIT, FrozenFields.SCAN_LIMIT + 1, 20})
  void everyChangeIsRefused(int size) {
    FrozenFields map = frozen(fields(size));
    String first = map.keySet().iterator().next();
    JsonNode firstValue = map.get(first);
    Map<String, JsonNode> before = new LinkedHashMap<>(map);

    assertThatThrownBy(() -> map.put("new", F.nullNode())).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("read-only");
    assertThatThrownBy(() -> map.put(first, F.nullNode())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.remove(first)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.remove(first, firstValue)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.putAll(Map.of("x", F.nullNode()))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.computeIfAbsent("new", k -> F.nullNode()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.merge(first, F.nullNode(), (a, b) -> b))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.replaceAll((k, v) -> F.nullNode())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.entrySet().iterator().next().setValue(F.nullNode()))
        .isInstanceOf(UnsupportedOperationException.class);
    Iterator<String> names = map.keySet().iterator();
    names.next();
    assertThatThrownBy(names::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.keySet().remove(first)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.values().removeIf(v -> true)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.entrySet().clear()).isInstanceOf(UnsupportedOperationException.class);

    assertThat(map).containsExactlyEntriesOf(before);
  }

  @Test
  void anEmptyOneRefusesEveryChangeToo() {
    FrozenFields map = frozen(fields(0));

    assertThatThrownBy(() -> map.put("new", F.nullNode())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.remove("new")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.putAll(Map.of("x", F.nullNode()))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.computeIfAbsent("new", k -> F.nullNode()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(map).isEmpty();
    assertThat(map).isEqualTo(Map.of()).hasSameHashCodeAs(Map.of()).hasToString("{}");
  }

  @Test
  void anObjectNodeOverItRefusesItsMutatingMethods() {
    ObjectNode node = (ObjectNode) FrozenJson.copyOf(Json.readJson("{\"a\":1,\"o\":{\"x\":[1,2]}}"));
    String before = node.toString();

    assertThatThrownBy(() -> node.put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> node.set("a", F.nullNode())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> node.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(node::removeAll).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> node.putObject("n")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> node.withObject("/o/y")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> node.retain("o")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((ObjectNode) node.get("o")).put("z", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> node.withArray("/o/x").add(3)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> node.withArray("/o/x").set(0, 9)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> node.withArray("/o/x").remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> node.withArray("/o/x").removeAll()).isInstanceOf(UnsupportedOperationException.class);

    assertThat(node.toString()).isEqualTo(before);
  }

  @Test
  void malformedInputIsRefused() {
    assertThatThrownBy(() -> FrozenFields.of(new Object[] {"a"})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alternate");
    assertThatThrownBy(() -> FrozenFields.of(new Object[] {1, F.nullNode()}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a string");
    assertThatThrownBy(() -> FrozenFields.of(new Object[] {"a", "not a node"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a JsonNode");
    assertThatThrownBy(() -> FrozenFields.of(new Object[] {"a", F.nullNode(), "a", F.nullNode()}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate field name a");
    Object[] many = new Object[2 * (FrozenFields.SCAN_LIMIT + 4)];
    for (int i = 0; i < many.length; i += 2) {
      many[i] = "k" + (i == many.length - 2 ? 0 : i / 2); // the last repeats the first
      many[i + 1] = F.nullNode();
    }
    assertThatThrownBy(() -> FrozenFields.of(many)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate field name k0");
    // in every form: the last name repeats each earlier one; a name or value of the wrong type at the last place
    for (int size = 2; size <= FrozenFields.SCAN_LIMIT + 2; size++) {
      for (int repeated = 0; repeated < size - 1; repeated++) {
        Object[] nv = new Object[2 * size];
        for (int i = 0; i < size; i++) {
          nv[2 * i] = "k" + (i == size - 1 ? repeated : i);
          nv[2 * i + 1] = F.numberNode(i);
        }
        assertThatThrownBy(() -> FrozenFields.of(nv)).as("%d fields", size).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("duplicate field name k" + repeated);
      }
    }
    for (int size = 1; size <= FrozenFields.SCAN_LIMIT + 1; size++) {
      Object[] badName = new Object[2 * size];
      Object[] badValue = new Object[2 * size];
      for (int i = 0; i < size; i++) {
        badName[2 * i] = badValue[2 * i] = "k" + i;
        badName[2 * i + 1] = badValue[2 * i + 1] = F.nullNode();
      }
      badName[2 * size - 2] = null;
      badValue[2 * size - 1] = null;
      assertThatThrownBy(() -> FrozenFields.of(badName)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be a string");
      assertThatThrownBy(() -> FrozenFields.of(badValue)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be a JsonNode");
      Object[] odd = java.util.Arrays.copyOf(badName, 2 * size - 1);
      assertThatThrownBy(() -> FrozenFields.of(odd)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("alternate");
    }
  }

  /** An object node over each form reads, equals, hashes (kept) and writes as one over a LinkedHashMap. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, FrozenFields.SCAN_LIMIT, FrozenFields.SCAN_LIMIT + 1})
  void anObjectNodeOverEachFormIsLikeAMutableOne(int size) {
    ObjectNode source = F.objectNode();
    fields(size).forEach((k, v) -> source.set(k, F.objectNode().set("in", v)));

    JsonNode copy = FrozenJson.copyOf(source);

    assertThat(copy).isEqualTo(source).hasSameHashCodeAs(source);
    assertThat(source).isEqualTo(copy);
    assertThat(copy.toString()).isEqualTo(source.toString());
    assertThat(copy.hashCode()).isEqualTo(copy.hashCode()); // the kept hash
    assertThat(copy.propertyNames()).containsExactlyElementsOf(source.propertyNames());
    for (String name : source.propertyNames()) {
      assertThat(copy.at("/" + name + "/in")).isEqualTo(source.at("/" + name + "/in"));
    }
    assertThat(copy.get("absent")).isNull();
    assertThat(FrozenJson.copyOf(source.deepCopy())).isEqualTo(copy).hasSameHashCodeAs(copy);
    if (size > 0) {
      ObjectNode changed = source.deepCopy();
      String last = source.propertyNames().stream().reduce((a, b) -> b).orElseThrow();
      ((ObjectNode) changed.get(last)).put("in", "other");
      JsonNode other = FrozenJson.copyOf(changed);
      assertThat(other).isNotEqualTo(copy).isNotEqualTo(source);
      assertThat(copy).isNotEqualTo(other);
    }
  }
}
