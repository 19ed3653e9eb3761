package io.orchestrationplane.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StableOrderTest {

  @Test
  void unorderedJavaMapsAreCanonicalisedInKeyOrderSoRenderingIsStableAcrossRuns() {
    Map<String, String> env = new HashMap<>();
    for (String k : new String[] {"ZETA", "ALPHA", "MID", "BETA"}) {
      env.put(k, k.toLowerCase());
    }
    Trait fromHashMap = Trait.of("env", Map.of("env", env));
    @SuppressWarnings("unchecked")
    Map<String, Object> canonical = (Map<String, Object>) fromHashMap.properties().get("env");
    assertThat(canonical.keySet()).containsExactly("ALPHA", "BETA", "MID", "ZETA");
    assertThat(Trait.of("env", Map.of("env", Map.of("B", "2", "A", "1"))).properties().get("env"))
        .isEqualTo(Map.of("A", "1", "B", "2"));
  }

  @Test
  void orderedMapsKeepTheirOrder() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ZETA", "z");
    env.put("ALPHA", "a");
    @SuppressWarnings("unchecked")
    Map<String, Object> canonical = (Map<String, Object>) Trait.of("env", Map.of("env", env)).properties().get("env");
    assertThat(canonical.keySet()).containsExactly("ZETA", "ALPHA");
    Trait again = new Trait("env", Trait.of("env", Map.of("env", env)).properties());
    @SuppressWarnings("unchecked")
    Map<String, Object> twice = (Map<String, Object>) again.properties().get("env");
    assertThat(twice.keySet()).containsExactly("ZETA", "ALPHA");
  }
}
