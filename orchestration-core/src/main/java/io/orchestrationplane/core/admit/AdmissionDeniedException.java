package io.orchestrationplane.core.admit;

import io.orchestrationplane.core.plan.PolicyNotice;
import java.util.List;

/**
 * Admission policies denied changes of a plan: nothing was applied. Lists every violation
 * (object, cluster, policy, message), not only the first.
 */
public class AdmissionDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> violations;
  private final transient List<PolicyNotice> denials;

  /** A denial given as lines only: {@link #denials()} is empty. */
  public AdmissionDeniedException(String application, List<String> violations) {
    this(application, List.of(), violations);
  }

  /**
   * A denial with each violation as a value (object, policy, action {@code Deny}, message); the
   * lines of {@link #violations()} say the same, one line each.
   */
  public AdmissionDeniedException(String application, List<PolicyNotice> denials, List<String> violations) {
    super("application " + application + " is denied by admission policy (" + violations.size()
        + (violations.size() == 1 ? " violation" : " violations") + "):\n  - " + String.join("\n  - ", violations));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a denial needs at least one violation");
    }
    this.violations = List.copyOf(violations);
    this.denials = List.copyOf(denials);
  }

  /**
   * The violations as values: object, policy (and binding), action {@code Deny}, the redacted
   * message; empty when the denial was made from lines only.
   */
  public List<PolicyNotice> denials() {
    return denials;
  }

  /** One line per violation: {@code Deployment shop/api (cluster prod): policy: message}. */
  public List<String> violations() {
    return violations;
  }
}
