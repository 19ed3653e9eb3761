package io.orchestrationplane.core.release.internal;

import io.orchestrationplane.core.model.Application;
import io.orchestrationplane.core.model.ApplicationCodec;
import io.orchestrationplane.core.observe.Subject;
import io.orchestrationplane.core.plan.PolicyNotice;
import io.orchestrationplane.core.release.Origin;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.release.RevisionSource;
import io.orchestrationplane.core.resource.ResourceKey;
import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.StateEntry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stored form of a revision: one JSON document per revision, {@code format} 1. Reading is
 * strict: a document that lacks a field, has one of the wrong type, names another application or
 * number than its key, or whose model does not decode is a {@link CorruptStateException} naming
 * the key; nothing of it is returned. Messages never quote stored values (a model may hold secrets).
 */
final class RevisionCodec {
  static final int FORMAT = 1;

  private RevisionCodec() {}

  /** The document of a revision. */
  static ObjectNode encode(Revision r) {
    return encode(r, ApplicationCodec.toTree(r.model()));
  }

  /** {@link #encode(Revision)} with the tree of its model already made ({@code ApplicationCodec.toTree(r.model())}), not copied. */
  static ObjectNode encode(Revision r, JsonNode model) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("format", FORMAT);
    root.put("application", r.application());
    root.put("number", r.number());
    root.put("digest", r.digest());
    ObjectNode subject = root.putObject("subject");
    subject.put("name", r.source().subject().name());
    ArrayNode groups = subject.putArray("groups");
    r.source().subject().groups().forEach(groups::add);
    root.put("time", r.source().time().toString());
    root.set("origin", origin(r.source().origin()));
    root.put("policies", r.policies());
    ArrayNode notices = root.putArray("notices");
    for (PolicyNotice n : r.notices()) {
      ObjectNode o = notices.addObject();
      o.put("cluster", n.key().cluster());
      o.put("group", n.key().group());
      o.put("kind", n.key().kind());
      o.put("namespace", n.key().namespace());
      o.put("name", n.key().name());
      o.put("policy", n.policy());
      o.put("action", n.action());
      o.put("message", n.message());
    }
    root.set("model", model);
    return root;
  }

  private static ObjectNode origin(Origin origin) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (origin instanceof Origin.File f) {
      o.put("type", "file").put("path", f.path());
    } else if (origin instanceof Origin.GitCommit g) {
      o.put("type", "git").put("repository", g.repository()).put("commit", g.commit()).put("path", g.path());
      if (!g.author().isEmpty()) {
        o.put("author", g.author());
      }
      if (!g.subject().isEmpty()) {
        o.put("subject", g.subject());
      }
    } else if (origin instanceof Origin.Rollback r) {
      o.put("type", "rollback").put("revision", r.revision());
    } else {
      o.put("type", origin instanceof Origin.Text ? "text" : "code");
    }
    return o;
  }

  /** The number and digest of a stored revision, read without decoding its model. */
  record Header(StateEntry entry, String application, long number, String digest) {}

  static Header header(StateEntry entry) {
    JsonNode root = entry.value();
    if (!root.isObject()) {
      throw corrupt(entry, "it is not a JSON object");
    }
    if (root.path("format").asInt(-1) != FORMAT || !root.path("format").isIntegralNumber()) {
      throw corrupt(entry, "its format is not " + FORMAT);
    }
    return new Header(entry, text(entry, root, "application"), number(entry, root, "number"),
        text(entry, root, "digest"));
  }

  /** The whole revision; {@code application} and {@code number} are what its key says. */
  static Revision decode(StateEntry entry, String application, long number) {
    Header h = header(entry);
    JsonNode root = entry.value();
    if (!h.application().equals(application)) {
      throw corrupt(entry, "it is a revision of another application");
    }
    if (h.number() != number) {
      throw corrupt(entry, "its number is not " + number + " as its key says");
    }
    try {
      JsonNode subject = object(entry, root, "subject");
      Set<String> groups = new LinkedHashSet<>();
      for (JsonNode g : array(entry, subject, "groups")) {
        if (!g.isString()) {
          throw corrupt(entry, "a group of its subject is not a string");
        }
        groups.add(g.stringValue());
      }
      Instant time;
      try {
        time = Instant.parse(text(entry, root, "time"));
      } catch (DateTimeParseException e) {
        throw corrupt(entry, "its time is not an instant");
      }
      RevisionSource source = new RevisionSource(new Subject(text(entry, subject, "name"), groups), time,
          origin(entry, object(entry, root, "origin")));
      List<PolicyNotice> notices = new ArrayList<>();
      for (JsonNode n : array(entry, root, "notices")) {
        notices.add(new PolicyNotice(ResourceKey.of(text(entry, n, "cluster"), text(entry, n, "group"),
            text(entry, n, "kind"), text(entry, n, "namespace"), text(entry, n, "name")), text(entry, n, "policy"),
            text(entry, n, "action"), text(entry, n, "message")));
      }
      Application model;
      try {
        model = ApplicationCodec.fromTree(object(entry, root, "model"));
      } catch (RuntimeException e) {
        // not chained: a decoding message may quote a value of the model
        throw corrupt(entry, "its model is not a valid application");
      }
      return new Revision(application, number, h.digest(), source, text(entry, root, "policies"), notices, model);
    } catch (CorruptStateException e) {
      throw e;
    } catch (RuntimeException e) {
      // a value that breaks an invariant (an invalid subject, digest, commit): no message quoted
      throw corrupt(entry, "a field holds an invalid value (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Origin origin(StateEntry entry, JsonNode o) {
    return switch (text(entry, o, "type")) {
      case "code" -> Origin.code();
      case "text" -> Origin.text();
      case "file" -> Origin.file(text(entry, o, "path"));
      case "git" -> Origin.git(text(entry, o, "repository"), text(entry, o, "commit"), text(entry, o, "path"),
          optionalText(entry, o, "author"), optionalText(entry, o, "subject"));
      case "rollback" -> Origin.rollbackOf(number(entry, o, "revision"));
      default -> throw corrupt(entry, "its origin has an unknown type");
    };
  }

  private static String text(StateEntry entry, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isString()) {
      throw corrupt(entry, "field '" + field + "' is missing or not a string");
    }
    return v.stringValue();
  }

  /** A string field that older revisions do not have: empty when absent. */
  private static String optionalText(StateEntry entry, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      return "";
    }
    if (!v.isString()) {
      throw corrupt(entry, "field '" + field + "' is not a string");
    }
    return v.stringValue();
  }

  private static long number(StateEntry entry, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
      throw corrupt(entry, "field '" + field + "' is missing or not a positive whole number");
    }
    return v.asLong();
  }

  private static JsonNode object(StateEntry entry, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) {
      throw corrupt(entry, "field '" + field + "' is missing or not an object");
    }
    return v;
  }

  private static JsonNode array(StateEntry entry, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      throw corrupt(entry, "field '" + field + "' is missing or not a list");
    }
    return v;
  }

  static CorruptStateException corrupt(StateEntry entry, String why) {
    return new CorruptStateException("revision " + entry.key() + " (version " + entry.version()
        + ") cannot be read: " + why + "; restore it from a backup or remove it", entry.key(), entry.key().toString(),
        null);
  }
}
