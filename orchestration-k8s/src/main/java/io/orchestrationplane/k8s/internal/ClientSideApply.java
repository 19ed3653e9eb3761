package io.orchestrationplane.k8s.internal;

import io.orchestrationplane.core.cluster.ApplyMerge;
import io.orchestrationplane.core.resource.Json;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The read-merge-update half of apply, for servers without server-side apply. Like
 * {@code kubectl apply} it merges three ways: desired values win; a live field the desired
 * object lacks stays (another writer owns it) unless the previous apply set it. What the
 * previous apply set is remembered in an annotation as a skeleton of field names only (leaves
 * replaced by 1), so no values, and no Secret data, are copied into it.
 */
public final class ClientSideApply {
  /** Annotation holding the skeleton of the fields the plane last applied. */
  public static final String APPLIED_FIELDS = io.orchestrationplane.core.resource.Ownership.APPLIED_FIELDS_ANNOTATION;

  private static final Set<String> SERVER_METADATA = Set.of("uid", "resourceVersion", "generation",
      "creationTimestamp", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink");

  private ClientSideApply() {}

  /**
   * The content to write for {@code desired}: status and server-set metadata removed, the
   * applied-fields annotation added unless it is there (the plane's renderer records the fields
   * an object sets before anything adds defaults to it).
   */
  public static ObjectNode prepare(ObjectNode desired) {
    ObjectNode content = desired.deepCopy();
    content.remove("status");
    ObjectNode metadata = (ObjectNode) content.get("metadata");
    metadata.remove(SERVER_METADATA);
    JsonNode annotations = metadata.get("annotations");
    if (annotations instanceof ObjectNode a && a.hasNonNull(APPLIED_FIELDS)) {
      return content; // the plane's renderer recorded the fields it sets already
    }
    String skeleton = io.orchestrationplane.core.resource.Ownership.appliedFields(io.orchestrationplane.core.resource.Resource.of(content));
    ObjectNode a = annotations instanceof ObjectNode existing ? existing : metadata.putObject("annotations");
    a.put(APPLIED_FIELDS, skeleton);
    return content;
  }

  /** The live object with the prepared content merged in, keeping other writers' fields. */
  public static ObjectNode merge(ObjectNode live, ObjectNode prepared) {
    JsonNode lastApplied = null;
    JsonNode text = live.at("/metadata/annotations/" + APPLIED_FIELDS.replace("/", "~1"));
    if (text != null && text.isString()) {
      try {
        lastApplied = Json.readJson(text.asString());
      } catch (RuntimeException e) {
        lastApplied = null; // written by someone else; then nothing counts as previously applied
      }
    }
    return (ObjectNode) ApplyMerge.threeWay(live, prepared, lastApplied);
  }
}
