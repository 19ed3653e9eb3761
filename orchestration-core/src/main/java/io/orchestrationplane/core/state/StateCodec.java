package io.orchestrationplane.core.state;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.internal.FrozenJson;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.BigIntegerNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.DoubleNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.LongNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.ShortNode;
import tools.jackson.databind.node.StringNode;

/**
 * The one encoding of state values, shared by every {@link StateStore} so that limits and round
 * trips are the same on every backend: compact UTF-8 JSON written by {@link Json#JSON}, read back
 * strictly by {@link Json#readJson} (a repeated key, nesting deeper than 200 levels, a single
 * string over 1 MiB are refused).
 *
 * <p>A value reads back as the tree its JSON parses to, not as the tree that was written: a
 * {@code float} or {@code BigDecimal} comes back as a {@code double}, binary data as its base64
 * string, NaN as the string {@code "NaN"}; object key order is kept by the stores of this project
 * but not promised (a store on PostgreSQL's {@code jsonb} would sort keys). Backends in other modules call
 * {@link #encode} before they store and {@link #decode} after they read.
 */
public final class StateCodec {
  /** The largest input the strict reader takes: larger values are refused before they are parsed. */
  private static final int READ_LIMIT = 3 * 1024 * 1024;

  /** 0 for scalars that write the same JSON text: equal ones, and integers of one value whatever their width. */
  private static final java.util.Comparator<JsonNode> SAME_TEXT = (a, b) ->
      a.equals(b) || (a.isIntegralNumber() && b.isIntegralNumber() && a.bigIntegerValue().equals(b.bigIntegerValue()))
          ? 0 : 1;

  private StateCodec() {}

  /**
   * The value as stored: its compact UTF-8 JSON after one round trip through the strict reader, so
   * that reading it back and encoding again gives the same bytes. A plain tree (objects, arrays,
   * strings, integers, finite doubles, booleans, nulls within the reader's limits) reads back as
   * itself, so its tree is copied rather than its bytes parsed again; the bytes and the tree are
   * the same either way.
   *
   * @throws StateValueTooLargeException when those bytes are more than {@code maxValueBytes}
   * @throws IllegalArgumentException when the value is a missing node, or cannot be written or read back as JSON
   *     (the message names the key and, for a read, the column; it never quotes the value)
   */
  public static byte[] encode(StateKey key, JsonNode value, int maxValueBytes) {
    return encodeWithTree(key, value, maxValueBytes).bytes();
  }

  /**
   * The stored bytes of a value and the tree they read back as.
   *
   * @param bytes what {@link #encode} returns
   * @param tree what {@link #decode} of {@code bytes} returns: the strict reader's tree of the
   *     value's JSON, which encodes to {@code bytes} again
   */
  public record Encoded(byte[] bytes, JsonNode tree) {}

  /**
   * {@link #encode}, with the tree the bytes read back as, for a store that keeps trees (the
   * in-memory store) and would otherwise read its own bytes again. Throws as {@link #encode}.
   */
  public static Encoded encodeWithTree(StateKey key, JsonNode value, int maxValueBytes) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (value.isMissingNode()) {
      throw new IllegalArgumentException("value for " + key + " must be a JSON value, was a missing node");
    }
    byte[] written = write(key, value);
    if (written.length > Math.max(READ_LIMIT, maxValueBytes)) {
      throw new StateValueTooLargeException(key, written.length, maxValueBytes);
    }
    if (written.length <= READ_LIMIT) {
      // A plain tree reads back as a copy of itself: copied, not parsed again (readBackCopy)
      JsonNode copy = readBackCopy(value, 1);
      if (copy != null) {
        if (written.length > maxValueBytes) {
          throw new StateValueTooLargeException(key, written.length, maxValueBytes);
        }
        return new Encoded(written, copy);
      }
    }
    JsonNode normalized;
    try {
      normalized = Json.readJson(new String(written, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("value for " + key + " cannot be stored: " + e.getMessage(), e);
    }
    // The read-back tree writes what the value wrote when it holds the same scalars: equal
    // scalars write the same text (an int, a long and a BigInteger of one value all write its
    // digits), and its keys come in the order they were written (the comparison ignores order,
    // but both orders are the value's). Only a value that reads back changed (a float, a
    // BigDecimal, NaN, binary) is written a second time.
    byte[] stored = normalized.equals(SAME_TEXT, value) ? written : write(key, normalized);
    if (stored.length > maxValueBytes) {
      throw new StateValueTooLargeException(key, stored.length, maxValueBytes);
    }
    return new Encoded(stored, normalized);
  }

  /**
   * What {@code encodeWithTree(key, value, maxValueBytes).tree()} returns, throwing as it does, in
   * the read-only compact form a {@code Resource}'s tree has (its mutating methods throw; it
   * equals, hashes and serialises like that tree, and its {@code deepCopy} is that tree): for a
   * store that keeps trees and never the bytes (the in-memory store), for as long as their keys
   * live, and hands out copies. A plain tree without doubles (see {@link #encodeWithTree}) is
   * copied in one pass that counts the length of its stored bytes instead of writing them: the
   * limit is checked on that length, which is the length of what {@link #encode} returns. Anything
   * else, and a tree whose bytes would be over the strict reader's input limit, goes through
   * {@link #encodeWithTree}.
   *
   * @throws StateValueTooLargeException when the value's stored bytes are more than {@code maxValueBytes}
   * @throws IllegalArgumentException as {@link #encode}
   */
  public static JsonNode storedTree(StateKey key, JsonNode value, int maxValueBytes) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Sized sized = new Sized();
    JsonNode copy = sized.copy(value, 1);
    if (copy != null && sized.bytes <= READ_LIMIT) {
      if (sized.bytes > maxValueBytes) {
        throw new StateValueTooLargeException(key, sized.bytes, maxValueBytes);
      }
      return copy;
    }
    return FrozenJson.copyOf(encodeWithTree(key, value, maxValueBytes).tree());
  }

  /**
   * The length in bytes of each ASCII character as {@link Json#JSON} writes it inside a string:
   * asked of the writer itself once, so that its escaping (two-character escapes, six-character
   * ones for the other control characters, whether {@code /} is escaped) is what the count uses.
   */
  private static final int[] ASCII_BYTES = asciiBytes();

  private static int[] asciiBytes() {
    int[] out = new int[128];
    for (char c = 0; c < 128; c++) {
      out[c] = Json.JSON.writeValueAsBytes(JsonNodeFactory.instance.stringNode(String.valueOf(c))).length - 2;
    }
    return out;
  }

  /**
   * {@link #readBackCopy} in read-only form ({@link FrozenJson}) that also counts the bytes {@link
   * #write} would give, without writing them; it gives up (null) on a double (its text is the writer's to choose), on anything that is
   * not plain, and as soon as the count passes the strict reader's input limit.
   */
  static final class Sized {
    /** The bytes counted so far. */
    long bytes;

    @Nullable JsonNode copy(JsonNode value, int depth) {
      if (depth > MAX_DEPTH || bytes > READ_LIMIT) {
        return null;
      }
      JsonNodeFactory f = JsonNodeFactory.instance;
      if (value instanceof ObjectNode o) {
        int n = o.size();
        if (n > MAX_ENTRIES) {
          return null;
        }
        bytes += n == 0 ? 2 : n + 1; // braces and the commas between entries
        Object[] namesAndValues = new Object[2 * n];
        int i = 0;
        for (Map.Entry<String, JsonNode> e : o.properties()) {
          if (!text(e.getKey(), Integer.MAX_VALUE)) {
            return null;
          }
          bytes++; // the colon
          JsonNode v = copy(e.getValue(), depth + 1);
          if (v == null) {
            return null;
          }
          namesAndValues[i++] = e.getKey();
          namesAndValues[i++] = v;
        }
        return FrozenJson.object(namesAndValues);
      }
      if (value instanceof ArrayNode a) {
        int n = a.size();
        if (n > MAX_ENTRIES) {
          return null;
        }
        bytes += n == 0 ? 2 : n + 1; // brackets and the commas between items
        JsonNode[] items = new JsonNode[n];
        for (int i = 0; i < n; i++) {
          JsonNode v = copy(a.get(i), depth + 1);
          if (v == null) {
            return null;
          }
          items[i] = v;
        }
        return FrozenJson.array(items);
      }
      if (value instanceof StringNode t) {
        return text(t.stringValue(), MAX_SCALAR_CHARS) ? t : null;
      }
      if (value instanceof IntNode || value instanceof LongNode || value instanceof ShortNode) {
        long n = value.longValue();
        bytes += digits(n);
        return value instanceof IntNode ? value : n == (int) n ? f.numberNode((int) n) : value;
      }
      if (value instanceof BooleanNode b) {
        bytes += b.booleanValue() ? 4 : 5;
        return value;
      }
      if (value instanceof NullNode) {
        bytes += 4;
        return value;
      }
      if (value instanceof BigIntegerNode) {
        JsonNode v = readBackCopy(value, depth);
        bytes += value.bigIntegerValue().toString().length();
        return v;
      }
      return null;
    }

    /** Counts a quoted string; false when it is longer than {@code max} or has an unpaired surrogate. */
    private boolean text(String s, int max) {
      int n = s.length();
      if (n > max) {
        return false;
      }
      long count = 2;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          count += ASCII_BYTES[c];
        } else if (c < 0x800) {
          count += 2;
        } else if (!Character.isSurrogate(c)) {
          count += 3;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          count += 4;
          i++;
        } else {
          return false;
        }
      }
      bytes += count;
      return true;
    }

    /** The length of {@code n}'s decimal digits, with its sign. */
    static int digits(long n) {
      if (n == Long.MIN_VALUE) {
        return 20;
      }
      int sign = 0;
      if (n < 0) {
        sign = 1;
        n = -n;
      }
      int d = 1;
      for (long p = 10; d < 19 && n >= p; p *= 10) {
        d++;
      }
      return d + sign;
    }
  }

  // Json.readJson's limits (StrictReader.Limits.DEFAULT): a tree beyond them goes to the strict reader, which says why
  private static final int MAX_DEPTH = 200;
  private static final int MAX_SCALAR_CHARS = 1024 * 1024;
  private static final int MAX_ENTRIES = 100_000;

  /**
   * The tree the strict reader would read from {@code value}'s JSON, made by copying {@code value}
   * instead of parsing its bytes, or {@code null} when {@code value} is not a plain tree and the
   * caller must parse. A plain tree holds only objects, arrays, strings without unpaired
   * surrogates, integers, finite doubles, booleans and nulls, within the strict reader's depth,
   * size and length limits. Each of these reads back as what it is, except that an integer reads
   * back in the narrowest of int, long and BigInteger that holds it (as the parser types it);
   * containers are copied (the caller may change its tree afterwards), immutable scalars shared.
   * Anything else (a float, a BigDecimal, NaN, binary data, a POJO) reads back changed or may
   * fail to, and is left to the parser.
   */
  static @Nullable JsonNode readBackCopy(JsonNode value, int depth) {
    if (depth > MAX_DEPTH) {
      return null;
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value instanceof ObjectNode o) {
      if (o.size() > MAX_ENTRIES) {
        return null;
      }
      // sized for its entries up front (the reader's node grows its map as it reads them; the same map either way)
      ObjectNode copy = new ObjectNode(f, new java.util.LinkedHashMap<>((int) (o.size() / 0.75f) + 1));
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (!plainText(e.getKey(), Integer.MAX_VALUE)) {
          return null;
        }
        JsonNode v = readBackCopy(e.getValue(), depth + 1);
        if (v == null) {
          return null;
        }
        copy.set(e.getKey(), v);
      }
      return copy;
    }
    if (value instanceof ArrayNode a) {
      if (a.size() > MAX_ENTRIES) {
        return null;
      }
      ArrayNode copy = f.arrayNode(a.size());
      for (JsonNode item : a) {
        JsonNode v = readBackCopy(item, depth + 1);
        if (v == null) {
          return null;
        }
        copy.add(v);
      }
      return copy;
    }
    if (value instanceof StringNode t) {
      return plainText(t.stringValue(), MAX_SCALAR_CHARS) ? t : null;
    }
    if (value instanceof IntNode || value instanceof BooleanNode || value instanceof NullNode) {
      return value;
    }
    if (value instanceof LongNode || value instanceof ShortNode) {
      long n = value.longValue();
      return n == (int) n ? f.numberNode((int) n) : value;
    }
    if (value instanceof BigIntegerNode b) {
      java.math.BigInteger n = b.bigIntegerValue();
      return n.bitLength() < 32 ? f.numberNode(n.intValue()) : n.bitLength() < 64 ? f.numberNode(n.longValue()) : b;
    }
    if (value instanceof DoubleNode d) {
      return Double.isFinite(d.doubleValue()) ? d : null;
    }
    return null;
  }

  /** At most {@code max} characters, and every surrogate in a pair (an unpaired one is not valid UTF-8). */
  private static boolean plainText(String s, int max) {
    int n = s.length();
    if (n > max) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Reads stored JSON strictly.
   *
   * @param json the stored bytes
   * @param key the key they belong to, for the message; {@code null} for a store's own bookkeeping
   * @param location where they were read from (a file path, a ConfigMap, a row), for the message
   * @throws CorruptStateException when the bytes are empty, not UTF-8 or not one valid JSON document;
   *     the message names the location and, for invalid JSON, the line and column
   */
  public static JsonNode decode(byte[] json, @Nullable StateKey key, String location) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(location, "location");
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(json))
          .toString();
    } catch (CharacterCodingException e) {
      throw corrupt(key, location, "is not valid UTF-8", e);
    }
    JsonNode tree;
    try {
      tree = Json.readJson(text);
    } catch (IllegalArgumentException e) {
      throw corrupt(key, location, "is not valid: " + e.getMessage(), e);
    }
    if (tree.isMissingNode()) {
      throw corrupt(key, location, "is empty", null);
    }
    return tree;
  }

  /**
   * A {@link CorruptStateException} whose message says what is wrong, where, and what to do.
   *
   * @param key the key whose content it is, or {@code null} when it is not (yet) known or is a store's own
   * @param location where the content is
   * @param problem what is wrong, phrased to follow the location ("is empty")
   * @param cause the underlying error, or {@code null}
   */
  public static CorruptStateException corrupt(@Nullable StateKey key, String location, String problem, @Nullable Throwable cause) {
    String what = key == null ? "stored state " : "stored state of " + key + " ";
    return new CorruptStateException(what + "at " + location + " " + problem
        + " (damaged, or edited outside the state store): restore it from a backup or move it away"
        + (key == null ? "" : "; other keys are not affected"), key, location, cause);
  }

  private static byte[] write(StateKey key, JsonNode value) {
    try {
      return Json.JSON.writeValueAsBytes(value);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("value for " + key + " cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
