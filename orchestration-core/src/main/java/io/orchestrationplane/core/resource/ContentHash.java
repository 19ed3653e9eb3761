package io.orchestrationplane.core.resource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * SHA-256 digests of JSON content, independent of key order: used for the content-hash
 * annotation and to show secret values in plans as digests instead of values.
 */
public final class ContentHash {
  private ContentHash() {}

  /** {@code sha256:<64 hex digits>} of the node's canonical form (object keys sorted). */
  public static String of(JsonNode node) {
    MessageDigest md = sha256();
    feed(md, node);
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  /**
   * {@code sha256:<64 hex digits>} of an object's content with its secret values left out: a core
   * Secret's {@code data} and {@code stringData} values (their keys count), and every string
   * holding one of {@code sensitiveValues}. Safe to store and show, since nothing in it can be
   * confirmed by guessing a secret.
   */
  public static String ofWithoutSecrets(Resource object, java.util.Collection<String> sensitiveValues) {
    boolean secret = Redactor.isSecret(object);
    if (!secret && (sensitiveValues.isEmpty() || !Redactor.containsAny(object.json(), sensitiveValues))) {
      return of(object.json());
    }
    tools.jackson.databind.node.ObjectNode copy = object.toJson();
    if (secret) {
      for (String field : List.of("data", "stringData")) {
        if (copy.get(field) instanceof tools.jackson.databind.node.ObjectNode values) {
          values.propertyNames().forEach(k -> values.put(k, ""));
        }
      }
    }
    return of(hideSensitive(copy, sensitiveValues));
  }

  private static JsonNode hideSensitive(JsonNode node, java.util.Collection<String> values) {
    if (values.isEmpty()) {
      return node;
    }
    if (node.isString() && Redactor.containsAny(node, values)) {
      return tools.jackson.databind.node.StringNode.valueOf("<sensitive>");
    }
    if (node instanceof tools.jackson.databind.node.ObjectNode o) {
      for (String k : new ArrayList<>(o.propertyNames())) {
        o.set(k, hideSensitive(o.get(k), values));
      }
    } else if (node instanceof tools.jackson.databind.node.ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, hideSensitive(a.get(i), values));
      }
    }
    return node;
  }

  private static void feed(MessageDigest md, JsonNode node) {
    if (node == null || node.isMissingNode()) {
      md.update((byte) 'm');
    } else if (node.isObject()) {
      List<String> keys = new ArrayList<>(node.propertyNames());
      keys.sort(null);
      md.update((byte) '{');
      for (String k : keys) {
        md.update(k.getBytes(StandardCharsets.UTF_8));
        md.update((byte) ':');
        feed(md, node.get(k));
        md.update((byte) ',');
      }
      md.update((byte) '}');
    } else if (node.isArray()) {
      md.update((byte) '[');
      for (JsonNode e : node) {
        feed(md, e);
        md.update((byte) ',');
      }
      md.update((byte) ']');
    } else {
      // a scalar's JSON text; the streaming writer spares a fresh JVM building Jackson's shared mapper
      String text = io.orchestrationplane.core.resource.internal.JsonText.of(node);
      md.update((text != null ? text : node.toString()).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
