package io.orchestrationplane.core.admit;

import java.util.List;

/**
 * Admission policies denied changes of a plan: nothing was applied. Lists every violation
 * (object, cluster, policy, message), not only the first.
 */
public class AdmissionDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> violations;

  public AdmissionDeniedException(String application, List<String> violations) {
    super("application " + application + " is denied by admission policy (" + violations.size()
        + (violations.size() == 1 ? " violation" : " violations") + "):\n  - " + String.join("\n  - ", violations));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a denial needs at least one violation");
    }
    this.violations = List.copyOf(violations);
  }

  /** One line per violation: {@code Deployment shop/api (cluster prod): policy: message}. */
  public List<String> violations() {
    return violations;
  }
}
