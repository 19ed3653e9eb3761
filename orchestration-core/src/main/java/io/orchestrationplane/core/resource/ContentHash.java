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
    return ofWithoutSecrets(object.json(), Redactor.isSecret(object), sensitiveValues);
  }

  /**
   * {@link #ofWithoutSecrets(Resource, java.util.Collection)} of an object's tree, which is not changed;
   * {@code secret} says whether it is a core {@code v1} Secret. For callers holding a tree they are still
   * building, so that no {@link Resource} copy is made for the common case of nothing to blank out.
   */
  public static String ofWithoutSecrets(JsonNode object, boolean secret, java.util.Collection<String> sensitiveValues) {
    if (!secret && (sensitiveValues.isEmpty() || !Redactor.containsAny(object, sensitiveValues))) {
      return of(object);
    }
    JsonNode copy = object.deepCopy();
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

  /**
   * The canonical form of a JSON object written call by call instead of built as a tree: {@link
   * #digest()} is what {@link #of} gives for the tree the calls describe, byte for byte. The caller
   * gives an object's keys in {@link String#compareTo} order (the canonical form sorts them) and
   * follows every value inside an object or array with {@link #next()}. For digests of a few
   * fixed fields (a plan's), where a tree costs more than its hashing. Not thread-safe.
   */
  public static final class Canonical {
    private final Feed feed = new Feed(sha256());

    /** Opens an object: {@code {}. */
    public Canonical beginObject() {
      feed.put('{');
      return this;
    }

    /** Closes an object. */
    public Canonical endObject() {
      feed.put('}');
      return this;
    }

    /** Opens an array: {@code [}. */
    public Canonical beginArray() {
      feed.put('[');
      return this;
    }

    /** Closes an array. */
    public Canonical endArray() {
      feed.put(']');
      return this;
    }

    /** A key of the open object, before its value. */
    public Canonical key(String key) {
      feed.text(key);
      feed.put(':');
      return this;
    }

    /** A string value, or JSON {@code null} for {@code null}, as a {@code StringNode} or {@code NullNode}. */
    public Canonical string(@org.jspecify.annotations.Nullable String value) {
      if (value == null) {
        feed.text("null");
      } else if (!feed.quotedIfPlain(value)) { // else written as scalar() writes a plain StringNode
        feed.node(tools.jackson.databind.node.StringNode.valueOf(value));
      }
      return this;
    }

    /**
     * The string value {@code parts} make one after the other: what {@link #string} gives for
     * {@code String.join("", parts)}, byte for byte, without building that string when every part
     * is plain printable ASCII (a resource key's cluster, kind, namespace and name, say).
     */
    public Canonical concatenation(String... parts) {
      for (String part : parts) {
        if (!Feed.plain(part)) { // escaping is Jackson's: give it the whole string
          return string(String.join("", parts));
        }
      }
      feed.put('"');
      for (String part : parts) {
        feed.quoted(part);
      }
      feed.put('"');
      return this;
    }

    /** A boolean value. */
    public Canonical bool(boolean value) {
      feed.text(value ? "true" : "false");
      return this;
    }

    /** Ends a value inside an object or array. */
    public Canonical next() {
      feed.put(',');
      return this;
    }

    /** {@code sha256:<64 hex digits>} of what was written. */
    public String digest() {
      feed.flush();
      return "sha256:" + HexFormat.of().formatHex(feed.md.digest());
    }
  }

  private static void feed(MessageDigest md, JsonNode node) {
    Feed f = new Feed(md);
    f.node(node);
    f.flush();
  }

  /**
   * The canonical form fed into the digest through a buffer: object keys sorted, each followed by
   * {@code :}, its value and {@code ,}; list elements each followed by {@code ,}; a missing node
   * as {@code m}; a scalar as its compact JSON text. Strings of plain ASCII and ints, longs and
   * booleans are written directly, byte for byte what Jackson's generator writes for them; every
   * other scalar goes through {@link io.orchestrationplane.core.resource.internal.JsonText}.
   */
  private static final class Feed {
    /** Whether Jackson's default generator escapes {@code /} (a default that differs between versions). */
    private static final boolean SLASH_ESCAPED =
        !"\"/\"".equals(io.orchestrationplane.core.resource.internal.JsonText.of(
            tools.jackson.databind.node.StringNode.valueOf("/")));

    private final MessageDigest md;
    private final byte[] buf = new byte[2048];
    private int n;

    Feed(MessageDigest md) {
      this.md = md;
    }

    void node(JsonNode node) {
      if (node == null || node.isMissingNode()) {
        put('m');
      } else if (node.isObject()) {
        String[] keys = node.propertyNames().toArray(new String[0]);
        java.util.Arrays.sort(keys);
        put('{');
        for (String k : keys) {
          text(k);
          put(':');
          node(node.get(k));
          put(',');
        }
        put('}');
      } else if (node.isArray()) {
        put('[');
        for (int i = 0, size = node.size(); i < size; i++) {
          node(node.get(i));
          put(',');
        }
        put(']');
      } else {
        scalar(node);
      }
    }

    private void scalar(JsonNode node) {
      switch (node.getNodeType()) {
        case STRING -> {
          if (quotedIfPlain(node.stringValue())) {
            return;
          }
        }
        case BOOLEAN -> {
          text(node.booleanValue() ? "true" : "false");
          return;
        }
        case NULL -> {
          text("null");
          return;
        }
        case NUMBER -> {
          if (node.isInt()) {
            text(Integer.toString(node.intValue()));
            return;
          }
          if (node.isLong()) {
            text(Long.toString(node.longValue()));
            return;
          }
        }
        default -> { }
      }
      // a scalar's JSON text; the streaming writer spares a fresh JVM building Jackson's shared mapper
      String text = io.orchestrationplane.core.resource.internal.JsonText.of(node);
      bytes((text != null ? text : node.toString()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * True when {@code s} is printable ASCII that Jackson writes between quotes as it is, but for
     * {@code "} and {@code \\}, each written after a backslash (the applied-fields annotation is
     * JSON text full of quotes).
     */
    static boolean plain(String s) {
      for (int i = 0, len = s.length(); i < len; i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c > 0x7e || (c == '/' && SLASH_ESCAPED)) {
          return false;
        }
      }
      return true;
    }

    /**
     * Writes {@code s} between quotes, as {@link #scalar} writes it, and returns true when it is
     * {@link #plain}; writes nothing and returns false otherwise. One pass over the characters,
     * and a bulk copy when nothing needs a backslash (a content hash, a resourceVersion).
     */
    boolean quotedIfPlain(String s) {
      boolean escapes = false;
      for (int i = 0, len = s.length(); i < len; i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c > 0x7e || (c == '/' && SLASH_ESCAPED)) {
          return false;
        }
        escapes |= c == '"' || c == '\\';
      }
      put('"');
      if (escapes) {
        quoted(s);
      } else {
        ascii(s);
      }
      put('"');
      return true;
    }

    /** The bytes of a string of ASCII characters only, copied in bulk. */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) keeps each char's low byte: exact for ASCII
    private void ascii(String s) {
      for (int i = 0, len = s.length(); i < len; ) {
        if (n == buf.length) {
          flush();
        }
        int k = Math.min(len - i, buf.length - n);
        s.getBytes(i, i + k, buf, n);
        n += k;
        i += k;
      }
    }

    /** A {@link #plain} string's bytes with {@code "} and {@code \\} escaped. */
    void quoted(String s) {
      if (s.indexOf('"') < 0 && s.indexOf('\\') < 0) {
        ascii(s);
        return;
      }
      for (int i = 0, len = s.length(); i < len; i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          put('\\');
        }
        put(c);
      }
    }

    /** The UTF-8 bytes of {@code s}, without an intermediate array when it is ASCII. */
    void text(String s) {
      int len = s.length();
      for (int i = 0; i < len; i++) {
        if (s.charAt(i) >= 0x80) {
          bytes(s.getBytes(StandardCharsets.UTF_8));
          return;
        }
      }
      ascii(s);
    }

    void put(char c) {
      if (n == buf.length) {
        flush();
      }
      buf[n++] = (byte) c;
    }

    private void bytes(byte[] b) {
      flush();
      md.update(b);
    }

    void flush() {
      if (n > 0) {
        md.update(buf, 0, n);
        n = 0;
      }
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
