package io.orchestrationplane.core.audit.internal;

import io.orchestrationplane.core.audit.AuditAction;
import io.orchestrationplane.core.audit.AuditEntry;
import io.orchestrationplane.core.audit.AuditRecord;
import io.orchestrationplane.core.audit.Checkpoint;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.time.InstantText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The audit log's JSON Lines form. A record's canonical form is its fields in a fixed order, no
 * whitespace, strings escaped the one way this writer escapes them; the hash covers the canonical
 * form without the {@code hash} field, which the line then appends. Parsing is strict (every field,
 * no other), and a parsed record is hashed by writing it again, so any change of content shows.
 */
public final class AuditJson {
  private static final HexFormat HEX = HexFormat.of();
  private static final Set<String> RECORD_FIELDS = Set.of("type", "sequence", "time", "subject", "action",
      "application", "revision", "plan", "verdicts", "outcomes", "message", "previous", "hash");
  private static final Set<String> CHECKPOINT_FIELDS = Set.of("type", "size", "root", "time", "signature");

  private AuditJson() {}

  /**
   * The canonical form of a record without its hash, in UTF-8: what the chain and the Merkle leaf
   * hash. Written through a {@code StringBuilder}: the verifier's encoding, independent of the
   * writer's {@link Encoder}, so that a difference between the two shows as a broken record.
   */
  public static byte[] canonical(AuditRecord r) {
    return body(new StringBuilder(1024), r).append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The writer's encoder: a record's canonical form written straight into UTF-8 bytes in one
   * reused buffer, byte for byte what {@link #canonical(AuditRecord)} gives (which writes through a
   * {@code StringBuilder} and a {@code String}, and stays the verifier's independent encoding), and
   * the line with its hash appended in the same buffer. Plain ASCII strings (nearly all of a
   * record) are copied in bulk; a string with anything else is escaped as {@link #write} escapes
   * it and encoded on its own (escapes are ASCII and quotes separate the strings, so no character
   * pair is split differently). Not thread-safe: the log's writer owns one.
   */
  public static final class Encoder {
    /** A buffer grown past this for one huge record is dropped after it. */
    private static final int KEEP = 64 * 1024;
    private byte[] buf = new byte[1024];
    private int n;

    /**
     * Encodes the canonical form (without the hash) of the record these fields make, as {@link
     * #canonical(AuditRecord)} does; {@link #length()} bytes of {@link #bytes()} then hold it.
     */
    public void canonical(long sequence, Instant time, Subject subject, AuditAction action, String application,
        String revision, String plan, List<AuditRecord.Verdict> verdicts, List<AuditRecord.ClusterOutcome> outcomes,
        String message, String previous) {
      if (buf.length > KEEP) {
        buf = new byte[1024];
      }
      n = 0;
      ascii("{\"type\":\"record\",\"sequence\":");
      number(sequence);
      ascii(",\"time\":");
      instant(time);
      ascii(",\"subject\":{\"name\":");
      string(subject.name());
      ascii(",\"groups\":[");
      int i = 0;
      for (String g : subject.groups()) {
        if (i++ > 0) {
          put((byte) ',');
        }
        string(g);
      }
      ascii("]},\"action\":");
      string(action.jsonName());
      ascii(",\"application\":");
      string(application);
      ascii(",\"revision\":");
      string(revision);
      ascii(",\"plan\":");
      string(plan);
      ascii(",\"verdicts\":[");
      i = 0;
      for (AuditRecord.Verdict v : verdicts) {
        if (i++ > 0) {
          put((byte) ',');
        }
        ascii("{\"policy\":");
        string(v.policy());
        ascii(",\"action\":");
        string(v.action());
        ascii(",\"object\":");
        string(v.object());
        ascii(",\"cluster\":");
        string(v.cluster());
        ascii(",\"message\":");
        string(v.message());
        put((byte) '}');
      }
      ascii("],\"outcomes\":[");
      i = 0;
      for (AuditRecord.ClusterOutcome o : outcomes) {
        if (i++ > 0) {
          put((byte) ',');
        }
        ascii("{\"cluster\":");
        string(o.cluster());
        ascii(",\"applied\":");
        number(o.applied());
        ascii(",\"deleted\":");
        number(o.deleted());
        ascii(",\"unchanged\":");
        number(o.unchanged());
        ascii(",\"failed\":");
        number(o.failed());
        ascii(",\"waiting\":");
        number(o.waiting());
        ascii(",\"skipped\":");
        number(o.skipped());
        ascii(",\"error\":");
        string(o.error());
        put((byte) '}');
      }
      ascii("],\"message\":");
      string(message);
      ascii(",\"previous\":");
      string(previous);
      put((byte) '}');
    }

    /** The buffer: its first {@link #length()} bytes are the last canonical form encoded. */
    public byte[] bytes() {
      return buf;
    }

    /** How many bytes of {@link #bytes()} the last canonical form holds. */
    public int length() {
      return n;
    }

    /**
     * The line of the record just encoded, whose hash is {@code hash} (64 hex digits): {@link #write(AuditRecord)}'s
     * text in UTF-8, in a new array.
     */
    public byte[] line(String hash) {
      byte[] out = new byte[n - 1 + HASH_FIELD.length + hash.length() + 2];
      System.arraycopy(buf, 0, out, 0, n - 1);
      int at = n - 1;
      System.arraycopy(HASH_FIELD, 0, out, at, HASH_FIELD.length);
      at += HASH_FIELD.length;
      for (int i = 0; i < hash.length(); i++) { // hex digits: ASCII
        out[at++] = (byte) hash.charAt(i);
      }
      out[at++] = '"';
      out[at] = '}';
      return out;
    }

    private void string(String s) {
      int len = s.length();
      for (int i = 0; i < len; i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
          StringBuilder b = new StringBuilder(len + 16);
          AuditJson.string(b, s); // the one escaping, quotes included
          bytes(b.toString().getBytes(StandardCharsets.UTF_8));
          return;
        }
      }
      ensure(len + 2);
      buf[n++] = '"';
      copy(s, len);
      buf[n++] = '"';
    }

    /** {@code "}{@link Instant#toString()}{@code "}, made without {@code DateTimeFormatter} ({@link InstantText}). */
    private void instant(Instant t) {
      String text = InstantText.of(t); // ASCII digits, '-', '+', ':', '.', 'T', 'Z': nothing to escape
      ensure(text.length() + 2);
      buf[n++] = '"';
      ascii(text);
      buf[n++] = '"';
    }

    private void ascii(String s) {
      int len = s.length();
      ensure(len);
      copy(s, len);
    }

    /** Copies the low bytes of an ASCII string's characters; room was made. */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) keeps each char's low byte: exact for ASCII
    private void copy(String s, int len) {
      s.getBytes(0, len, buf, n);
      n += len;
    }

    private void number(long v) {
      ascii(Long.toString(v));
    }

    private void bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, n, b.length);
      n += b.length;
    }

    private void put(byte b) {
      ensure(1);
      buf[n++] = b;
    }

    private void ensure(int more) {
      if (n + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(2 * buf.length, n + more));
      }
    }
  }

  private static final byte[] HASH_FIELD = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);

  public static String recordHash(AuditRecord r) {
    return HEX.formatHex(MerkleTree.sha256().digest(canonical(r)));
  }

  public static String write(AuditRecord r) {
    StringBuilder b = body(new StringBuilder(1024), r);
    b.append(",\"hash\":");
    string(b, r.hash());
    return b.append('}').toString();
  }

  private static StringBuilder body(StringBuilder b, AuditRecord r) {
    b.append("{\"type\":\"record\",\"sequence\":").append(r.sequence()).append(",\"time\":");
    string(b, r.time().toString());
    b.append(",\"subject\":{\"name\":");
    string(b, r.subject().name());
    b.append(",\"groups\":[");
    int i = 0;
    for (String g : r.subject().groups()) {
      if (i++ > 0) {
        b.append(',');
      }
      string(b, g);
    }
    b.append("]},\"action\":");
    string(b, r.action().jsonName());
    b.append(",\"application\":");
    string(b, r.application());
    b.append(",\"revision\":");
    string(b, r.revision());
    b.append(",\"plan\":");
    string(b, r.plan());
    b.append(",\"verdicts\":[");
    i = 0;
    for (AuditRecord.Verdict v : r.verdicts()) {
      if (i++ > 0) {
        b.append(',');
      }
      b.append("{\"policy\":");
      string(b, v.policy());
      b.append(",\"action\":");
      string(b, v.action());
      b.append(",\"object\":");
      string(b, v.object());
      b.append(",\"cluster\":");
      string(b, v.cluster());
      b.append(",\"message\":");
      string(b, v.message());
      b.append('}');
    }
    b.append("],\"outcomes\":[");
    i = 0;
    for (AuditRecord.ClusterOutcome o : r.outcomes()) {
      if (i++ > 0) {
        b.append(',');
      }
      b.append("{\"cluster\":");
      string(b, o.cluster());
      b.append(",\"applied\":").append(o.applied()).append(",\"deleted\":").append(o.deleted())
          .append(",\"unchanged\":").append(o.unchanged()).append(",\"failed\":").append(o.failed())
          .append(",\"waiting\":").append(o.waiting()).append(",\"skipped\":").append(o.skipped())
          .append(",\"error\":");
      string(b, o.error());
      b.append('}');
    }
    b.append("],\"message\":");
    string(b, r.message());
    b.append(",\"previous\":");
    string(b, r.previous());
    return b;
  }

  public static String write(Checkpoint c) {
    StringBuilder b = new StringBuilder(200);
    b.append("{\"type\":\"checkpoint\",\"size\":").append(c.size()).append(",\"root\":");
    string(b, c.root());
    b.append(",\"time\":");
    string(b, c.time().toString());
    b.append(",\"signature\":");
    string(b, c.signature());
    return b.append('}').toString();
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    if (plain(s)) { // the common case: nothing to escape, one copy
      b.append(s).append('"');
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029) {
        return false;
      }
    }
    return true;
  }

  // ---- reading

  public static AuditEntry parse(String json) {
    JsonNode n = Json.readJson(json);
    if (!n.isObject()) {
      throw new IllegalArgumentException("an audit entry is a JSON object");
    }
    String type = text(n, "type");
    if (type.equals("record")) {
      fields(n, RECORD_FIELDS, "record");
      JsonNode s = field(n, "subject");
      fields(s, Set.of("name", "groups"), "subject");
      Set<String> groups = new LinkedHashSet<>();
      for (JsonNode g : array(s, "groups")) {
        groups.add(stringValue(g, "subject.groups[]"));
      }
      List<AuditRecord.Verdict> verdicts = new ArrayList<>();
      for (JsonNode v : array(n, "verdicts")) {
        fields(v, Set.of("policy", "action", "object", "cluster", "message"), "verdicts[]");
        verdicts.add(new AuditRecord.Verdict(text(v, "policy"), text(v, "action"), text(v, "object"),
            text(v, "cluster"), text(v, "message")));
      }
      List<AuditRecord.ClusterOutcome> outcomes = new ArrayList<>();
      for (JsonNode o : array(n, "outcomes")) {
        fields(o, Set.of("cluster", "applied", "deleted", "unchanged", "failed", "waiting", "skipped", "error"),
            "outcomes[]");
        outcomes.add(new AuditRecord.ClusterOutcome(text(o, "cluster"), (int) number(o, "applied"),
            (int) number(o, "deleted"), (int) number(o, "unchanged"), (int) number(o, "failed"),
            (int) number(o, "waiting"), (int) number(o, "skipped"), text(o, "error")));
      }
      return new AuditRecord(number(n, "sequence"), instant(n, "time"), new Subject(text(s, "name"), groups),
          AuditAction.fromJson(text(n, "action")), text(n, "application"), text(n, "revision"), text(n, "plan"),
          verdicts, outcomes, text(n, "message"), text(n, "previous"), text(n, "hash"));
    }
    if (type.equals("checkpoint")) {
      fields(n, CHECKPOINT_FIELDS, "checkpoint");
      return new Checkpoint(number(n, "size"), text(n, "root"), instant(n, "time"), text(n, "signature"));
    }
    throw new IllegalArgumentException("unknown entry type (field 'type')");
  }

  private static void fields(JsonNode n, Set<String> expected, String what) {
    if (!n.isObject()) {
      throw new IllegalArgumentException(what + " must be an object");
    }
    for (String f : expected) {
      if (!n.has(f)) {
        throw new IllegalArgumentException(what + " lacks field '" + f + "'");
      }
    }
    for (String f : n.propertyNames()) {
      if (!expected.contains(f)) {
        throw new IllegalArgumentException(what + " has an unknown field (" + f.length() + " characters)");
      }
    }
  }

  private static JsonNode field(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing field '" + name + "'");
    }
    return v;
  }

  private static String text(JsonNode n, String name) {
    return stringValue(field(n, name), name);
  }

  private static String stringValue(JsonNode v, String name) {
    if (!v.isString()) {
      throw new IllegalArgumentException("field '" + name + "' must be a string");
    }
    return v.asString();
  }

  private static long number(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException("field '" + name + "' must be an integer");
    }
    return v.asLong();
  }

  private static Iterable<JsonNode> array(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isArray()) {
      throw new IllegalArgumentException("field '" + name + "' must be an array");
    }
    return v;
  }

  private static Instant instant(JsonNode n, String name) {
    try {
      return Instant.parse(text(n, name));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("field '" + name + "' must be an ISO-8601 instant");
    }
  }

  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  public static byte[] unhex(String hex) {
    if (hex.length() != 64) {
      throw new IllegalArgumentException("a hash is 64 hex digits, not " + hex.length() + " characters");
    }
    return HEX.parseHex(hex);
  }
}
