package io.orchestrationplane.policy;

import java.util.List;
import java.util.Map;

/**
 * The engine's answer to an {@link AdmissionRequest}: every violation (not only the first), the warnings
 * for the client, audit annotations ({@code policy/key → value}) and evaluation errors.
 *
 * @param evaluated the bindings that applied to the request (matched, and their match conditions held), as
 *     {@code policy/binding} pairs in evaluation order: a policy that applied without a violation passed
 */
public record Decision(List<Violation> violations, List<String> warnings, Map<String, String> auditAnnotations,
    List<EvaluationError> errors, List<Evaluated> evaluated) {
  /** A binding that applied to the request. */
  public record Evaluated(String policy, String binding) {}

  public Decision {
    violations = List.copyOf(violations);
    warnings = List.copyOf(warnings);
    auditAnnotations = Map.copyOf(auditAnnotations);
    errors = List.copyOf(errors);
    evaluated = List.copyOf(evaluated == null ? List.of() : evaluated);
  }

  /** A decision without the list of applied bindings. */
  public Decision(List<Violation> violations, List<String> warnings, Map<String, String> auditAnnotations,
      List<EvaluationError> errors) {
    this(violations, warnings, auditAnnotations, errors, List.of());
  }

  /** Whether a binding of {@code policy} applied to the request. */
  public boolean applied(String policy) {
    return evaluated.stream().anyMatch(e -> e.policy().equals(policy));
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
