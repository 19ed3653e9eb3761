package io.orchestrationplane.policy;

import java.util.Objects;

/**
 * A document (or one rule of a document) that {@link PolicyLoader} read but cannot run, with the reason: a
 * Rego-only ConstraintTemplate, a Kyverno rule without {@code validate.cel}, a kind the engine does not know.
 * Loading never fails because of such a document, and never drops it silently: it is listed in
 * {@link PolicySet#skipped()} and logged at warn level.
 *
 * @param index 0-based position of the document in the YAML stream
 * @param part the rule or field skipped inside the document, or empty when the whole document was skipped
 */
public record SkippedDocument(int index, String apiVersion, String kind, String name, String part, String reason) {
  public SkippedDocument {
    Objects.requireNonNull(reason, "reason");
    apiVersion = apiVersion == null ? "" : apiVersion;
    kind = kind == null ? "" : kind;
    name = name == null ? "" : name;
    part = part == null ? "" : part;
  }

  @Override public String toString() {
    return "document " + index + " (" + kind + " " + name + (part.isEmpty() ? "" : ", " + part) + "): " + reason;
  }
}
