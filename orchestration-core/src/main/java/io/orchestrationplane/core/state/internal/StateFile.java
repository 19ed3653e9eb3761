package io.orchestrationplane.core.state.internal;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.StateCodec;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The format of one key's file, version 1: a JSON object a person can read, with the value on one
 * line in its compact form and a digest of that form, so that a truncated, damaged or hand-edited
 * file is recognised instead of read as a different value.
 *
 * <pre>
 * {
 *   "format": 1,
 *   "namespace": "workflows",
 *   "name": "shop.release",
 *   "version": 7,
 *   "digest": "sha256:…",
 *   "value": {"step":"approve"}
 * }
 * </pre>
 */
final class StateFile {
  static final int FORMAT = 1;
  private static final List<String> FIELDS = List.of("format", "namespace", "name", "version", "digest", "value");

  private StateFile() {}

  /** The file's bytes for {@code value}, already encoded by {@link StateCodec#encode}. */
  static byte[] render(StateKey key, long version, byte[] value) {
    // Keys are ASCII letters, digits, '-' and '.': nothing to escape.
    String head = "{\n"
        + "  \"format\": " + FORMAT + ",\n"
        + "  \"namespace\": \"" + key.namespace() + "\",\n"
        + "  \"name\": \"" + key.name() + "\",\n"
        + "  \"version\": " + version + ",\n"
        + "  \"digest\": \"" + digest(value) + "\",\n"
        + "  \"value\": ";
    ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + value.length + 4);
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(value);
    out.writeBytes("\n}\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /**
   * The entry in a file's bytes, checked against the key its path names; throws {@link
   * io.orchestrationplane.core.state.CorruptStateException} naming {@code location}.
   */
  static StateEntry parse(byte[] bytes, StateKey key, String location) {
    JsonNode tree = StateCodec.decode(bytes, key, location);
    if (!tree.isObject()) {
      throw StateCodec.corrupt(key, location, "is not a state file: it holds a JSON " + tree.getNodeType()
          .toString().toLowerCase(java.util.Locale.ROOT) + ", not an object", null);
    }
    Set<String> fields = new TreeSet<>(tree.propertyNames());
    if (!fields.equals(new TreeSet<>(FIELDS))) {
      Set<String> missing = new TreeSet<>(FIELDS);
      missing.removeAll(fields);
      Set<String> unknown = new TreeSet<>(fields);
      FIELDS.forEach(unknown::remove);
      throw StateCodec.corrupt(key, location, "is not a state file of format " + FORMAT + ":"
          + (missing.isEmpty() ? "" : " missing " + missing) + (unknown.isEmpty() ? "" : " unknown " + shown(unknown)),
          null);
    }
    JsonNode format = tree.get("format");
    if (!format.isIntegralNumber() || !format.canConvertToInt() || format.asInt() != FORMAT) {
      throw StateCodec.corrupt(key, location, "has format " + format + ", which this version cannot read: it reads "
          + "format " + FORMAT + " (was it written by a newer version of the plane?)", null);
    }
    String namespace = tree.get("namespace").isString() ? tree.get("namespace").asString() : null;
    String name = tree.get("name").isString() ? tree.get("name").asString() : null;
    if (!key.namespace().equals(namespace) || !key.name().equals(name)) {
      throw StateCodec.corrupt(key, location, "names another key (namespace " + quoted(namespace) + ", name "
          + quoted(name) + ") than its path does: was it copied or renamed?", null);
    }
    JsonNode version = tree.get("version");
    if (!version.isIntegralNumber() || !version.canConvertToLong() || version.asLong() < 1) {
      throw StateCodec.corrupt(key, location, "has field \"version\" that is not a whole number >= 1", null);
    }
    JsonNode digest = tree.get("digest");
    JsonNode value = tree.get("value");
    if (!digest.isString() || !digest.asString().equals(digest(Json.JSON.writeValueAsBytes(value)))) {
      throw StateCodec.corrupt(key, location, "has a value that does not match the digest stored with it", null);
    }
    return new StateEntry(key, version.asLong(), value);
  }

  /** {@code sha256:<64 hex digits>} of {@code bytes}. */
  static String digest(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static String quoted(@Nullable String s) {
    return s == null ? "(not a string)" : "'" + (s.length() > 64 ? s.substring(0, 61) + "..." : s) + "'";
  }

  private static String shown(Set<String> names) {
    return names.stream().limit(5).map(StateFile::quoted).toList() + (names.size() > 5 ? " and more" : "");
  }

}
