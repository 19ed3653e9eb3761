package io.orchestrationplane.testkit.simulator;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Small helpers for building Kubernetes-shaped JSON: timestamps, conditions, names, hashes. */
final class Shapes {
  // The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private Shapes() {}

  static String time(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  static Instant parseTime(String text, Instant otherwise) {
    if (text == null || text.isEmpty()) {
      return otherwise;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return otherwise;
    }
  }

  /**
   * A stable hash of any JSON, encoded like a pod-template-hash. Keys are sorted first (the
   * mapper sorts map entries), so equal templates hash equally whatever their key order.
   */
  static String hash(JsonNode node, int length) {
    return encode(fnv(Json.JSON.writeValueAsString(Json.JSON.treeToValue(node, Object.class))), length);
  }

  static String hash(String text, int length) {
    return encode(fnv(text), length);
  }

  private static long fnv(String text) {
    long h = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static String encode(long value, int length) {
    StringBuilder out = new StringBuilder(length);
    long v = value & Long.MAX_VALUE;
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt((int) (v % ALPHABET.length())));
      v /= ALPHABET.length();
    }
    return out.toString();
  }

  static String text(@Nullable JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? "" : v.asString();
  }

  static long number(JsonNode node, String field, long otherwise) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() || !(v.isNumber() || v.isString()) ? otherwise : v.asLong(otherwise);
  }

  /**
   * Puts a condition into {@code conditions}, keeping {@code lastTransitionTime} when the status
   * did not change and {@code lastUpdateTime} (when {@code withUpdateTime}) when nothing changed,
   * so an unchanged state writes an identical status.
   */
  static void condition(ArrayNode conditions, JsonNode previous, String type, String status, String reason,
      String message, Instant now, boolean withUpdateTime) {
    JsonNode before = find(previous, type);
    ObjectNode c = conditions.addObject();
    c.put("type", type);
    c.put("status", status);
    boolean same = before != null && status.equals(text(before, "status"));
    boolean unchanged = same && reason.equals(text(before, "reason")) && message.equals(text(before, "message"));
    if (withUpdateTime) {
      c.put("lastUpdateTime", unchanged ? text(before, "lastUpdateTime") : time(now));
    }
    c.put("lastTransitionTime", same ? text(before, "lastTransitionTime") : time(now));
    c.put("reason", reason);
    c.put("message", message);
  }

  static @Nullable JsonNode find(JsonNode conditions, String type) {
    if (conditions == null || !conditions.isArray()) {
      return null;
    }
    for (JsonNode c : conditions) {
      if (type.equals(text(c, "type"))) {
        return c;
      }
    }
    return null;
  }

  /** The controller ownerReference entry for {@code owner}. */
  static ObjectNode ownerReference(Resource owner) {
    ObjectNode ref = Json.object();
    ref.put("apiVersion", owner.apiVersion());
    ref.put("kind", owner.kind());
    ref.put("name", owner.name());
    ref.put("uid", owner.uid() == null ? "" : owner.uid());
    ref.put("controller", true);
    ref.put("blockOwnerDeletion", true);
    return ref;
  }

  /** The uid of the controller named in {@code ownerReferences}, or null. */
  static @Nullable String controllerUid(Resource r) {
    JsonNode refs = r.json().path("metadata").path("ownerReferences");
    if (refs.isArray()) {
      for (JsonNode ref : refs) {
        if (ref.path("controller").asBoolean(false)) {
          return text(ref, "uid");
        }
      }
    }
    return null;
  }

  /** The controller reference itself, or null. */
  static @Nullable JsonNode controllerRef(Resource r) {
    JsonNode refs = r.json().path("metadata").path("ownerReferences");
    if (refs.isArray()) {
      for (JsonNode ref : refs) {
        if (ref.path("controller").asBoolean(false)) {
          return ref;
        }
      }
    }
    return null;
  }

  static void putAll(ObjectNode target, Map<String, String> values) {
    values.forEach(target::put);
  }
}
