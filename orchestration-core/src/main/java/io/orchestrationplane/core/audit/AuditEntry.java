package io.orchestrationplane.core.audit;

import io.orchestrationplane.core.audit.internal.AuditJson;

/**
 * One line of an audit log: a {@link AuditRecord} (a decision, chained by hash) or a signed
 * {@link Checkpoint} of the records before it. Sinks store {@link #toJson()} and give the same
 * text back; {@link #parse} reads it strictly.
 */
public sealed interface AuditEntry permits AuditRecord, Checkpoint {

  /** The entry as one line of JSON (no line break), the form sinks store. */
  String toJson();

  /**
   * Reads an entry written by {@link #toJson()}. Strict: a missing, unknown or mistyped field is
   * an {@link IllegalArgumentException} naming it; the message never quotes the input.
   */
  static AuditEntry parse(String json) {
    return AuditJson.parse(json);
  }
}
