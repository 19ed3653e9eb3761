package io.orchestrationplane.policy;

import java.util.List;

/**
 * The result of type-checking one policy against the schemas of the kinds its {@code matchConstraints} name
 * (a ValidatingAdmissionPolicy's {@code status.typeChecking}). Warnings never change how the policy evaluates.
 *
 * @param checkedKinds the kinds checked, as {@code group/version, Kind=Kind} ({@code /v1, Kind=Pod} for core),
 *     at most 10, sorted; empty when the constraints name no kind with a known schema
 * @param expressionWarnings one per expression with problems, in field order
 */
public record TypeChecking(List<String> checkedKinds, List<ExpressionWarning> expressionWarnings) {
  public TypeChecking {
    checkedKinds = List.copyOf(checkedKinds);
    expressionWarnings = List.copyOf(expressionWarnings);
  }
}
