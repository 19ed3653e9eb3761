package io.orchestrationplane.delivery.internal;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.StateKey;
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
    return StateKey.of(RELEASES, applicationId + "." + String.format("%010d", number));
  }

  public static ObjectNode encode(Release r) {
    ObjectNode n = Json.object();
    n.put("format", 1);
    n.put("application", r.application());
    n.put("number", r.number());
    n.put("digest", r.digest());
    n.set("author", subject(r.author()));
    n.put("time", r.time().toString());
    n.set("origin", origin(r.origin()));
    n.set("model", ApplicationCodec.toTree(r.model()));
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

  public static Subject subject(JsonNode n) {
    List<String> groups = new ArrayList<>();
    n.get("groups").forEach(g -> groups.add(g.asString()));
    return new Subject(n.get("name").asString(), Set.copyOf(groups));
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
    return t == null ? null : Instant.parse(t);
  }

  public static void put(ObjectNode parent, String field, @Nullable Instant value) {
    if (value == null) {
      parent.remove(field);
    } else {
      parent.put(field, value.toString());
    }
  }
}
