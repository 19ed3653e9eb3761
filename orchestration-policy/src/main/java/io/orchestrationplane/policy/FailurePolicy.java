package io.orchestrationplane.policy;

/**
 * What an evaluation error (runtime error, exceeded cost budget, missing params) means:
 * {@link #FAIL} rejects like a failed validation (Kubernetes' default), {@link #IGNORE} only records it.
 */
public enum FailurePolicy {
  FAIL, IGNORE;

  /** Parses {@code Fail}/{@code Ignore}; throws {@link IllegalArgumentException} naming the value. */
  public static FailurePolicy parse(String value) {
    for (FailurePolicy p : values()) {
      if (p.name().equalsIgnoreCase(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown failurePolicy '" + value + "' (expected Fail or Ignore)");
  }
}
