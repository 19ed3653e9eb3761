package io.orchestrationplane.core.cluster;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The three-way merge of {@code kubectl apply}, for drivers that apply without server-side apply
 * ({@code InMemoryCluster}, the Kubernetes driver's client-side fallback): desired values win;
 * a live field the desired object lacks stays (someone else set it) unless the previous apply
 * set it, in which case it was dropped on purpose and goes. Lists are replaced whole.
 */
public final class ApplyMerge {
  private ApplyMerge() {}

  /**
   * The object to store: {@code live} merged with {@code desired}, given what the previous apply
   * set ({@code lastApplied}, {@code null} when unknown). Inputs are not modified.
   */
  public static JsonNode threeWay(JsonNode live, JsonNode desired, @Nullable JsonNode lastApplied) {
    if (live == null || !live.isObject() || !desired.isObject()) {
      return desired.deepCopy();
    }
    ObjectNode out = ((ObjectNode) live).deepCopy();
    for (Map.Entry<String, JsonNode> e : desired.properties()) {
      JsonNode last = lastApplied == null ? null : lastApplied.get(e.getKey());
      out.set(e.getKey(), threeWay(live.get(e.getKey()), e.getValue(), last));
    }
    if (lastApplied != null && lastApplied.isObject()) {
      for (String field : lastApplied.propertyNames()) {
        if (!desired.has(field)) {
          out.remove(field);
        }
      }
    }
    return out;
  }
}
