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

  @Override
  public String toString() {
    return cluster + (subject.isEmpty() ? "" : " " + subject) + ": " + message;
  }
}
