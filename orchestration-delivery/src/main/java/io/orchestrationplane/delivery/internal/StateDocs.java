package io.orchestrationplane.delivery.internal;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.time.InstantText;
import io.orchestrationplane.delivery.Release;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The stored JSON of releases and workflow state, and small tree helpers. */
public final class StateDocs {
  /** Workflow state, one document per application. */
  public static final String WORKFLOWS = "workflows";
  /** Releases, one immutable document per release. */
  public static final String RELEASES = "releases";
  /** The key of release digests. */
  public static final StateKey DIGEST_KEY = StateKey.of("delivery-keys", "digest");

  private StateDocs() {}

  public static StateKey workflowKey(String applicationId) {
    return StateKey.of(WORKFLOWS, applicationId);
  }

  public static StateKey releaseKey(String applicationId, long number) {
    String digits = Long.toString(number);
    if (number < 0 || digits.length() > 10) {
      throw new IllegalArgumentException("a release number is 0 to 9999999999, got " + number);
    }
    return StateKey.of(RELEASES, applicationId + "." + "0000000000".substring(digits.length()) + digits);
  }

  public static ObjectNode encode(Release r) {
    return encode(r, ApplicationCodec.toTree(r.model()));
  }

  /** {@link #encode(Release)} with the model's tree already made ({@link ApplicationCodec#toTree} of {@code r.model()}). */
  static ObjectNode encode(Release r, JsonNode model) {
    ObjectNode n = Json.object();
    n.put("format", 1);
    n.put("application", r.application());
    n.put("number", r.number());
    n.put("digest", r.digest());
    n.set("author", subject(r.author()));
    n.put("time", r.time().toString());
    n.set("origin", origin(r.origin()));
    n.set("model", model);
    return n;
  }

  public static Release decodeRelease(StateKey key, JsonNode n) {
    try {
      Release r = new Release(n.get("application").asString(), n.get("number").asLong(), n.get("digest").asString(),
          subject(n.get("author")), Instant.parse(n.get("time").asString()), origin(n.get("origin")),
          ApplicationCodec.fromTree(n.get("model")));
      if (!releaseKey(r.application(), r.number()).equals(key)) {
        throw new IllegalArgumentException("names another release");
      }
      return r;
    } catch (RuntimeException e) {
      // never quote the content or the decoder's message: the model may hold secrets
      throw new CorruptStateException(key + " is not a valid release document", key, key.toString(), null);
    }
  }

  public static ObjectNode subject(Subject s) {
    ObjectNode n = Json.object();
    n.put("name", s.name());
    ArrayNode g = n.putArray("groups");
    new TreeSet<>(s.groups()).forEach(g::add);
    return n;
  }

  /** A stored subject and what it decodes to, the last one decoded (a run's author is decoded at each step's end). */
  private record Decoded(JsonNode node, Subject subject) {}

  private static volatile @Nullable Decoded lastSubject;

  public static Subject subject(JsonNode n) {
    Decoded last = lastSubject;
    if (last != null && last.node().equals(n)) {
      return last.subject();
    }
    List<String> groups = new ArrayList<>();
    n.get("groups").forEach(g -> groups.add(g.asString()));
    Subject s = new Subject(n.get("name").asString(), Set.copyOf(groups));
    lastSubject = new Decoded(n.deepCopy(), s); // its own copy: the document it came from may change
    return s;
  }

  public static ObjectNode origin(Origin o) {
    ObjectNode n = Json.object();
    if (o instanceof Origin.Code) {
      n.put("type", "code");
    } else if (o instanceof Origin.Text) {
      n.put("type", "text");
    } else if (o instanceof Origin.File f) {
      n.put("type", "file").put("path", f.path());
    } else if (o instanceof Origin.GitCommit g) {
      n.put("type", "git").put("repository", g.repository()).put("commit", g.commit()).put("path", g.path())
          .put("author", g.author()).put("subject", g.subject());
    } else if (o instanceof Origin.Rollback r) {
      n.put("type", "rollback").put("revision", r.revision());
    }
    return n;
  }

  public static Origin origin(JsonNode n) {
    return switch (n.get("type").asString()) {
      case "code" -> Origin.code();
      case "text" -> Origin.text();
      case "file" -> Origin.file(n.get("path").asString());
      case "git" -> Origin.git(n.get("repository").asString(), n.get("commit").asString(), n.get("path").asString(),
          n.path("author").asString(""), n.path("subject").asString(""));
      case "rollback" -> Origin.rollbackOf(n.get("revision").asLong());
      default -> throw new IllegalArgumentException("unknown origin");
    };
  }

  // ---- tree helpers

  public static @Nullable ObjectNode obj(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n instanceof ObjectNode o ? o : null;
  }

  public static ObjectNode objOrCreate(ObjectNode parent, String field) {
    ObjectNode o = obj(parent, field);
    return o != null ? o : parent.putObject(field);
  }

  public static @Nullable String text(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n == null || n.isNull() ? null : n.asString();
  }

  public static @Nullable Instant instant(JsonNode parent, String field) {
    String t = text(parent, field);
    return t == null ? null : parseInstant(t);
  }

  /** An instant and its text, the last one formatted (a transition writes the same instant several times). */
  private record Formatted(Instant instant, String text) {}

  private static volatile @Nullable Formatted lastFormatted;

  /**
   * {@link Instant#toString} ({@link #toText}), remembering the last result: a transition stores
   * its one "now" several times.
   */
  public static String format(Instant instant) {
    Formatted last = lastFormatted;
    if (last != null && last.instant().equals(instant)) {
      return last.text();
    }
    String text = toText(instant);
    lastFormatted = new Formatted(instant, text);
    return text;
  }

  /** {@link Instant#toString}, without {@code DateTimeFormatter} ({@link InstantText}). */
  static String toText(Instant instant) {
    return InstantText.of(instant);
  }

  /**
   * {@link Instant#parse}, with a fast path for the form {@link Instant#toString} writes (what the
   * engine stores: {@code 2026-12-03T17:20:05Z}, optionally with 1 to 9 fraction digits) that
   * skips {@code DateTimeFormatter}; anything else (offsets, other years, bad input) goes to
   * {@link Instant#parse} and gets its result or its exception.
   */
  public static Instant parseInstant(String t) {
    int n = t.length();
    if (n >= 20 && n <= 30 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == 'T' && t.charAt(13) == ':'
        && t.charAt(16) == ':' && t.charAt(n - 1) == 'Z' && (n == 20 || t.charAt(19) == '.' && n >= 22)) {
      int year = digits(t, 0, 4);
      int month = digits(t, 5, 7);
      int day = digits(t, 8, 10);
      int hour = digits(t, 11, 13);
      int minute = digits(t, 14, 16);
      int second = digits(t, 17, 19);
      int nano = 0;
      if (n > 20) {
        int fraction = digits(t, 20, n - 1);
        nano = fraction < 0 ? -1 : fraction * POW10[9 - (n - 21)];
      }
      if (year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= 28 + 3 && hour >= 0 && hour <= 23
          && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && nano >= 0
          && day <= java.time.YearMonth.of(year, month).lengthOfMonth()) {
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nano);
      }
    }
    return Instant.parse(t);
  }

  private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  /** The decimal value of {@code t[from, to)}, or -1 when a character there is not an ASCII digit. */
  private static int digits(String t, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  public static void put(ObjectNode parent, String field, @Nullable Instant value) {
    if (value == null) {
      parent.remove(field);
    } else {
      parent.put(field, format(value));
    }
  }
}
