package io.orchestrationplane.core.health.internal;

import io.orchestrationplane.core.health.Health;
import io.orchestrationplane.core.health.HealthStatus;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Null-safe reads of Kubernetes status fields, with the API server's defaults. */
final class Fields {
  private Fields() {}

  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? "" : v.asString();
  }

  static long number(JsonNode node, String field, long otherwise) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() || !(v.isNumber() || v.isString()) ? otherwise : v.asLong(otherwise);
  }

  static boolean isTrue(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && (v.isBoolean() ? v.booleanValue() : "true".equalsIgnoreCase(v.asString()));
  }

  /** The elements of an array field, empty when absent or not an array. */
  static List<JsonNode> list(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    List<JsonNode> out = new ArrayList<>();
    if (v != null && v.isArray()) {
      v.forEach(out::add);
    }
    return out;
  }

  /** The first condition of a type in {@code status.conditions}, or null. */
  static @Nullable JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : list(status, "conditions")) {
      if (type.equals(text(c, "type"))) {
        return c;
      }
    }
    return null;
  }

  /** {@code reason: message}, leaving out empty parts. */
  static String reasonAndMessage(JsonNode condition) {
    String reason = text(condition, "reason");
    String message = text(condition, "message");
    if (reason.isEmpty()) {
      return message;
    }
    return message.isEmpty() ? reason : reason + ": " + message;
  }

  /**
   * A status whose message is Argo CD's message for the same object, after the object's name
   * ({@code Deployment shop/api: Waiting for rollout to finish: ...}); the name alone when Argo CD
   * has no message.
   */
  static HealthStatus argo(Health health, Resource live, String argoMessage) {
    return new HealthStatus(health, argoMessage.isEmpty() ? live.toString() : live + ": " + argoMessage);
  }
}
