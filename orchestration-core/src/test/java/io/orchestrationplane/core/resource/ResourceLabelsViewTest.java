package io.orchestrationplane.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Resource#labels()} and {@link Resource#annotations()} are read-only views of the tree
 * that behave as the {@code LinkedHashMap} of the same fields as strings would.
 */
class ResourceLabelsViewTest {
  private static final Resource R = Resource.of(Json.readJson("""
      {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"y",
       "labels":{"z":"1","a":"two","n":3,"gone":null,"b":true},
       "annotations":{"k":"v"}}}
      """));

  @Test
  void behavesAsTheMapOfTheSameFieldsAsStrings() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("z", "1");
    expected.put("a", "two");
    expected.put("n", "3");
    expected.put("gone", null);
    expected.put("b", "true");

    Map<String, String> labels = R.labels();

    assertThat(labels).isEqualTo(expected);
    assertThat(expected).isEqualTo(labels);
    assertThat(labels.hashCode()).isEqualTo(expected.hashCode());
    assertThat(labels.toString()).isEqualTo(expected.toString());
    assertThat(labels.keySet()).containsExactly("z", "a", "n", "gone", "b");
    assertThat(labels).hasSize(5).containsKey("gone").doesNotContainKey("missing");
    assertThat(labels.get("gone")).isNull();
    assertThat(labels.get(42)).isNull();
    Map<String, String> seen = new LinkedHashMap<>();
    labels.forEach(seen::put);
    assertThat(seen).isEqualTo(expected);
    assertThat(labels.entrySet()).contains(Map.entry("a", "two"), Map.entry("n", "3"))
        .doesNotContain(Map.entry("a", "2"), Map.entry("missing", "x"));
    assertThat(labels.entrySet().containsAll(Map.of("z", "1", "b", "true").entrySet())).isTrue();
    assertThat(labels.entrySet().containsAll(Map.of("z", "1", "b", "false").entrySet())).isFalse();
    assertThat(labels.entrySet().contains(new java.util.AbstractMap.SimpleEntry<String, String>("gone", null))).isTrue();
    assertThat(labels.entrySet().contains("z")).isFalse();
    assertThat(R.annotations()).isEqualTo(Map.of("k", "v"));
    assertThat(Resource.of("v1", "ConfigMap", "y", "bare").labels()).isEmpty();
  }

  @Test
  void labelReadsTheSameValuesAsTheView() {
    for (String k : new String[] {"z", "a", "n", "gone", "b", "missing"}) {
      assertThat(R.label(k)).as(k).isEqualTo(R.labels().get(k));
    }
    Resource oddLabels = Resource.of(Json.readJson(
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"labels\":[\"a\"]}}"));
    assertThat(oddLabels.label("a")).isNull();
    assertThat(oddLabels.labels()).isEmpty();
  }

  @Test
  void aKeyIsMadeOncePerClusterAskedInTurn() {
    ResourceKey first = R.key("east");

    assertThat(R.key("east")).isSameAs(first);
    ResourceKey west = R.key("west");
    assertThat(west).isEqualTo(new ResourceKey("west", "", "ConfigMap", "y", "x"));
    assertThat(R.key("east")).isEqualTo(first).isNotSameAs(west);
  }

  @Test
  void refusesEveryChange() {
    Map<String, String> labels = R.labels();

    assertThatThrownBy(() -> labels.put("q", "r")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> labels.remove("z")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(labels::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> labels.entrySet().iterator().next().setValue("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> {
      var it = labels.keySet().iterator();
      it.next();
      it.remove();
    }).isInstanceOf(UnsupportedOperationException.class);
    assertThat(R.label("z")).isEqualTo("1");
  }
}
