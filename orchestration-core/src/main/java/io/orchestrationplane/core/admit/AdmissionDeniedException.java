package io.orchestrationplane.core.admit;

import java.util.List;

/**
 * Admission policies denied changes of a plan: nothing was applied. Lists every violation
 * (object, cluster, policy, message), not only the first.
 */
public class AdmissionDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> violations;
  private final transient List<Denial> denials;

  /** A denial known only as text lines; {@link #denials()} is empty. */
  public AdmissionDeniedException(String application, List<String> violations) {
    this(application, violations, List.of());
  }

  private AdmissionDeniedException(String application, List<String> violations, List<Denial> denials) {
    super("application " + application + " is denied by admission policy (" + violations.size()
        + (violations.size() == 1 ? " violation" : " violations") + "):\n  - " + String.join("\n  - ", violations));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a denial needs at least one violation");
    }
    this.violations = List.copyOf(violations);
    this.denials = List.copyOf(denials);
  }

  /** A denial of these writes; {@link #violations()} lists them as text. */
  public static AdmissionDeniedException of(String application, List<Denial> denials) {
    return new AdmissionDeniedException(application, denials.stream().map(Denial::toString).toList(), denials);
  }

  /**
   * Every denied write with its object, component, policy and message, for tools (a CLI's SARIF
   * report); empty when the exception was made from text lines only.
   */
  public List<Denial> denials() {
    return denials;
  }

  /** One line per violation: {@code Deployment shop/api (cluster prod): policy: message}. */
  public List<String> violations() {
    return violations;
  }
}
