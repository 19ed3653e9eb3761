package io.orchestrationplane.core.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller asks to do with an application, as RBAC policies name it in their action field.
 * {@link #SYNC} and {@link #DELETE} keep Argo CD's names ({@code sync}, {@code delete}); {@code
 * apply} and {@code remove} are read as their synonyms, so a policy may use either.
 */
public enum Action {
  /** Read: {@code status}, {@code statuses}, {@code history}, {@code revision}, {@code diff}. */
  GET("get"),
  /** A dry run against the clusters: {@code plan}, {@code planDelete}. Writes nothing. */
  PLAN("plan"),
  /** Write the desired state: {@code apply} (of an application or a plan) and {@code submit}. */
  SYNC("sync"),
  /** Remove what the application owns: {@code delete}, {@code remove}. */
  DELETE("delete"),
  /** Apply a kept revision again: {@code rollback}. */
  ROLLBACK("rollback"),
  /** Approve a gated release step (release management). */
  APPROVE("approve"),
  /** Override a gate of release management (a change window, a missing approval). */
  OVERRIDE("override");

  private final String policyName;

  Action(String policyName) {
    this.policyName = policyName;
  }

  /** The name in policy lines: {@code get}, {@code plan}, {@code sync}, {@code delete}... */
  public String policyName() {
    return policyName;
  }

  /** The action a policy line names ({@code apply} for sync, {@code remove} for delete), ignoring case. */
  public static Optional<Action> fromPolicyName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("apply")) {
      return Optional.of(SYNC);
    }
    if (n.equals("remove")) {
      return Optional.of(DELETE);
    }
    for (Action a : values()) {
      if (a.policyName.equals(n)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return policyName;
  }
}
