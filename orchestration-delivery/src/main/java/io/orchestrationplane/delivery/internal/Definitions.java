package io.orchestrationplane.delivery.internal;

import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.state.CorruptStateException;
import io.orchestrationplane.core.state.StateEntry;
import io.orchestrationplane.core.state.StateKey;
import io.orchestrationplane.core.state.StateStore;
import io.orchestrationplane.core.state.StateWriteResult;
import io.orchestrationplane.delivery.Workflow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Workflow definitions stored once each under their content digest ({@code
 * workflow-definitions/<sha256 hex>}), so that a run's document names its workflow by digest
 * instead of carrying it in every write. A definition is created before the first run that names
 * it is written, is never changed (its key is its content) and is never deleted; one is read
 * again only to check it against its digest. Thread-safe.
 */
final class Definitions {
  /** The namespace of definitions. */
  static final String NAMESPACE = "workflow-definitions";
  private static final int FORMAT = 1;
  private static final int CACHE_LIMIT = 10_000;

  private final StateStore store;
  /** The digest of each workflow value started here (a workflow is an immutable record). */
  private final Map<Workflow, String> digests = new ConcurrentHashMap<>();
  /** Definitions known to be in the store, by digest: written or read and checked here. */
  private final Map<String, Workflow> stored = new ConcurrentHashMap<>();

  Definitions(StateStore store) {
    this.store = store;
  }

  /** The last workflow value digested and its digest: a start with the same value skips hashing the record. */
  private record Last(Workflow workflow, String digest) {}

  private volatile @Nullable Last last;

  /** {@code sha256:<hex>} over the workflow's stored JSON with object keys sorted. */
  String digest(Workflow workflow) {
    Last l = last;
    if (l != null && l.workflow() == workflow) {
      return l.digest(); // the same immutable value as the last start (a record's hash is not cached)
    }
    String d = digests.get(workflow);
    if (d == null) {
      d = digestOf(WorkflowCodec.toTree(workflow));
      if (digests.size() >= CACHE_LIMIT) {
        digests.clear();
      }
      digests.put(workflow, d);
    }
    last = new Last(workflow, d);
    return d;
  }

  /** Makes sure the store holds {@code workflow}'s definition; returns its digest. */
  String store(Workflow workflow) {
    String digest = digest(workflow);
    if (stored.containsKey(digest)) {
      return digest;
    }
    StateKey key = key(digest);
    while (true) {
      Optional<StateEntry> e = store.get(key);
      if (e.isPresent()) {
        decode(e.get(), digest); // a damaged definition fails the start that would name it
        break;
      }
      ObjectNode doc = Json.object();
      doc.put("format", FORMAT);
      doc.put("digest", digest);
      doc.set("workflow", WorkflowCodec.toTree(workflow));
      if (store.create(key, doc) instanceof StateWriteResult.Written) {
        break;
      }
      // another engine created it first: read and check theirs
    }
    remember(digest, workflow);
    return digest;
  }

  /** The workflow with this digest; throws {@link CorruptStateException} when it is missing or does not match. */
  Workflow load(String digest) {
    Workflow w = stored.get(digest);
    if (w != null) {
      return w;
    }
    StateKey key = key(digest);
    StateEntry e = store.get(key).orElseThrow(() -> new CorruptStateException("the workflow definition " + digest
        + " that a run names is not in the store (" + key + ")", key, key.toString(), null));
    w = decode(e, digest);
    remember(digest, w);
    return w;
  }

  private void remember(String digest, Workflow workflow) {
    if (stored.size() >= CACHE_LIMIT) {
      stored.clear();
    }
    stored.put(digest, workflow);
  }

  private static Workflow decode(StateEntry e, String digest) {
    JsonNode tree = e.value().get("workflow");
    Workflow w;
    try {
      if (tree == null || !tree.isObject() || !digest.equals(digestOf(tree))) {
        throw new IllegalArgumentException("its content does not have the digest its key names");
      }
      w = WorkflowCodec.fromTree(tree);
    } catch (RuntimeException ex) {
      throw new CorruptStateException(e.key() + " is not a valid workflow definition: " + ex.getMessage(), e.key(),
          e.key().toString(), ex);
    }
    return w;
  }

  static StateKey key(String digest) {
    if (!digest.startsWith("sha256:") || digest.length() != 7 + 64) {
      throw new IllegalArgumentException("a workflow definition is named by sha256:<64 hex digits>, not '"
          + (digest.length() > 80 ? digest.substring(0, 77) + "..." : digest) + "'");
    }
    return StateKey.of(NAMESPACE, digest.substring(7));
  }

  static String digestOf(JsonNode workflowTree) {
    try {
      byte[] sum = MessageDigest.getInstance("SHA-256")
          .digest(Json.writeJson(Engine.canonical(workflowTree)).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(sum);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
