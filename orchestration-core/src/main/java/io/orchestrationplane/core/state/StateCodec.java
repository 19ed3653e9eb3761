package io.orchestrationplane.core.state;

import io.orchestrationplane.core.resource.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

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
   * that reading it back and encoding again gives the same bytes.
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
