package io.orchestrationplane.policy.internal;

import io.orchestrationplane.policy.SkippedDocument;
import tools.jackson.databind.JsonNode;

/** One document of a policy YAML stream with where it came from, for importers and their messages. */
public record Doc(int index, JsonNode node) {
  public String apiVersion() {
    return node.path("apiVersion").asString("");
  }

  public String kind() {
    return node.path("kind").asString("");
  }

  public String group() {
    String v = apiVersion();
    return v.contains("/") ? v.substring(0, v.indexOf('/')) : "";
  }

  public String name() {
    return node.path("metadata").path("name").asString("");
  }

  /** A skip record for the whole document ({@code part} empty) or one part of it. */
  public SkippedDocument skipped(String part, String reason) {
    return new SkippedDocument(index, apiVersion(), kind(), name(), part, reason);
  }

  @Override public String toString() {
    return "document " + index + " (" + kind() + " " + (name().isEmpty() ? "?" : name()) + ")";
  }
}
