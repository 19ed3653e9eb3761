package io.orchestrationplane.core.plan;

import java.util.Objects;

/**
 * Something the plan could not do for one cluster or object, e.g. an unreachable cluster (its
 * objects are left alone, never pruned) or an object owned by another application.
 *
 * @param cluster the cluster concerned
 * @param subject the object ({@code Deployment shop/api}) or empty for the whole cluster
 * @param message what is wrong and how to fix it
 */
public record PlanProblem(String cluster, String subject, String message) {
  public PlanProblem {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
  }

  private static final String UNREACHABLE = "cluster unreachable, nothing planned there (";

  /** The problem of a cluster that could not be read: nothing is planned there, nothing pruned. */
  public static PlanProblem unreachable(String cluster, String cause) {
    return new PlanProblem(cluster, "", UNREACHABLE + Objects.requireNonNull(cause, "cause") + ")");
  }

  /**
   * True for a problem made by {@link #unreachable}, also after a plan was written with {@code
   * Plan.toJson()} and read back: the cluster could not be read (a CLI exits with its own code).
   */
  public boolean isClusterUnreachable() {
    return subject.isEmpty() && message.startsWith(UNREACHABLE);
  }

  @Override
  public String toString() {
    return cluster + (subject.isEmpty() ? "" : " " + subject) + ": " + message;
  }
}
