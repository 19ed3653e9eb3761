package io.orchestrationplane.delivery.wave.internal;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.delivery.wave.WaveProgress;
import io.orchestrationplane.delivery.wave.WaveProgress.ClusterProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link WaveProgress} to and from its stored JSON document. */
public final class ProgressCodec {
  private ProgressCodec() {}

  public static ObjectNode write(WaveProgress p) {
    ObjectNode root = Json.object();
    root.put("application", p.application());
    root.put("rollout", p.rollout());
    root.put("state", p.state().name());
    root.put("currentWave", p.currentWave());
    root.put("waves", p.waves());
    root.put("reason", p.reason());
    root.put("nextCheck", p.nextCheck() == null ? null : p.nextCheck().toString());
    ArrayNode list = root.putArray("clusters");
    for (ClusterProgress c : p.clusters()) {
      ObjectNode n = list.addObject();
      n.put("cluster", c.cluster());
      n.put("group", c.group());
      n.put("wave", c.wave());
      n.put("phase", c.phase().name());
      n.put("started", c.started() == null ? null : c.started().toString());
      n.put("since", c.since() == null ? null : c.since().toString());
      n.put("message", c.message());
    }
    return root;
  }

  /** Reads a stored document; throws {@link IllegalArgumentException} naming the field when it is damaged. */
  public static WaveProgress read(JsonNode root) {
    try {
      List<ClusterProgress> clusters = new ArrayList<>();
      for (JsonNode n : root.path("clusters")) {
        clusters.add(new ClusterProgress(text(n, "cluster"), text(n, "group"), n.path("wave").asInt(),
            WaveProgress.Phase.valueOf(text(n, "phase")), instant(n, "started"), instant(n, "since"),
            n.path("message").asString("")));
      }
      return new WaveProgress(text(root, "application"), text(root, "rollout"),
          WaveProgress.State.valueOf(text(root, "state")), root.path("currentWave").asInt(-1),
          root.path("waves").asInt(0), clusters, root.path("reason").asString(""), instant(root, "nextCheck"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("stored wave progress cannot be read: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String field) {
    String v = n.path(field).asString(null);
    if (v == null) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    return v;
  }

  private static @Nullable Instant instant(JsonNode n, String field) {
    return n.path(field).isString() ? Instant.parse(n.path(field).asString()) : null;
  }
}
