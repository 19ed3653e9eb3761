package io.orchestrationplane.core;

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

  /** A short digest of a sensitive value, safe to show: {@code sha256:1a2b3c4d5e6f}. */
  public static String redact(JsonNode value) {
    return of(value).substring(0, "sha256:".length() + 12);
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
      md.update(node.toString().getBytes(StandardCharsets.UTF_8));
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
