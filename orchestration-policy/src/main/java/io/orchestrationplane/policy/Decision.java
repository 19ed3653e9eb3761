package io.orchestrationplane.policy;

import java.util.List;
import java.util.Map;

/**
 * The engine's answer to an {@link AdmissionRequest}: every violation (not only the first), the warnings
 * for the client, audit annotations ({@code policy/key → value}) and evaluation errors.
 */
public record Decision(List<Violation> violations, List<String> warnings, Map<String, String> auditAnnotations,
    List<EvaluationError> errors) {
  public Decision {
    violations = List.copyOf(violations);
    warnings = List.copyOf(warnings);
    auditAnnotations = Map.copyOf(auditAnnotations);
    errors = List.copyOf(errors);
  }

  /** True unless a violation carries the Deny action. */
  public boolean allowed() {
    return violations.stream().noneMatch(Violation::denies);
  }

  /** The violations that reject the request. */
  public List<Violation> denials() {
    return violations.stream().filter(Violation::denies).toList();
  }
}
