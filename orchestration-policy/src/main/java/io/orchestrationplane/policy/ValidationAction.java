package io.orchestrationplane.policy;

/** What a binding does with a failed validation: reject, warn the client, or record an audit annotation. */
public enum ValidationAction {
  DENY, WARN, AUDIT;

  /** Parses {@code Deny}/{@code Warn}/{@code Audit}; throws {@link IllegalArgumentException} naming the value. */
  public static ValidationAction parse(String value) {
    for (ValidationAction a : values()) {
      if (a.name().equalsIgnoreCase(value)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown validationAction '" + value
        + "' (expected Deny, Warn or Audit)");
  }
}
