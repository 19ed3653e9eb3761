package io.orchestrationplane.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compact property map behaves as the {@code LinkedHashMap} it replaces would for reading
 * (order, lookups, equality both ways, hashing, text), holds null values, and refuses every change
 * through every view.
 */
class PropertyMapTest {

  /** {@code size} entries named in an order no hash table keeps (z9, a8, m7, ...), with distinct values of mixed types. */
  private static LinkedHashMap<String, Object> entries(int size) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    String[] prefixes = {"z", "a", "m", "b", "y"};
    for (int i = 0; i < size; i++) {
      out.put(prefixes[i % prefixes.length] + (size - i), i % 3 == 0 ? "v" + i : i % 3 == 1 ? (Object) (long) i
          : List.of("x" + i));
    }
    return out;
  }

  private static PropertyMap compact(Map<String, ?> entries) {
    Object[] namesAndValues = new Object[2 * entries.size()];
    int i = 0;
    for (Map.Entry<String, ?> e : entries.entrySet()) {
      namesAndValues[i++] = e.getKey();
      namesAndValues[i++] = e.getValue();
    }
    return PropertyMap.of(namesAndValues, entries.size());
  }

  // sizes at, below and above the scan limit, where lookups go through the index
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, PropertyMap.SCAN_LIMIT, PropertyMap.SCAN_LIMIT + 1, 40, 1000})
  void readsLikeTheLinkedHashMapItWasMadeFrom(int size) {
    LinkedHashMap<String, Object> source = entries(size);

    PropertyMap map = compact(source);

    assertThat(map.size()).isEqualTo(size);
    assertThat(map.isEmpty()).isEqualTo(size == 0);
    assertThat(new ArrayList<>(map.keySet())).containsExactlyElementsOf(source.keySet());
    assertThat(new ArrayList<>(map.values())).containsExactlyElementsOf(source.values());
    assertThat(new ArrayList<>(map.entrySet())).containsExactlyElementsOf(source.entrySet());
    List<String> visited = new ArrayList<>();
    map.forEach((k, v) -> {
      visited.add(k);
      assertThat(v).isEqualTo(source.get(k));
    });
    assertThat(visited).containsExactlyElementsOf(source.keySet());
    assertThat(map.keySet().parallelStream().toList()).containsExactlyElementsOf(source.keySet());
    assertThat(map.values().parallelStream().toList()).containsExactlyElementsOf(source.values());
    assertThat(map.entrySet().parallelStream().toList()).containsExactlyElementsOf(source.entrySet());
    assertThat(map.entrySet().spliterator().hasCharacteristics(java.util.Spliterator.ORDERED)).isTrue();
    source.forEach((k, v) -> {
      assertThat(map.get(k)).isEqualTo(v);
      assertThat(map.get(new String(k))).isEqualTo(v); // an equal name, not the same instance
      assertThat(map.containsKey(k)).isTrue();
      assertThat(map.containsValue(v)).isTrue();
      assertThat(map.getOrDefault(k, "none")).isEqualTo(v);
      assertThat(map.keySet().contains(k)).isTrue();
      assertThat(map.entrySet().contains(Map.entry(k, v))).isTrue();
      assertThat(map.entrySet().contains(Map.entry(k, "other"))).isFalse();
    });
    assertThat(map.get("absent")).isNull();
    assertThat(map.get(null)).isNull();
    assertThat(map.get(42)).isNull();
    assertThat(map.containsKey("absent")).isFalse();
    assertThat(map.containsKey(null)).isFalse();
    assertThat(map.containsValue("absent")).isFalse();
    assertThat(map.getOrDefault("absent", "none")).isEqualTo("none");

    assertThat(map).isEqualTo(source);
    assertThat(source).isEqualTo(map);
    assertThat(map.hashCode()).isEqualTo(source.hashCode());
    assertThat(map.toString()).isEqualTo(source.toString());
    assertThat(map.keySet()).isEqualTo(source.keySet());
    assertThat(source.keySet()).isEqualTo(map.keySet());
    assertThat(map.entrySet()).isEqualTo(source.entrySet());
    assertThat(map.entrySet().hashCode()).isEqualTo(source.entrySet().hashCode());
    assertThat(map.keySet().hashCode()).isEqualTo(source.keySet().hashCode());

    // equal to the unordered maps with the same entries, both ways, and to itself in another order
    Map<String, Object> copy = Map.copyOf(source);
    assertThat(map).isEqualTo(copy);
    assertThat(copy).isEqualTo(map);
    assertThat(map).isEqualTo(new HashMap<>(source));
    assertThat(new HashMap<>(source)).isEqualTo(map);
    assertThat(map).isEqualTo(new TreeMap<>(source));
    assertThat(map).isEqualTo(compact(new TreeMap<>(source)));
    assertThat(compact(new TreeMap<>(source))).isEqualTo(map);
  }

  @Test
  void equalsMapOfBothWaysAndTellsDifferentMapsApart() {
    PropertyMap map = compact(entries(3)); // z3="v0", a2=1L, m1=[x2]

    assertThat(map).isEqualTo(Map.of("m1", List.of("x2"), "z3", "v0", "a2", 1L));
    assertThat(Map.of("m1", List.of("x2"), "z3", "v0", "a2", 1L)).isEqualTo(map);
    assertThat(map.hashCode()).isEqualTo(Map.of("m1", List.of("x2"), "z3", "v0", "a2", 1L).hashCode());

    assertThat(map).isNotEqualTo(Map.of("m1", List.of("x2"), "z3", "v0", "a2", 2L)); // one value differs
    assertThat(map).isNotEqualTo(Map.of("m1", List.of("x2"), "z3", "v0", "b2", 1L)); // one name differs
    assertThat(map).isNotEqualTo(Map.of("m1", List.of("x2"), "z3", "v0")); // fewer entries
    assertThat(Map.of("m1", List.of("x2"), "z3", "v0", "a2", 2L)).isNotEqualTo(map);
    assertThat(map).isNotEqualTo(Map.of(1, "v0", 2, 1L, 3, List.of("x2"))); // keys of another type
    assertThat(map).isNotEqualTo(List.of("z3", "a2", "m1"));
    assertThat(map).isNotEqualTo(compact(Map.of("m1", List.of("x2"), "z3", "v0", "a2", 2L)));
    assertThat(PropertyMap.EMPTY).isEqualTo(Map.of()).isEqualTo(new LinkedHashMap<>());
    assertThat(Map.of()).isEqualTo(PropertyMap.EMPTY);
    assertThat(PropertyMap.EMPTY.hashCode()).isZero();
    assertThat(PropertyMap.EMPTY).hasToString("{}");
  }

  @ParameterizedTest
  @ValueSource(ints = {2, PropertyMap.SCAN_LIMIT + 3})
  void holdsNullValuesAsLinkedHashMapDoes(int size) {
    LinkedHashMap<String, Object> source = entries(size);
    String nulled = source.keySet().iterator().next();
    source.put(nulled, null);

    PropertyMap map = compact(source);

    assertThat(map.containsKey(nulled)).isTrue();
    assertThat(map.get(nulled)).isNull();
    assertThat(map.getOrDefault(nulled, "default")).isNull();
    assertThat(map.containsValue(null)).isTrue();
    assertThat(map.entrySet().contains(new java.util.AbstractMap.SimpleEntry<>(nulled, null))).isTrue();
    assertThat(new ArrayList<>(map.keySet())).containsExactlyElementsOf(source.keySet());
    assertThat(map).isEqualTo(source);
    assertThat(source).isEqualTo(map);
    assertThat(map.hashCode()).isEqualTo(source.hashCode());
    assertThat(map.toString()).isEqualTo(source.toString()).contains(nulled + "=null");

    // the same size, a null value under another name: not equal, either way
    LinkedHashMap<String, Object> other = new LinkedHashMap<>(source);
    other.remove(nulled);
    other.put("elsewhere", null);
    assertThat(map).isNotEqualTo(other);
    assertThat(other).isNotEqualTo(map);
    assertThat(map).isNotEqualTo(compact(other));
    // a value where this map has null
    other = new LinkedHashMap<>(source);
    other.put(nulled, "now set");
    assertThat(map).isNotEqualTo(other);
    assertThat(other).isNotEqualTo(map);
    assertThat(map).isNotEqualTo(compact(other));
    assertThat(compact(other)).isNotEqualTo(map);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, PropertyMap.SCAN_LIMIT + 2, 50})
  void aNameGivenTwiceKeepsItsFirstPlaceAndTakesItsLastValueAsLinkedHashMapPutDoes(int distinct) {
    List<Object> namesAndValues = new ArrayList<>();
    LinkedHashMap<String, Object> expected = new LinkedHashMap<>();
    for (int i = 0; i < distinct; i++) {
      namesAndValues.add("k" + i);
      namesAndValues.add("first" + i);
      expected.put("k" + i, "first" + i);
    }
    namesAndValues.add("k0");
    namesAndValues.add("last");
    expected.put("k0", "last");
    namesAndValues.add("k1");
    namesAndValues.add(null);
    expected.put("k1", null);
    namesAndValues.add("pad"); // items past the size are not entries
    namesAndValues.add("ignored");

    PropertyMap map = PropertyMap.of(namesAndValues.toArray(), distinct + 2);

    assertThat(map.size()).isEqualTo(distinct);
    assertThat(new ArrayList<>(map.entrySet())).containsExactlyElementsOf(expected.entrySet());
    assertThat(map.get("k0")).isEqualTo("last");
    assertThat(map.containsKey("k1")).isTrue();
    assertThat(map.get("k" + (distinct - 1))).isEqualTo("first" + (distinct - 1));
    assertThat(map.containsKey("pad")).isFalse();
    assertThat(map).isEqualTo(expected);
  }

  @Test
  void namesWithTheSameHashAreToldApartAboveTheScanLimit() {
    LinkedHashMap<String, Object> source = new LinkedHashMap<>();
    // "Aa" and "BB" hash alike, and so do all their concatenations
    String[] parts = {"Aa", "BB"};
    for (int i = 0; i < 16; i++) {
      source.put(parts[i & 1] + parts[(i >> 1) & 1] + parts[(i >> 2) & 1] + parts[(i >> 3) & 1], (long) i);
    }
    assertThat(source.keySet().stream().map(String::hashCode).distinct()).hasSize(1);

    PropertyMap map = compact(source);

    source.forEach((k, v) -> assertThat(map.get(k)).isEqualTo(v));
    assertThat(map.get("AaAaAaBa")).isNull();
    assertThat(map).isEqualTo(source);
    assertThat(new ArrayList<>(map.keySet())).containsExactlyElementsOf(source.keySet());
  }

  @Test
  void refusesNamesThatAreNotStrings() {
    assertThatThrownBy(() -> PropertyMap.of(new Object[] {"a", 1L, null, 2L}, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entry 1");
    assertThatThrownBy(() -> PropertyMap.of(new Object[] {1, "a"}, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a string");
    assertThatThrownBy(() -> PropertyMap.of(new Object[] {"a", 1L}, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit");
  }

  // empty, small and indexed maps; each change is refused even when it would change nothing
  @ParameterizedTest
  @ValueSource(ints = {0, 2, PropertyMap.SCAN_LIMIT + 1})
  void refusesEveryChangeThroughEveryView(int size) {
    LinkedHashMap<String, Object> source = entries(size);
    PropertyMap map = compact(source);
    String present = size == 0 ? "absent" : source.keySet().iterator().next();
    Object value = source.get(present);

    List<Consumer<Map<String, Object>>> changes = List.of(
        m -> m.put("new", "x"),
        m -> m.put(present, value),
        m -> m.remove(present),
        m -> m.remove("absent"),
        m -> m.remove(present, value),
        m -> m.putAll(Map.of()),
        m -> m.putAll(Map.of("new", "x")),
        m -> m.clear(),
        m -> m.putIfAbsent(present, "x"),
        m -> m.replace(present, "x"),
        m -> m.replace("absent", "x"),
        m -> m.replace(present, value, "x"),
        m -> m.replaceAll((k, v) -> v),
        m -> m.computeIfAbsent(present, k -> "x"),
        m -> m.computeIfPresent("absent", (k, v) -> "x"),
        m -> m.compute(present, (k, v) -> v),
        m -> m.merge(present, "x", (a, b) -> a),
        m -> m.keySet().remove(present),
        m -> m.keySet().add("new"),
        m -> m.keySet().removeIf(k -> false),
        m -> m.keySet().retainAll(m.keySet()),
        m -> m.keySet().removeAll(List.of()),
        m -> m.keySet().clear(),
        m -> m.values().remove(value),
        m -> m.values().removeIf(v -> false),
        m -> m.values().retainAll(List.of()),
        m -> m.values().clear(),
        m -> m.values().add("x"),
        m -> m.entrySet().remove(Map.entry(present, "x")),
        m -> m.entrySet().removeIf(e -> false),
        m -> m.entrySet().clear(),
        m -> m.entrySet().add(Map.entry("new", "x")));
    for (Consumer<Map<String, Object>> change : changes) {
      assertThatThrownBy(() -> change.accept(map)).isInstanceOf(UnsupportedOperationException.class);
    }
    List<Collection<?>> views = List.of(map.keySet(), map.values(), map.entrySet());
    for (Collection<?> view : views) {
      Iterator<?> it = view.iterator();
      if (it.hasNext()) {
        it.next();
      }
      assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
    }
    if (size > 0) {
      Map.Entry<String, Object> entry = map.entrySet().iterator().next();
      assertThatThrownBy(() -> entry.setValue("x")).isInstanceOf(UnsupportedOperationException.class);
    }
    assertThat(map).isEqualTo(source);
  }

  @Test
  void keepsNoViewsAndMakesThemOnDemand() {
    PropertyMap map = compact(entries(3));

    Set<String> keys = map.keySet();

    assertThat(map.keySet()).isNotSameAs(keys).isEqualTo(keys);
    assertThat(map.entrySet()).isNotSameAs(map.entrySet());
  }
}
