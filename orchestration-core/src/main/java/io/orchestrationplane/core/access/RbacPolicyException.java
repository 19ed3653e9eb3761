package io.orchestrationplane.core.access;

import java.util.List;

/**
 * An RBAC policy CSV could not be read: lists every bad line with its source and line number
 * ({@code policy.csv line 4: an effect must be 'allow' or 'deny', was 'alow'}), not only the first.
 * Nothing of the policy is used.
 */
public class RbacPolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> problems;

  public RbacPolicyException(List<String> problems) {
    super("RBAC policy has " + problems.size() + (problems.size() == 1 ? " bad line" : " bad lines") + ":\n  - "
        + String.join("\n  - ", problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an RBAC policy error needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** One entry per bad line: {@code <source> line <n>: <what is wrong>}. */
  public List<String> problems() {
    return problems;
  }
}
