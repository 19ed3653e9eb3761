package io.orchestrationplane.core.audit;

import java.util.Locale;

/** What an {@link AuditRecord} records; its JSON form is the lower-case name with dashes. */
public enum AuditAction {
  /** A plan with writes was made and admitted (nothing written yet). */
  PLAN,
  /** Admission policies denied a plan; nothing was written. */
  DENY,
  /**
   * The call was refused before anything was read or written: access control denied the subject,
   * or the application reached outside its project.
   */
  REFUSE,
  /** A plan was executed: the outcome per cluster. */
  EXECUTE,
  /** Continuous mode accepted a new desired state. */
  SUBMIT,
  /** Continuous mode rejected a desired state as invalid. */
  REJECT,
  /** Continuous mode corrected drift back to the desired state. */
  CORRECT_DRIFT,
  /** An application was removed and everything it owned pruned. */
  REMOVE,
  /** A release's approval step was approved ({@code approve}); the record's revision is the release's digest. */
  APPROVE,
  /** A release's approval step was rejected ({@code reject-approval}); the step fails. */
  REJECT_APPROVAL,
  /** Letting a release through the change windows of an environment was approved ({@code override}). */
  OVERRIDE;

  /** The JSON form: {@code plan}, {@code correct-drift}, ... */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The action named {@code jsonName}; {@link IllegalArgumentException} when none is. */
  public static AuditAction fromJson(String jsonName) {
    for (AuditAction a : values()) {
      if (a.jsonName().equals(jsonName)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown audit action '" + jsonName + "'");
  }
}
