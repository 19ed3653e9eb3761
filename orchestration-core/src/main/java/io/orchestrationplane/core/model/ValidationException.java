package io.orchestrationplane.core.model;

import java.util.List;

/**
 * An application that cannot be rendered, with every problem found (not only the first), each
 * naming its field path and, for YAML/JSON input, line and column.
 */
public class ValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public ValidationException(String subject, List<Problem> problems) {
    super(message(subject, problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ValidationException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in the order they appear in the input. */
  public List<Problem> problems() {
    return problems;
  }

  private static String message(String subject, List<Problem> problems) {
    StringBuilder sb = new StringBuilder(subject).append(" is invalid (").append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems").append("):");
    for (Problem p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
