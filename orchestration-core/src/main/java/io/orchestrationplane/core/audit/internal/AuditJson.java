package io.orchestrationplane.core.audit.internal;

import io.orchestrationplane.core.audit.AuditAction;
import io.orchestrationplane.core.audit.AuditEntry;
import io.orchestrationplane.core.audit.AuditRecord;
import io.orchestrationplane.core.audit.Checkpoint;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.resource.Json;
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

  /** The canonical form of a record without its hash, in UTF-8: what the chain and the Merkle leaf hash. */
  public static byte[] canonical(AuditRecord r) {
    return canonical(r, new StringBuilder(1024));
  }

  /**
   * {@link #canonical(AuditRecord)} written in {@code scratch}, which is cleared first: a writer
   * that encodes record after record reuses one buffer instead of allocating one per record.
   */
  public static byte[] canonical(AuditRecord r, StringBuilder scratch) {
    scratch.setLength(0);
    return body(scratch, r).append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The line {@link #write(AuditRecord)} gives, in UTF-8, for the record whose {@link #canonical}
   * bytes are {@code canonical} and whose hash is {@code hash} (64 hex digits, nothing to escape):
   * the bytes the file sink writes, without encoding the record again.
   */
  public static byte[] line(byte[] canonical, String hash) {
    byte[] out = new byte[canonical.length - 1 + HASH_FIELD.length + hash.length() + 2];
    System.arraycopy(canonical, 0, out, 0, canonical.length - 1);
    int n = canonical.length - 1;
    System.arraycopy(HASH_FIELD, 0, out, n, HASH_FIELD.length);
    n += HASH_FIELD.length;
    for (int i = 0; i < hash.length(); i++) { // hex digits: ASCII
      out[n++] = (byte) hash.charAt(i);
    }
    out[n++] = '"';
    out[n] = '}';
    return out;
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
